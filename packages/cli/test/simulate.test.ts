import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAttune } from './run-cli.js';

const shop = fileURLToPath(new URL('../../../examples/bundles/shop.json', import.meta.url));
const NOW = '2026-12-07T12:00:00.000Z';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'attune-simulate-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function simulate(profile: unknown, context: unknown, ...flags: string[]) {
  writeFileSync(join(dir, 'p.json'), JSON.stringify(profile));
  writeFileSync(join(dir, 'c.json'), JSON.stringify(context));
  return runAttune(dir, 'simulate', shop, '--profile', join(dir, 'p.json'), '--context', join(dir, 'c.json'), '--now', NOW, ...flags);
}

interface Decision {
  slot: string;
  reason: string;
  experience: string | null;
  variant: string | null;
  content: { value: string } | null;
  scores?: Record<string, number>;
}

describe('attune simulate', () => {
  it('decides every slot for a visitor whose profile is built from events, as the browser would: segments, stage, experiments, scores', () => {
    const views = ['JKT-1', 'PON-4', 'HAT-2'].map((sku, i) => ({ name: 'product_viewed', ago: `${3 - i}h`, properties: { sku, category: sku === 'HAT-2' ? 'accessories' : 'outerwear' } }));
    const result = simulate({ events: [...views, { name: 'add_to_cart', ago: '10m', properties: { sku: 'JKT-1' } }] }, { url: 'https://shop.example/shop/?utm_source=newsletter' }, '--json');
    expect(result.stderr).toBe('');
    const simulation = JSON.parse(result.stdout) as { decisions: Decision[]; segments: string[]; stage: string };
    const bySlot = Object.fromEntries(simulation.decisions.map((decision) => [decision.slot, decision]));
    expect(simulation.segments).toEqual(expect.arrayContaining(['engaged-browser', 'outerwear-fan']));
    expect(simulation.stage).toBe('shopper');
    expect(bySlot['home.hero']).toMatchObject({ reason: 'matched', experience: 'hero-engaged' });
    expect(bySlot['home.promo']).toMatchObject({ reason: 'matched', experience: 'promo-newsletter' }); // the campaign of the URL
    expect(['control', 'urgency', 'holdout']).toContain(bySlot['home.cta']!.variant ?? 'holdout');
    expect(Object.keys(bySlot['home.offer']!.scores ?? {})).toEqual(['buy-propensity']);
  });

  it('a visitor with no history gets the defaults, said in words', () => {
    const result = simulate({ events: [] }, {});
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('segments none; stage');
    expect(result.stdout).toMatch(/home\.hero: not-in-audience/);
  });

  it('refuses a profile event without a name, naming it', () => {
    const result = simulate({ events: [{ ago: '1h' }] }, {});
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('events[0] has no "name"');
  });
});
