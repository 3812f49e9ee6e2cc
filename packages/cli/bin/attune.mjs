#!/usr/bin/env node
// The Attune command line. Run `attune help` for the commands.
import { parseArgs } from 'node:util';
import { CliError, keygen, schema, signBundle, validate, verifyBundle } from '../src/commands.mjs';
import { importModel } from '../src/model-commands.mjs';

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
                                        (features.json maps each model feature name to a path or rule: see README)
`;

const print = (line) => console.log(line);

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
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || command === undefined || command === 'help') return print(HELP.trimEnd());
  // `model` takes a subcommand before its file.
  const [subcommand, file, ...extra] = command === 'model' ? rest : [undefined, ...rest];
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
      return importModel(subcommand, file, values, print, (line) => console.error(line));
    default:
      throw new CliError(`unknown command "${command}"\n\n${HELP.trimEnd()}`, 2);
  }
}

main(process.argv.slice(2)).catch((error) => {
  const usage = error instanceof CliError || error?.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || error?.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE';
  console.error(`attune: ${usage ? error.message : error?.stack ?? error}`);
  process.exitCode = error instanceof CliError ? error.exitCode : usage ? 2 : 1;
});
