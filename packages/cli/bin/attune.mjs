#!/usr/bin/env node
// The Attune command line. Run `attune help` for the commands.
import { parseArgs } from 'node:util';
import { CliError, keygen, schema, signBundle, validate, verifyBundle } from '../src/commands.mjs';

const HELP = `attune <command>

  keygen --out <dir> [--force]          new ECDSA P-256 key pair: <dir>/private.jwk (secret), <dir>/public.jwk;
                                        prints the public key to give to createAttune({ bundleKey }) / data-bundle-key
  sign <bundle.json> --key <private.jwk> [--out <file>]
                                        writes the detached signature <bundle.json>.sig (publish it next to the bundle)
  verify <bundle.json> --key <public.jwk> [--sig <file>]
                                        checks <bundle.json>.sig the way browsers do
  validate <bundle.json>                checks the bundle as browsers do (schema, references, rules)
  schema [--out <file>]                 prints (or writes) the bundle JSON Schema, for "$schema" in your bundles
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
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, file, ...extra] = positionals;
  if (values.help || command === undefined || command === 'help') return print(HELP.trimEnd());
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
    default:
      throw new CliError(`unknown command "${command}"\n\n${HELP.trimEnd()}`, 2);
  }
}

main(process.argv.slice(2)).catch((error) => {
  const usage = error instanceof CliError || error?.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || error?.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE';
  console.error(`attune: ${usage ? error.message : error?.stack ?? error}`);
  process.exitCode = error instanceof CliError ? error.exitCode : usage ? 2 : 1;
});
