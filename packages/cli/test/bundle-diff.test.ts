import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAttune } from './run-cli.js';

const shop = JSON.parse(readFileSync(new URL('../../../examples/bundles/shop.json', import.meta.url), 'utf8'));

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'attune-diff-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function diff(change: (bundle: typeof shop) => void, ...flags: string[]) {
  const changed = structuredClone(shop);
  change(changed);
  writeFileSync(join(dir, 'new.json'), JSON.stringify(changed));
  return runAttune(dir, 'bundle', 'diff', new URL('../../../examples/bundles/shop.json', import.meta.url).pathname, join(dir, 'new.json'), ...flags);
}

describe('attune bundle diff', () => {
  it('says what changed in words: traffic, holdout, weights, content text, rules, experiences added and removed', () => {
    const result = diff((bundle) => {
      const cta = bundle.experiences.find((experience: { id: string }) => experience.id === 'cta-test');
      cta.experiment.traffic = 0.5;
      cta.experiment.holdout = 0.2;
      cta.variants[1].weight = 70;
      bundle.content['hero-engaged'].value = 'Welcome back, explorer!';
      bundle.segments[0].when = { '>=': [{ var: ['profile.counters.product_viewed', 0] }, 5] };
      bundle.experiences = bundle.experiences.filter((experience: { id: string }) => experience.id !== 'hero-engaged');
      bundle.experiences.push({ id: 'spring-sale', slot: 'home.promo', variants: [{ id: 'a', content: 'hero-default' }] });
    });
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        '- experience "cta-test": traffic 100% → 50%',
        '- experience "cta-test": holdout 10% → 20%',
        '- experience "cta-test": variant "urgency": weight 50 → 70',
        '- content "hero-engaged" text changed: "Welcome back! Your picks are waiting" → "Welcome back, explorer!"',
        '- experience "spring-sale" added',
        '- experience "hero-engaged" removed',
      ]),
    );
    expect(lines.some((line) => line.startsWith('- segment "engaged-browser": rule'))).toBe(true);
  });

  it('says there are no changes for the same bundle, and lists the changes as JSON with --json', () => {
    expect(diff(() => {}).stdout.trim()).toBe('No changes.');
    const json = diff((bundle) => (bundle.version += 1), '--json');
    expect(JSON.parse(json.stdout)).toEqual([`version ${shop.version} → ${shop.version + 1}`]);
  });

  it('refuses a file that is not a bundle, naming it', () => {
    writeFileSync(join(dir, 'list.json'), '[1, 2]');
    const result = runAttune(dir, 'bundle', 'diff', join(dir, 'list.json'), join(dir, 'list.json'));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('list.json is not a bundle');
  });
});
