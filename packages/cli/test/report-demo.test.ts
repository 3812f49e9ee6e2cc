import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../..', import.meta.url));

/** The newcomer's path: the dev collector, `npm run simulate`, then /report. */
describe('the demo report', () => {
  let dir: string;
  let base: string;
  let server: ReturnType<typeof spawn>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'attune-report-demo-'));
    server = spawn(process.execPath, ['examples/collector/server.mjs', '--port', '0', '--events-file', join(dir, 'events.ndjson'), '--exit-after', '120', '--quiet'], { cwd: repo });
    base = await new Promise<string>((resolve, reject) => {
      let out = '';
      server.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (match) resolve(match[1]!);
      });
      server.once('exit', (code) => reject(new Error(`the dev collector exited (${code}): ${out}`)));
    });
  });
  afterAll(() => {
    server.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows no data before any event, then which variant wins and a passing sample ratio check after the simulation', async () => {
    const empty = await fetch(`${base}/report`);
    expect(empty.status).toBe(200);
    expect(await empty.text()).toContain('No events yet');

    const simulated = spawnSync(process.execPath, ['scripts/simulate.mjs', '--collector', base, '--visitors', '4000'], { cwd: repo, encoding: 'utf8' });
    expect(simulated.stderr).toBe('');
    expect(simulated.stdout).toContain(`Open ${base}/report`);

    const response = await fetch(`${base}/report`);
    expect(response.headers.get('content-type')).toContain('text/html');
    const html = await response.text();
    expect(html).toContain('Experiment cta-test');
    expect(html).not.toContain('<script');
    expect(html).toMatch(/Sample ratio: <span class="good">OK<\/span>/);
    // Rates near the simulated ones (control 10%, urgency 13%), and urgency's lift positive.
    const rate = (variant: string) => Number(new RegExp(`<th scope="row">${variant}</th><td>\\d+</td><td>\\d+</td><td>([\\d.]+)%`).exec(html)?.[1]);
    expect(rate('control')).toBeGreaterThan(8);
    expect(rate('control')).toBeLessThan(12);
    expect(rate('urgency')).toBeGreaterThan(11);
    expect(rate('urgency')).toBeLessThan(15);
    const urgencyCells = /<th scope="row">urgency<\/th>(.*?)<\/tr>/.exec(html)![1]!.split('<td>').slice(1);
    expect(urgencyCells[3]).toMatch(/^\+/); // lift (abs.) against control
    expect(html).toContain('Personalization vs holdout');
    expect(html).toContain('<svg');
  }, 60_000);
});
