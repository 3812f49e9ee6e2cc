// Signs the demo and e2e bundles with the DEMO-ONLY key (examples/keys/), so editing a bundle never
// leaves a stale signature: `npm start` and the e2e setup run this. A signature that still
// verifies is kept (ECDSA signatures differ on every run, and the .sig files are committed).
//   node scripts/sign-demo-bundles.mjs
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { signBytes, verifyBytes } from '../packages/cli/src/signing.mjs';

const repo = fileURLToPath(new URL('..', import.meta.url));
export const DEMO_BUNDLE_DIRS = ['examples/bundles', 'e2e/pages/bundles'];

/** Re-signs every `*.json` of the demo folders whose `.sig` is missing or stale; returns what it signed. */
export function signDemoBundles({ dirs = DEMO_BUNDLE_DIRS, log = () => {} } = {}) {
  const privateJwk = JSON.parse(readFileSync(`${repo}examples/keys/demo-private.jwk`, 'utf8'));
  const signed = [];
  for (const dir of dirs) {
    for (const name of readdirSync(`${repo}${dir}`).filter((file) => file.endsWith('.json'))) {
      const path = `${repo}${dir}/${name}`;
      const bytes = readFileSync(path);
      let current;
      try {
        current = readFileSync(`${path}.sig`, 'utf8');
      } catch {
        current = undefined;
      }
      if (current !== undefined && verifyBytes(bytes, current, privateJwk)) continue;
      writeFileSync(`${path}.sig`, `${signBytes(bytes, privateJwk)}\n`);
      signed.push(`${dir}/${name}`);
      log(`signed ${dir}/${name} with the demo key`);
    }
  }
  return signed;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const signed = signDemoBundles({ log: (line) => console.log(line) });
  if (signed.length === 0) console.log('Demo bundle signatures are up to date.');
}
