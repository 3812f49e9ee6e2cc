import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Wrapper tests run against core's source, so they need no build first.
  resolve: {
    alias: [
      { find: /^@attune\/core$/, replacement: fileURLToPath(new URL('packages/core/src/index.ts', import.meta.url)) },
      { find: /^@attune\/core\/server$/, replacement: fileURLToPath(new URL('packages/core/src/server/index.ts', import.meta.url)) },
    ],
  },
  test: {
    include: ['packages/*/test/**/*.test.{ts,tsx}', 'examples/*/test/**/*.test.{ts,tsx}', 'e2e/*.test.ts'],
    environment: 'node',
    // Each file gets a fresh module graph, so fake-indexeddb state never leaks between files.
    isolate: true,
  },
});
