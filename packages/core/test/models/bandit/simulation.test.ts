import { describe, expect, it } from 'vitest';
import { chooseArm, compileBandit } from '../../../src/models/bandit/choose-arm.js';
import { mulberry32 } from '../../../src/models/bandit/random.js';
import type { BundlePosterior } from '../../../src/bundle/schema.js';
import { banditExperience } from './bandits.js';

/*
 * Simulated visitors with known conversion rates per arm. Posteriors are updated in batches as
 * `attune bandit update` does (alpha += conversions, beta += exposures - conversions) and shipped
 * in a new bundle; the bandit should move its traffic to the best arm. Everything is seeded: the
 * same numbers on every run.
 */

const RATES: Readonly<Record<string, number>> = { a: 0.04, b: 0.05, c: 0.07 };
const ARMS = Object.keys(RATES);
const BEST = Math.max(...Object.values(RATES));
const BATCH = 500;
const BATCHES = 40;

interface Run {
  /** Share of each arm among the last quarter of the visitors. */
  lateShares: Record<string, number>;
  /** Expected conversions lost to not always showing the best arm: Σ (best rate - rate shown). */
  regret: number;
  table: string[];
}

function simulate(floor: number): Run {
  const posteriors: Record<string, BundlePosterior> = Object.fromEntries(ARMS.map((arm) => [arm, { alpha: 1, beta: 1 }]));
  const converts = mulberry32(2024);
  const late: Record<string, number> = Object.fromEntries(ARMS.map((arm) => [arm, 0]));
  const lateFrom = (BATCHES * BATCH * 3) / 4;
  let regret = 0;
  const table = ['visitors | ' + ARMS.map((arm) => `${arm} (${RATES[arm]})`).join(' | ') + ' | regret'];
  for (let batch = 0; batch < BATCHES; batch++) {
    const bandit = compileBandit(banditExperience({ floor, posteriors }, ARMS));
    const exposures: Record<string, number> = Object.fromEntries(ARMS.map((arm) => [arm, 0]));
    const conversions: Record<string, number> = Object.fromEntries(ARMS.map((arm) => [arm, 0]));
    for (let i = 0; i < BATCH; i++) {
      const visitor = batch * BATCH + i;
      const arm = chooseArm(bandit, `visitor-${visitor}`, 'session-1', [])!.variant;
      exposures[arm]!++;
      if (converts() < RATES[arm]!) conversions[arm]!++;
      regret += BEST - RATES[arm]!;
      if (visitor >= lateFrom) late[arm]!++;
    }
    for (const arm of ARMS) {
      posteriors[arm]!.alpha += conversions[arm]!;
      posteriors[arm]!.beta += exposures[arm]! - conversions[arm]!;
    }
    if ((batch + 1) % 5 === 0) table.push(`${(batch + 1) * BATCH} | ${ARMS.map((arm) => `${((exposures[arm]! / BATCH) * 100).toFixed(0)}%`).join(' | ')} | ${regret.toFixed(1)}`);
  }
  const lateShares = Object.fromEntries(ARMS.map((arm) => [arm, late[arm]! / (BATCHES * BATCH - lateFrom)]));
  return { lateShares, regret, table };
}

/** The regret of an even split, for comparison. */
const EVEN_REGRET = BATCHES * BATCH * (BEST - ARMS.reduce((sum, arm) => sum + RATES[arm]!, 0) / ARMS.length);

describe(`a Thompson-sampling bandit over arms converting at 4%, 5% and 7%, updated every ${BATCH} visitors`, () => {
  it(`moves over 80% of the last quarter of ${BATCHES * BATCH} visitors to the best arm, with under half the regret of an even split (${EVEN_REGRET.toFixed(0)})`, () => {
    const run = simulate(0);
    console.log(`Thompson sampling, no floor (arm shares per batch; regret in expected conversions)\n${run.table.join('\n')}`);
    expect(run.lateShares.c).toBeGreaterThan(0.8);
    expect(run.regret).toBeLessThan(EVEN_REGRET / 2);
  });

  it('keeps at least its floor of 5% on every arm while still favouring the best', () => {
    const run = simulate(0.05);
    console.log(`Thompson sampling, floor 0.05\n${run.table.join('\n')}`);
    for (const arm of ARMS) expect(run.lateShares[arm]).toBeGreaterThan(0.04);
    expect(run.lateShares.c).toBeGreaterThan(0.7);
    expect(run.regret).toBeLessThan(EVEN_REGRET / 2);
  });
});
