import { execFileSync } from 'node:child_process';
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

/**
 * Bundles the IAB test CMP for the browser (served from /e2e/generated/), and re-signs the demo
 * and e2e bundles whose signature went stale (an edited bundle must not fail for that).
 */
export default async function globalSetup(): Promise<void> {
  const here = fileURLToPath(new URL('.', import.meta.url));
  execFileSync(process.execPath, [`${here}../scripts/sign-demo-bundles.mjs`], { stdio: 'inherit' });
  await build({
    entryPoints: { 'tcf-stub': `${here}cmp/stub-entry.ts`, 'test-cmp': `${here}cmp/test-cmp.ts` },
    outdir: `${here}pages/generated`,
    bundle: true,
    format: 'iife',
    target: 'es2020',
    logLevel: 'warning',
  });
}
