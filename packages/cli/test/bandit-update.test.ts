import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { prng } from '../../../bench/prng.mjs';
import { checkBundle } from '../../core/src/bundle/check-bundle.js';
import { banditUpdate, type BanditUpdateValues } from '../src/bandit-command.mjs';
import { MINUTE, T0, eventMaker, expectRefusal, runPrintedSql, withRedeliveries, writeNdjson, type StoredEvent } from './events-fixtures.js';
import { runAttune } from './run-cli.js';

interface Posterior {
  alpha: number;
  beta: number;
}
type Posteriors = Record<string, Posterior>;
interface Allocation {
  type: 'thompson';
  reward: string;
  posteriors?: Posteriors;
  segments?: { segment: string; posteriors: Posteriors }[];
}

const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'attune-bandit-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A bundle whose experiment "hero-bandit" allocates the arms (variant ids, or variants) by Thompson sampling. */
function writeBundle(arms: readonly (string | { id: string; weight: number })[] = ['a', 'b'], allocation: Partial<Allocation> = {}, unit?: string): string {
  const file = join(dir, 'shop.json');
  const bundle = {
    schema: 'attune.bundle/1',
    id: 'shop',
    version: 1,
    experiences: [
      {
        id: 'hero',
        slot: 'home.hero',
        experiment: { id: 'hero-bandit', ...(unit ? { unit } : {}), allocation: { type: 'thompson', reward: 'purchase', ...allocation } },
        variants: arms.map((arm) => ({ ...(typeof arm === 'string' ? { id: arm } : arm), content: 'hello' })),
      },
      { id: 'cta', slot: 'home.cta', experiment: { id: 'cta-test' }, variants: [{ id: 'a', content: 'hello' }] },
    ],
    content: { hello: { type: 'text', value: 'Hello' } },
  };
  writeFileSync(file, JSON.stringify(bundle));
  return file;
}

/** Runs `attune bandit update` in this process; returns the allocation written (the bundle checked as browsers check it) and the warnings. */
async function update(events: string, bundle: string, options: BanditUpdateValues = {}): Promise<{ allocation: Allocation; warnings: string[]; printed: string[] }> {
  const printed: string[] = [];
  const warnings: string[] = [];
  await banditUpdate({ events: [events], bundle, experiment: 'hero-bandit', ...options }, (line) => printed.push(line), (line) => warnings.push(line));
  expect(printed[0]).toContain('Wrote the posteriors of bandit "hero-bandit"');
  const written = JSON.parse(readFileSync(bundle, 'utf8')) as { experiences: { experiment: { allocation: Allocation } }[] };
  expect(() => checkBundle(written)).not.toThrow();
  return { allocation: written.experiences[0]!.experiment.allocation, warnings, printed };
}

const event = eventMaker();
const exposure = (visitor: string, session: string, variant: string, at: number, properties: Record<string, string> = {}): StoredEvent =>
  event('experiment_exposure', visitor, session, { experiment: 'hero-bandit', variant, experience: 'hero', slot: 'home.hero', ...properties }, T0 + at);
const purchase = (visitor: string, session: string, at: number): StoredEvent => event('purchase', visitor, session, { revenue: 25 }, T0 + at);

/** Visitors whose trial (a session shown an arm) converts or not, each for one reason. */
function handEvents(): StoredEvent[] {
  return [
    // v1: shown a on two pages (one trial), buys 5 minutes later in the session: converts.
    exposure('v1', 's1', 'a', 0),
    exposure('v1', 's1', 'a', MINUTE),
    purchase('v1', 's1', 5 * MINUTE),
    // v2: bought before being shown b: not converted.
    purchase('v2', 's2', 0),
    exposure('v2', 's2', 'b', MINUTE),
    // v3: shown b, buys an hour later in the next session: converts only with a window of an hour or more.
    exposure('v3', 's3', 'b', 0),
    purchase('v3', 's4', HOUR),
    // v4: shown a, buys twice: one conversion.
    exposure('v4', 's5', 'a', 0),
    purchase('v4', 's5', 2 * MINUTE),
    purchase('v4', 's5', 3 * MINUTE),
    // v5: held out, not an arm; v6: shown another experiment.
    exposure('v5', 's6', 'holdout', 0),
    purchase('v5', 's6', MINUTE),
    event('experiment_exposure', 'v6', 's7', { experiment: 'cta-test', variant: 'a' }, T0),
    purchase('v6', 's7', MINUTE),
    // v7: shown a, buys two days later in another session.
    exposure('v7', 's8', 'a', 0),
    purchase('v7', 's9', 2 * DAY),
  ];
}

describe('attune bandit update', () => {
  it('counts a session shown an arm as converted when the reward follows in that session: alpha = 1 + conversions, beta = 1 + exposures - conversions', async () => {
    const { allocation, warnings } = await update(writeNdjson(dir, 'events.ndjson', handEvents()), writeBundle());
    // a: v1, v4 and v7 shown, v1 and v4 bought in the session. b: v2 (bought before) and v3 (next session).
    expect(allocation.posteriors).toEqual({ a: { alpha: 3, beta: 2 }, b: { alpha: 1, beta: 3 } });
    expect(warnings.join('\n')).toContain('holdout (1)');
  });

  it('with --window counts a reward within that time after the exposure, in any session, the bound included', async () => {
    const events = writeNdjson(dir, 'events.ndjson', handEvents());
    // v3's purchase is exactly one hour after the exposure; v7's two days after.
    expect((await update(events, writeBundle(), { window: '1h' })).allocation.posteriors).toEqual({ a: { alpha: 3, beta: 2 }, b: { alpha: 2, beta: 2 } });
    expect((await update(events, writeBundle(), { window: '59m' })).allocation.posteriors).toEqual({ a: { alpha: 3, beta: 2 }, b: { alpha: 1, beta: 3 } });
    expect((await update(events, writeBundle(), { window: '3d' })).allocation.posteriors).toEqual({ a: { alpha: 4, beta: 1 }, b: { alpha: 2, beta: 2 } });
  });

  it('drops redelivered copies of exposures and rewards by id', async () => {
    const clean = await update(writeNdjson(dir, 'clean.ndjson', handEvents()), writeBundle());
    const redelivered = await update(writeNdjson(dir, 'redelivered.ndjson', withRedeliveries(handEvents(), 1)), writeBundle());
    expect(redelivered.allocation.posteriors).toEqual(clean.allocation.posteriors);
  });

  it('reads the reward event from the bundle, or from --reward, and the prior from --prior', async () => {
    const events = [exposure('v1', 's1', 'a', 0), event('signup', 'v1', 's1', {}, T0 + MINUTE), exposure('v2', 's2', 'b', 0), purchase('v2', 's2', MINUTE)];
    const file = writeNdjson(dir, 'events.ndjson', events);
    const bySignup = await update(file, writeBundle(['a', 'b'], { reward: 'signup' }));
    expect(bySignup.allocation.posteriors).toEqual({ a: { alpha: 2, beta: 1 }, b: { alpha: 1, beta: 2 } });
    const byPurchase = await update(file, writeBundle(['a', 'b'], { reward: 'signup' }), { reward: 'purchase', prior: '0.5' });
    expect(byPurchase.allocation.posteriors).toEqual({ a: { alpha: 0.5, beta: 1.5 }, b: { alpha: 1.5, beta: 0.5 } });
  });

  it('gives an arm nobody was shown its prior, and recomputes from all the events given rather than adding to the bundle', async () => {
    const file = writeNdjson(dir, 'events.ndjson', handEvents());
    const bundle = writeBundle(['a', 'b', 'c']);
    await update(file, bundle);
    const { allocation } = await update(file, bundle);
    expect(allocation.posteriors).toEqual({ a: { alpha: 3, beta: 2 }, b: { alpha: 1, beta: 3 }, c: { alpha: 1, beta: 1 } });
  });

  it('reminds to sign the bundle again when it was signed', async () => {
    const events = writeNdjson(dir, 'events.ndjson', handEvents());
    const bundle = writeBundle();
    expect((await update(events, bundle)).printed.join('\n')).not.toContain('sign it again');
    writeFileSync(`${bundle}.sig`, 'signature\n');
    expect((await update(events, bundle)).printed.at(-1)).toContain('The bundle changed: sign it again (attune sign');
  });

  it('writes posteriors only for the arms: a variant with weight 0 is not one', async () => {
    const { allocation } = await update(writeNdjson(dir, 'events.ndjson', handEvents()), writeBundle(['a', { id: 'b', weight: 0 }]));
    expect(allocation.posteriors).toEqual({ a: { alpha: 3, beta: 2 } });
  });

  it('counts trials per user, across devices, when the experiment\'s unit is userId', async () => {
    // u1 is shown b on a laptop, buys on a phone 10 minutes later: one unit only by user id.
    const events = [{ ...exposure('laptop', 's1', 'b', 0), userId: 'u1' }, { ...purchase('phone', 's2', 10 * MINUTE), userId: 'u1' }];
    const file = writeNdjson(dir, 'events.ndjson', events);
    expect((await update(file, writeBundle(['a', 'b'], {}, 'userId'), { window: '1h' })).allocation.posteriors!.b).toEqual({ alpha: 2, beta: 1 });
    expect((await update(file, writeBundle(['a', 'b']), { window: '1h' })).allocation.posteriors!.b).toEqual({ alpha: 1, beta: 2 });
  });

  it('counts per segment the trials whose exposure names that segment, when the bandit has segments', async () => {
    const events = [
      exposure('v1', 's1', 'a', 0, { segment: 'vip' }),
      purchase('v1', 's1', MINUTE),
      exposure('v2', 's2', 'b', 0, { segment: 'vip' }),
      exposure('v3', 's3', 'a', 0, { segment: 'new' }),
      exposure('v4', 's4', 'b', 0, { segment: 'new' }),
      purchase('v4', 's4', MINUTE),
      exposure('v5', 's5', 'b', 0),
      purchase('v5', 's5', MINUTE),
    ];
    const bundle = writeBundle(['a', 'b'], { segments: [{ segment: 'vip', posteriors: {} }, { segment: 'new', posteriors: {} }, { segment: 'idle', posteriors: {} }] });
    const { allocation } = await update(writeNdjson(dir, 'events.ndjson', events), bundle);
    expect(allocation.posteriors).toEqual({ a: { alpha: 2, beta: 2 }, b: { alpha: 3, beta: 2 } });
    expect(allocation.segments).toEqual([
      { segment: 'vip', posteriors: { a: { alpha: 2, beta: 1 }, b: { alpha: 1, beta: 2 } } },
      { segment: 'new', posteriors: { a: { alpha: 1, beta: 2 }, b: { alpha: 2, beta: 1 } } },
      { segment: 'idle', posteriors: { a: { alpha: 1, beta: 1 }, b: { alpha: 1, beta: 1 } } },
    ]);
  });

  describe('on 1,500 generated visitors', () => {
    const rates: Record<string, number> = { a: 0.05, b: 0.12, c: 0.2 };

    /** Visitors with 1 to 3 sessions hours apart, each shown one arm on 1 to 3 pages, buying at the arm's rate (sometimes before, or in a later session). */
    function generated(): StoredEvent[] {
      const random = prng(19);
      const make = eventMaker();
      const events: StoredEvent[] = [];
      for (let v = 0; v < 1500; v++) {
        let at = Math.floor(random() * DAY);
        const sessions = 1 + Math.floor(random() * 3);
        for (let s = 0; s < sessions; s++) {
          const session = `v${v}-s${s}`;
          const arm = random() < 0.05 ? 'holdout' : ['a', 'b', 'c'][Math.floor(random() * 3)]!;
          if (random() < 0.03) events.push(make('purchase', `v${v}`, session, {}, T0 + at - MINUTE));
          const pages = 1 + Math.floor(random() * 3);
          for (let p = 0; p < pages; p++) events.push(make('experiment_exposure', `v${v}`, session, { experiment: 'hero-bandit', variant: arm }, T0 + at + p * MINUTE));
          if (random() < (rates[arm] ?? 0.1)) events.push(make('purchase', `v${v}`, session, {}, T0 + at + Math.floor(random() * 20) * MINUTE));
          at += Math.floor((1 + random() * 47) * HOUR);
        }
      }
      return withRedeliveries(events, 11);
    }

    /** Trials and conversions, computed independently with plain loops. */
    function expectedPosteriors(events: StoredEvent[], window?: number): Posteriors {
      const unique = [...new Map(events.map((e) => [e.id, e])).values()];
      const trials = new Map<string, { visitor: string; session: string; arm: string; at: number }>();
      for (const e of unique) {
        if (e.name !== 'experiment_exposure') continue;
        const key = `${e.anonymousId}|${e.sessionId}|${e.properties.variant as string}`;
        const at = Date.parse(e.timestamp);
        if (!trials.has(key) || trials.get(key)!.at > at) trials.set(key, { visitor: e.anonymousId, session: e.sessionId, arm: e.properties.variant as string, at });
      }
      const rewards = unique.filter((e) => e.name === 'purchase');
      const posteriors: Posteriors = { a: { alpha: 1, beta: 1 }, b: { alpha: 1, beta: 1 }, c: { alpha: 1, beta: 1 } };
      for (const trial of trials.values()) {
        const posterior = posteriors[trial.arm];
        if (!posterior) continue;
        const converted = rewards.some((r) => {
          const at = Date.parse(r.timestamp);
          return r.anonymousId === trial.visitor && at >= trial.at && (window === undefined ? r.sessionId === trial.session : at <= trial.at + window);
        });
        if (converted) posterior.alpha++;
        else posterior.beta++;
      }
      return posteriors;
    }

    it('writes the posteriors an independent count finds, per session and with a 24-hour window', async () => {
      const events = generated();
      const file = writeNdjson(dir, 'events.ndjson', events);
      const bySession = (await update(file, writeBundle(['a', 'b', 'c']))).allocation.posteriors!;
      expect(bySession).toEqual(expectedPosteriors(events));
      expect(bySession.c!.alpha / (bySession.c!.alpha + bySession.c!.beta)).toBeGreaterThan(bySession.a!.alpha / (bySession.a!.alpha + bySession.a!.beta));
      const byWindow = (await update(file, writeBundle(['a', 'b', 'c']), { window: '24h' })).allocation.posteriors!;
      expect(byWindow).toEqual(expectedPosteriors(events, DAY));
      expect(byWindow).not.toEqual(bySession);
    });

    it('prints SQL that, run in DuckDB over the raw events (duplicates kept), gives the same exposures and conversions', async () => {
      const file = writeNdjson(dir, 'events.ndjson', generated());
      for (const window of [undefined, '24h']) {
        const options = window === undefined ? {} : { window };
        const posteriors = (await update(file, writeBundle(['a', 'b', 'c']), options)).allocation.posteriors!;
        const printed: string[] = [];
        await banditUpdate({ experiment: 'hero-bandit', 'print-sql': true, ...options }, (line) => printed.push(line), () => undefined);
        const [rows] = await runPrintedSql(printed.join('\n'), file);
        const counted = Object.fromEntries(
          Object.entries(posteriors).map(([arm, { alpha, beta }]) => [arm, { exposures: alpha + beta - 2, conversions: alpha - 1 }]),
        );
        expect(Object.fromEntries(rows!.filter((row) => row.arm !== 'holdout').map((row) => [row.arm, { exposures: row.exposures, conversions: row.conversions }]))).toEqual(counted);
      }
    });
  });
});

describe('attune bandit update with bad input', () => {
  const attune = (...args: string[]) => runAttune(dir, ...args);

  it('names the experiments the bundle has when --experiment is not one of them', () => {
    const bundle = writeBundle();
    const events = writeNdjson(dir, 'events.ndjson', handEvents());
    expectRefusal(attune('bandit', 'update', '--events', events, '--bundle', bundle, '--experiment', 'promo'), bundle, readFileSync(bundle, 'utf8'), /no experiment "promo" \(experiments: "hero-bandit", "cta-test"\)/);
  });

  it('refuses an experiment that is not a bandit', () => {
    const bundle = writeBundle();
    const events = writeNdjson(dir, 'events.ndjson', handEvents());
    expectRefusal(attune('bandit', 'update', '--events', events, '--bundle', bundle, '--experiment', 'cta-test'), bundle, readFileSync(bundle, 'utf8'), /"cta-test" is not a bandit/);
  });

  it('says which events file is missing and which line is not JSON', () => {
    const bundle = writeBundle();
    const before = readFileSync(bundle, 'utf8');
    expectRefusal(attune('bandit', 'update', '--events', 'gone.ndjson', '--bundle', bundle, '--experiment', 'hero-bandit'), bundle, before, /cannot read the events file .*gone\.ndjson/);
    const file = join(dir, 'events.txt');
    writeFileSync(file, 'experiment_exposure,a\n');
    expectRefusal(attune('bandit', 'update', '--events', file, '--bundle', bundle, '--experiment', 'hero-bandit'), bundle, before, /not NDJSON .*line 1 is not JSON/);
  });

  it('exits with 2 for a --window that is not a duration', () => {
    const result = attune('bandit', 'update', '--experiment', 'hero-bandit', '--print-sql', '--window', '1 day');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--window must be a duration such as "30m"');
  });
});
