import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

const root = new URL('../../../', import.meta.url);
const readme = readFileSync(new URL('README.md', root), 'utf8');

it('shows in the README exactly the example files the end-to-end tests run', () => {
  // A README code block whose first line is `// examples/...` is that file, whole.
  const blocks = [...readme.matchAll(/```tsx?\n\/\/ (examples\/[^\n]+)\n([\s\S]*?)```/g)];
  expect(blocks.map(([, path]) => path)).toEqual([
    'examples/react-shop/src/main.tsx',
    'examples/react-shop/src/hero.tsx',
    'examples/react-shop/src/consent-banner.tsx',
    'examples/next-shop/app/server-decisions.ts',
    'examples/next-shop/app/page.tsx',
    'examples/next-shop/app/attune.ts',
    'examples/next-shop/app/shop.tsx',
    'examples/next-shop/app/page-views.tsx',
  ]);
  for (const [, path, code] of blocks) expect(code, path).toBe(readFileSync(new URL(path!, root), 'utf8'));
});
