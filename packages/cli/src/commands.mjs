import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CliError, loadCore, readJsonFile, required } from './cli-support.mjs';
import { generateKeyPair, publicJwkOf, signBytes, verifyBytes } from './signing.mjs';

export { CliError };

/** attune keygen --out <dir> [--force] */
export function keygen({ out, force }, print) {
  const dir = resolve(required(out, 'attune keygen --out <dir>'));
  const privatePath = join(dir, 'private.jwk');
  const publicPath = join(dir, 'public.jwk');
  if (existsSync(privatePath) && !force) throw new CliError(`${privatePath} exists: keep it, or pass --force to replace the key pair (bundles signed with it will then be rejected)`);
  const { privateJwk, publicJwk } = generateKeyPair();
  mkdirSync(dir, { recursive: true });
  writeFileSync(privatePath, `${JSON.stringify(privateJwk, null, 2)}\n`, { mode: 0o600 });
  writeFileSync(publicPath, `${JSON.stringify(publicJwk, null, 2)}\n`);
  print(`Wrote ${privatePath} (secret: sign bundles with it, never publish it)`);
  print(`Wrote ${publicPath}`);
  print('Public key for createAttune({ bundleKey }) or the tag\'s data-bundle-key:');
  print(JSON.stringify(publicJwk));
}

/** attune sign <bundle.json> --key <private.jwk> [--out <file>] */
export function signBundle(bundlePath, { key, out }, print) {
  const usage = 'attune sign <bundle.json> --key <private.jwk> [--out <bundle.json.sig>]';
  const file = resolve(required(bundlePath, usage));
  const privateJwk = readJsonFile(resolve(required(key, usage)), 'private key');
  const bytes = readFileSync(file);
  readJsonFile(file, 'bundle'); // Refuse to sign something that is not JSON.
  let signature;
  try {
    signature = signBytes(bytes, privateJwk);
  } catch (error) {
    throw new CliError(error.message);
  }
  const target = resolve(out ?? `${file}.sig`);
  writeFileSync(target, `${signature}\n`);
  print(`Signed ${file} -> ${target}`);
  return target;
}

/** attune verify <bundle.json> --key <public.jwk> [--sig <file>] */
export function verifyBundle(bundlePath, { key, sig }, print) {
  const usage = 'attune verify <bundle.json> --key <public.jwk> [--sig <bundle.json.sig>]';
  const file = resolve(required(bundlePath, usage));
  const publicJwk = readJsonFile(resolve(required(key, usage)), 'public key');
  const sigPath = resolve(sig ?? `${file}.sig`);
  let signature;
  try {
    signature = readFileSync(sigPath, 'utf8');
  } catch {
    throw new CliError(`no signature at ${sigPath}: sign the bundle with attune sign`);
  }
  let good;
  try {
    good = verifyBytes(readFileSync(file), signature, publicJwk);
  } catch (error) {
    throw new CliError(error.message);
  }
  if (!good) throw new CliError(`${file}: the signature in ${sigPath} does not match (the file changed after signing, or another key signed it)`);
  print(`${file}: signature OK`);
}

/** attune validate <bundle.json>: the checks the browser runs (schema, references, rules). */
export async function validate(bundlePath, print) {
  const file = resolve(required(bundlePath, 'attune validate <bundle.json>'));
  const value = readJsonFile(file, 'bundle');
  const core = await loadCore();
  try {
    const bundle = core.checkBundle(value);
    const expired = bundle.expiresAt !== undefined && Date.parse(bundle.expiresAt) <= Date.now();
    print(`${file}: valid (bundle "${bundle.id}", version ${bundle.version}, ${bundle.experiences.length} experience(s))`);
    if (expired) print(`warning: it expired at ${bundle.expiresAt}; browsers refuse it (they keep their last good bundle, else serve default content)`);
    const bytes = readFileSync(file).length;
    if (bytes > core.MAX_BUNDLE_BYTES) print(`warning: it is ${bytes} bytes, over the ${core.MAX_BUNDLE_BYTES} browsers accept by default (maxBundleBytes): make it smaller, or raise maxBundleBytes`);
  } catch (error) {
    throw new CliError(`${file}: ${error.code ?? 'invalid'}: ${error.message}`);
  }
}

/** attune schema [--out <file>]: the bundle JSON Schema shipped with @attune/core. */
export function schema({ out }, print) {
  let path;
  try {
    path = new URL(import.meta.resolve('@attune/core/bundle.schema.json'));
  } catch (error) {
    throw new CliError(`cannot find @attune/core/bundle.schema.json (${error.message})`);
  }
  const text = readFileSync(path, 'utf8');
  if (!out) return print(text.trimEnd());
  writeFileSync(resolve(out), text);
  print(`Wrote ${resolve(out)}; add "$schema": "${out}" to your bundle for editor completion`);
}

export { publicJwkOf };
