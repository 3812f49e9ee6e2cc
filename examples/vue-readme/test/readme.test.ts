import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

const here = new URL('..', import.meta.url);
const page = (path: string): string => readFileSync(new URL(`../../${path}`, here), 'utf8');

/** A text's TypeScript blocks that name a file on their first line (`// app.ts`): file → code. */
const blocksOf = (text: string) => new Map([...text.matchAll(/```ts\n\/\/ ([\w.-]+)\n([\s\S]*?)```/g)].map(([, file, code]) => [file!, code!]));

const readme = page('README.md');
/** The README's Vue start, from its heading to the next section of the same level or above. */
const start = readme.slice(readme.indexOf('\n### Vue in 5 minutes\n'), readme.indexOf('\n## ', readme.indexOf('\n### Vue in 5 minutes\n')));
const pages = { 'README.md': blocksOf(start), 'docs/vue.md': blocksOf(page('docs/vue.md')) };

it('shows the four files of examples/vue-readme in docs/vue.md, and the two of the single-page app in the README', () => {
  expect([...pages['docs/vue.md'].keys()].sort()).toEqual(['app.ts', 'client.ts', 'main.ts', 'server.ts']);
  expect([...pages['README.md'].keys()].sort()).toEqual(['app.ts', 'main.ts']);
});

it.each([
  ['docs/vue.md', 'main.ts'],
  ['docs/vue.md', 'app.ts'],
  ['docs/vue.md', 'server.ts'],
  ['docs/vue.md', 'client.ts'],
  ['README.md', 'main.ts'],
  ['README.md', 'app.ts'],
] as const)('shows in %s the file %s exactly as the example the end-to-end tests run', (path, file) => {
  expect(pages[path].get(file)).toBe(readFileSync(new URL(file, here), 'utf8'));
});
