// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { checkoutLabel, startFlags } from './example/flags.js';
import { isolateTests } from './browser.js';
import { flagsBundle } from './flags-bundle.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const example = 'packages/openfeature/test/example/flags.ts';

isolateTests();

it('shows in docs/openfeature.md and the package README exactly the example this file runs', () => {
  const code = readFileSync(join(root, example), 'utf8');
  for (const page of ['docs/openfeature.md', 'packages/openfeature/README.md']) {
    const block = readFileSync(join(root, page), 'utf8').match(/```ts\n\/\/ (packages\/openfeature\/test\/example\/[^\n]+)\n([\s\S]*?)```/);
    expect(block?.[1], page).toBe(example);
    expect(block?.[2], page).toBe(code);
  }
});

it("runs the docs' example: the default before consent, the signed-in user's personalized label after it", async () => {
  const attune = await startFlags({ bundle: flagsBundle });
  expect(checkoutLabel()).toBe('Buy now');
  await attune.consent.grant();
  expect(checkoutLabel()).toBe('Your pro checkout');
  attune.destroy();
});
