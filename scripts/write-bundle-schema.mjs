// `npm run schema`: writes packages/core/bundle.schema.json, the JSON Schema of the bundle format,
// from the zod schema (packages/core/src/bundle/json-schema.ts). Commit the result; a unit test
// fails while the checked-in file differs from what the schema generates.
import { build } from 'esbuild';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const output = `${repo}packages/core/bundle.schema.json`;

// Node 20 cannot import TypeScript: bundle the generator in memory, then import it.
const result = await build({
  entryPoints: [`${repo}packages/core/src/bundle/json-schema.ts`],
  bundle: true,
  platform: 'node',
  format: 'esm',
  write: false,
  logLevel: 'warning',
});
const module = await import(`data:text/javascript;base64,${Buffer.from(result.outputFiles[0].text).toString('base64')}`);
writeFileSync(output, `${JSON.stringify(module.bundleJsonSchema(), null, 2)}\n`);
console.log(`Wrote ${output}`);
