import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { runAttune } from './run-cli.js';

/*
 * The demo shop learns from its own data: the also-like recommender's neighbors and popularity and
 * the banner bandit's posteriors in examples/bundles/shop.json are what `attune recs build` and
 * `attune bandit update` compute from the committed demo sessions (scripts/demo-learn.mjs).
 */
const repo = fileURLToPath(new URL('../../../', import.meta.url));
const EVENTS = join(repo, 'examples/events/demo-sessions.ndjson');
const dir = mkdtempSync(join(tmpdir(), 'attune-demo-learned-'));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const read = (file: string) => JSON.parse(readFileSync(file, 'utf8'));

it('ships the recommendations and the bandit posteriors the CLI learns from the demo sessions', () => {
  const bundle = join(dir, 'shop.json');
  copyFileSync(join(repo, 'examples/bundles/shop.json'), bundle);
  expect(runAttune(dir, 'recs', 'build', '--events', EVENTS, '--bundle', bundle, '--id', 'also-like', '--min-support', '3', '--top', '5').status).toBe(0);
  expect(runAttune(dir, 'bandit', 'update', '--events', EVENTS, '--bundle', bundle, '--experiment', 'shipping-banner').status).toBe(0);
  const shipped = read(join(repo, 'examples/bundles/shop.json'));
  const learned = read(bundle);
  expect(shipped.recommenders).toEqual(learned.recommenders);
  expect(shipped.experiences).toEqual(learned.experiences);
  // And what was learned is what the sessions say: the jacket is the most viewed, ten-off converts best.
  const items = shipped.recommenders[0].items as { id: string; popularity: number }[];
  expect(items.reduce((a, b) => (b.popularity > a.popularity ? b : a)).id).toBe('JKT-1');
  const posteriors = shipped.experiences.find((e: { id: string }) => e.id === 'shipping-banner').experiment.allocation.posteriors as Record<string, { alpha: number; beta: number }>;
  const mean = (arm: string) => posteriors[arm]!.alpha / (posteriors[arm]!.alpha + posteriors[arm]!.beta);
  expect(mean('ten-off')).toBeGreaterThan(mean('free-shipping'));
  expect(mean('free-shipping')).toBeGreaterThan(mean('gift-wrap'));
});
