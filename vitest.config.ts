import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.{ts,tsx}', 'examples/*/test/**/*.test.{ts,tsx}', 'e2e/*.test.ts'],
    environment: 'node',
    // Each file gets a fresh module graph, so fake-indexeddb state never leaks between files.
    isolate: true,
  },
});
