import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

const root = new URL('../../../', import.meta.url);

/** A page's code blocks whose first line is `// examples/...`: each is that file, whole. */
function exampleBlocks(page: string): [path: string, code: string][] {
  const text = readFileSync(new URL(page, root), 'utf8');
  return [...text.matchAll(/```tsx?\n\/\/ (examples\/[^\n]+)\n([\s\S]*?)```/g)].map(([, path, code]) => [path!, code!]);
}

it.each([
  ['README.md', ['examples/react-shop/src/main.tsx', 'examples/react-shop/src/hero.tsx']],
  ['docs/react.md', ['examples/react-shop/src/main.tsx', 'examples/react-shop/src/hero.tsx', 'examples/react-shop/src/consent-banner.tsx']],
  [
    'docs/ssr.md',
    [
      'examples/next-shop/app/server-decisions.ts',
      'examples/next-shop/app/page.tsx',
      'examples/next-shop/app/attune.ts',
      'examples/next-shop/app/shop.tsx',
      'examples/next-shop/app/page-views.tsx',
    ],
  ],
])('shows in %s exactly the example files the end-to-end tests run', (page, paths) => {
  const blocks = exampleBlocks(page);
  expect(blocks.map(([path]) => path)).toEqual(paths);
  for (const [path, code] of blocks) expect(code, path).toBe(readFileSync(new URL(path, root), 'utf8'));
});
