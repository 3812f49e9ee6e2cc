#!/usr/bin/env node
// The Attune command line. Run `attune help` for the commands.
import { parseArgs } from 'node:util';
import { CliError, keygen, schema, signBundle, validate, verifyBundle } from '../src/commands.mjs';
import { importModel } from '../src/model-commands.mjs';
import { recsBuild } from '../src/recs-command.mjs';
import { banditUpdate } from '../src/bandit-command.mjs';
import { report } from '../src/report-command.mjs';
import { bundleDiff } from '../src/bundle-diff.mjs';
import { bundleBuild } from '../src/bundle-build.mjs';
import { simulate } from '../src/simulate-command.mjs';

const HELP = `attune <command>

  keygen --out <dir> [--force]          new ECDSA P-256 key pair: <dir>/private.jwk (secret), <dir>/public.jwk;
                                        prints the public key to give to createAttune({ bundleKey }) / data-bundle-key
  sign <bundle.json> --key <private.jwk> [--out <file>]
                                        writes the detached signature <bundle.json>.sig (publish it next to the bundle)
  verify <bundle.json> --key <public.jwk> [--sig <file>]
                                        checks <bundle.json>.sig the way browsers do
  validate <bundle.json>                checks the bundle as browsers do (schema, references, rules)
  schema [--out <file>]                 prints (or writes) the bundle JSON Schema, for "$schema" in your bundles
  model import-xgboost <model.json> --id <id> --features <features.json> [--bundle <bundle.json>] [--out <file>]
                                        an XGBoost model (Booster.save_model JSON) as a models[] entry: into the
                                        bundle (replacing the entry of that id; --out writes elsewhere) or printed
  model import-sklearn <coef.json> --id <id> --features <features.json> [--bundle <bundle.json>] [--out <file>]
                                        a scikit-learn LogisticRegression (coef_, intercept_, feature names,
                                        optional StandardScaler mean_/scale_) as a models[] entry, the same way
                                        (features.json maps each model feature name to a path or rule: see docs/models.md)
  recs build --events <events.ndjson|-> --bundle <bundle.json> --id <recommender id> [--event <name>]...
             [--item-property <name>]... [--min-support 2] [--top 10] [--catalog <file>] [--out <file>] [--print-sql]
                                        the recommender's item neighbors (co-viewed within sessions, cosine score,
                                        at least --min-support sessions) and popularity, from collector events (DuckDB),
                                        into its items or its catalog file; views and item ids default to those of
                                        profile.viewed; --print-sql prints the same query for a warehouse instead
  bandit update --events <events.ndjson|-> --bundle <bundle.json> --experiment <id> [--reward <event>]
                [--window <duration>] [--prior 1] [--out <file>] [--print-sql]
                                        the bandit's Beta posteriors per arm (and segment): a session shown an arm
                                        converts on a reward event later in that session (--window 24h: within that
                                        time, any session); --print-sql prints the same query for a warehouse
  bundle build <dir> [--out <bundle.json>] [--key <private.jwk>]
                                        one bundle from a folder of JSON or YAML files (lists concatenated, content
                                        merged), checked as browsers do, errors at file:line:column; --key signs it
  bundle diff <old.json> <new.json> [--json]
                                        what changed between two bundles, in words, for reviews (experiences,
                                        traffic, holdout, weights, content text, segments, models, recommenders)
  simulate <bundle.json> [--profile <profile.json>] [--context <context.json>] [--now <ISO>] [--json]
                                        every slot's decision (reason, experience, variant, content, scores), the
                                        segments and the stage of a visitor whose profile is built from the
                                        profile file's events, as the browser would decide
  report --events <file|dir|-> [--events ...] [--bundle <bundle.json>] [--goal <event>[:<property>=<value>]]...
         [--window 7d] [--revenue revenue] [--json] [--html <file>] [--print-sql]
                                        per experiment and variant: exposed units (from the first exposure), conversions
                                        per goal within the window, rate, lift vs control with 95% intervals, p-value,
                                        revenue per unit, the sample-ratio-mismatch check (with --bundle) and
                                        personalization vs holdout; malformed lines are skipped and listed;
                                        --html writes a self-contained page with charts; --sql <dialect> prints
                                        the queries for duckdb, bigquery, snowflake or clickhouse, and
                                        --from-aggregates <file> reports from what they return
`;

const print = (line) => console.log(line);
const warn = (line) => console.error(line);
const SUBCOMMANDS = new Set(['model', 'recs', 'bandit', 'bundle']);

/** `recs build` and `bandit update` take no file argument. */
function only(command, subcommand, expected, file) {
  if (subcommand !== expected) throw new CliError(`unknown ${command} command "${subcommand ?? ''}": use attune ${command} ${expected}`, 2);
  if (file !== undefined) throw new CliError(`unexpected argument: ${file} (events are read with --events <file>)`, 2);
}

async function main(argv) {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      key: { type: 'string' },
      sig: { type: 'string' },
      force: { type: 'boolean', default: false },
      id: { type: 'string' },
      features: { type: 'string' },
      bundle: { type: 'string' },
      events: { type: 'string', multiple: true },
      event: { type: 'string', multiple: true },
      'item-property': { type: 'string', multiple: true },
      catalog: { type: 'string' },
      'min-support': { type: 'string' },
      top: { type: 'string' },
      experiment: { type: 'string' },
      reward: { type: 'string' },
      window: { type: 'string' },
      prior: { type: 'string' },
      goal: { type: 'string', multiple: true },
      revenue: { type: 'string' },
      json: { type: 'boolean', default: false },
      html: { type: 'string' },
      sql: { type: 'string' },
      'from-aggregates': { type: 'string' },
      profile: { type: 'string' },
      context: { type: 'string' },
      now: { type: 'string' },
      'print-sql': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || command === undefined || command === 'help') return print(HELP.trimEnd());
  // `model`, `recs` and `bandit` take a subcommand (before its file, for `model`).
  const [subcommand, file, ...extra] = SUBCOMMANDS.has(command) ? rest : [undefined, ...rest];
  // `bundle diff` compares two files.
  const second = command === 'bundle' ? extra.shift() : undefined;
  if (extra.length > 0) throw new CliError(`unexpected argument(s): ${extra.join(' ')}`, 2);
  switch (command) {
    case 'keygen':
      return keygen(values, print);
    case 'sign':
      return void signBundle(file, values, print);
    case 'verify':
      return verifyBundle(file, values, print);
    case 'validate':
      return validate(file, print);
    case 'schema':
      return schema(values, print);
    case 'model':
      return importModel(subcommand, file, values, print, warn);
    case 'recs':
      only(command, subcommand, 'build', file);
      return recsBuild(values, print);
    case 'bandit':
      only(command, subcommand, 'update', file);
      return banditUpdate(values, print, warn);
    case 'bundle':
      if (subcommand === 'build') {
        if (second !== undefined) throw new CliError(`unexpected argument: ${second}`, 2);
        return bundleBuild(file, values, print);
      }
      if (subcommand !== 'diff') throw new CliError(`unknown bundle command "${subcommand ?? ''}": use attune bundle build <dir> or attune bundle diff <old.json> <new.json>`, 2);
      return bundleDiff(file, second, values, print);
    case 'simulate':
      return simulate(file, values, print);
    case 'report':
      if (file !== undefined) throw new CliError(`unexpected argument: ${file} (events are read with --events <file>)`, 2);
      return void (await report(values, print, warn));
    default:
      throw new CliError(`unknown command "${command}"\n\n${HELP.trimEnd()}`, 2);
  }
}

main(process.argv.slice(2)).catch((error) => {
  const usage = error instanceof CliError || error?.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || error?.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE';
  console.error(`attune: ${usage ? error.message : error?.stack ?? error}`);
  process.exitCode = error instanceof CliError ? error.exitCode : usage ? 2 : 1;
});
