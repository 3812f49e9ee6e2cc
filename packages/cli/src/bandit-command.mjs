// attune bandit update: a bandit's Beta posteriors from collector events.
import { resolve } from 'node:path';
import { durationOption, eventsSummary, positiveOption, remindToSign, withEvents, writeCheckedBundle } from './analytics-support.mjs';
import { CliError, readJsonFile, required } from './cli-support.mjs';
import { banditStatements, printableBanditSql } from './bandit-sql.mjs';

const USAGE =
  'attune bandit update --events <events.ndjson|-> --bundle <bundle.json> --experiment <experiment id> [--reward <event>] ' +
  '[--window <duration>] [--prior 1] [--out <file>] [--print-sql]';

/** The exposure property that names the segment whose posteriors the device sampled. */
const SEGMENT_PROPERTY = 'segment';

/** The experience whose experiment is `id`, or undefined. */
function experienceOf(bundle, id) {
  const experiences = Array.isArray(bundle?.experiences) ? bundle.experiences : [];
  return experiences.find((experience) => experience?.experiment?.id === id);
}

/** The bandit `id` of the bundle: its allocation, arms and unit column, or a CliError saying what is missing. */
function banditOf(bundle, id, bundlePath) {
  const experience = experienceOf(bundle, id);
  if (experience === undefined) {
    const ids = (Array.isArray(bundle.experiences) ? bundle.experiences : []).flatMap((e) => (e?.experiment?.id ? [JSON.stringify(e.experiment.id)] : []));
    throw new CliError(`the bundle ${bundlePath} has no experiment "${id}" (experiments: ${ids.join(', ') || 'none'})`);
  }
  const allocation = experience.experiment.allocation;
  if (allocation === null || typeof allocation !== 'object' || allocation.type !== 'thompson') {
    throw new CliError(`the experiment "${id}" is not a bandit: give it "allocation": { "type": "thompson", "reward": "<event>" } first`);
  }
  // The arms are the variants with a weight above 0 (docs/experiments.md "Bandits"): a posterior for any other is refused.
  const variants = Array.isArray(experience.variants) ? experience.variants : [];
  const arms = variants.flatMap((variant) => (typeof variant?.id === 'string' && (variant.weight ?? 1) > 0 ? [variant.id] : []));
  return { allocation, arms, unit: experience.experiment.unit === 'userId' ? 'user_id' : 'anonymous_id' };
}

/** The query's options: from the command line, else from the bundle's bandit, else defaults. */
function banditOptions(values, { allocation, unit } = {}) {
  const segments = Array.isArray(allocation?.segments) && allocation.segments.length > 0;
  return {
    unit,
    experiment: values.experiment,
    reward: values.reward ?? (typeof allocation?.reward === 'string' ? allocation.reward : 'purchase'),
    windowMs: durationOption(values.window, '--window'),
    window: values.window,
    segmentProperty: segments ? SEGMENT_PROPERTY : undefined,
  };
}

/** arm → { alpha, beta } for every arm; counts of arms not in the bundle go to `ignored`. */
function posteriorsOf(arms, rows, prior, ignored) {
  const counts = new Map(rows.map((row) => [row.arm, row]));
  for (const row of rows) if (!arms.includes(row.arm)) ignored.set(row.arm, (ignored.get(row.arm) ?? 0) + row.exposures);
  return Object.fromEntries(
    arms.map((arm) => {
      const { exposures = 0, conversions = 0 } = counts.get(arm) ?? {};
      return [arm, { alpha: prior + conversions, beta: prior + exposures - conversions }];
    }),
  );
}

/** attune bandit update: see USAGE and docs/cli.md "Bandit posteriors from events". */
export async function banditUpdate(values, print, warn, { stdin = process.stdin } = {}) {
  required(values.experiment, USAGE);
  const prior = positiveOption(values.prior, '--prior', 1);
  const bundlePath = values.bundle === undefined ? undefined : resolve(values.bundle);
  const bundle = bundlePath === undefined ? undefined : readJsonFile(bundlePath, 'bundle');
  if (bundle !== undefined && (bundle === null || typeof bundle !== 'object' || Array.isArray(bundle))) throw new CliError(`the bundle ${bundlePath} is not a JSON object`);
  const bandit = bundle === undefined ? undefined : banditOf(bundle, values.experiment, bundlePath);
  const options = banditOptions(values, bandit);
  if (values['print-sql']) return print(printableBanditSql(options).trimEnd());
  for (const value of [values.events?.length, values.bundle]) required(value, USAGE);

  const { allocation, arms } = bandit;
  const statements = banditStatements(options);
  const { loaded, armRows, segmentRows } = await withEvents(values.events, stdin, async (db, loaded) => ({
    loaded,
    armRows: await db.all(statements.arms),
    segmentRows: statements.segments === undefined ? [] : await db.all(statements.segments),
  }));
  const ignored = new Map();
  allocation.posteriors = posteriorsOf(arms, armRows, prior, ignored);
  if (statements.segments !== undefined) {
    for (const entry of allocation.segments) {
      const rows = segmentRows.filter((row) => row.segment === entry?.segment);
      entry.posteriors = posteriorsOf(arms, rows, prior, new Map());
    }
  }
  if (ignored.size > 0) {
    warn(`warning: exposures to arms that are not variants of "${values.experiment}" were left out: ${[...ignored].map(([arm, n]) => `${arm} (${n})`).join(', ')}`);
  }
  const target = await writeCheckedBundle(bundle, values.out ?? bundlePath, `posteriors of "${values.experiment}"`);
  print(`Wrote the posteriors of bandit "${values.experiment}" into ${target} from ${eventsSummary(loaded)} (reward "${options.reward}"):`);
  for (const arm of arms) {
    const { alpha, beta } = allocation.posteriors[arm];
    print(`  ${arm}: ${alpha + beta - 2 * prior} exposure(s), ${alpha - prior} conversion(s), Beta(${alpha}, ${beta}), mean ${(alpha / (alpha + beta)).toFixed(4)}`);
  }
  remindToSign(target, print);
}
