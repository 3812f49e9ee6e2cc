import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const path = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));
const react18 = path('packages/react18-compat/node_modules/');

export default defineConfig({
  // Wrapper tests run against core's source, so they need no build first.
  resolve: {
    alias: [
      { find: /^@attune\/core$/, replacement: path('packages/core/src/index.ts') },
      { find: /^@attune\/core\/server$/, replacement: path('packages/core/src/server/index.ts') },
      { find: /^@attune\/core\/(rules|assign|adapters)$/, replacement: `${path('packages/core/src/')}$1.ts` },
      { find: /^@attune\/openfeature$/, replacement: path('packages/openfeature/src/index.ts') },
    ],
  },
  test: {
    environment: 'node',
    // Each file gets a fresh module graph, so fake-indexeddb state never leaks between files.
    isolate: true,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['packages/*/test/**/*.test.{ts,tsx}', 'examples/*/test/**/*.test.{ts,tsx}', 'e2e/*.test.ts'] },
      },
      {
        // @attune/react supports React 18 too: its component and SSR tests run again against
        // React 18.3 (packages/react18-compat), Testing Library included.
        extends: true,
        resolve: {
          alias: [
            { find: /^react(-dom)?(\/.*)?$/, replacement: `${react18}react$1$2` },
            // Its ESM build, so that its own imports of react-dom go through the alias above.
            { find: /^@testing-library\/react$/, replacement: path('node_modules/@testing-library/react/dist/@testing-library/react.esm.js') },
          ],
        },
        test: { name: 'react18', include: ['packages/react/test/**/*.test.tsx'], server: { deps: { inline: [/@testing-library/] } } },
      },
    ],
  },
});
