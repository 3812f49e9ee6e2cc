import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

/** Bundles the IAB test CMP for the browser (served from /e2e/generated/). */
export default async function globalSetup(): Promise<void> {
  const here = fileURLToPath(new URL('.', import.meta.url));
  await build({
    entryPoints: { 'tcf-stub': `${here}cmp/stub-entry.ts`, 'test-cmp': `${here}cmp/test-cmp.ts` },
    outdir: `${here}pages/generated`,
    bundle: true,
    format: 'iife',
    target: 'es2020',
    logLevel: 'warning',
  });
}
