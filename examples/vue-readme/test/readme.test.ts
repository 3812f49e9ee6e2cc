import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

const here = new URL('..', import.meta.url);
const readme = readFileSync(new URL('../../README.md', here), 'utf8');
/** The README's Vue section, from its heading to the next section of the same level or above. */
const section = readme.slice(readme.indexOf('\n### Vue\n'), readme.indexOf('\n## ', readme.indexOf('\n### Vue\n')));
/** Its TypeScript blocks that name a file on their first line (`// app.ts`): file → code. */
const blocks = new Map([...section.matchAll(/```ts\n\/\/ ([\w.-]+)\n([\s\S]*?)```/g)].map(([, file, code]) => [file!, code!]));

it('shows the four files of examples/vue-readme', () => {
  expect([...blocks.keys()].sort()).toEqual(['app.ts', 'client.ts', 'main.ts', 'server.ts']);
});

it.each(['main.ts', 'app.ts', 'server.ts', 'client.ts'])('shows %s exactly as the example the end-to-end tests run', (file) => {
  expect(blocks.get(file)).toBe(readFileSync(new URL(file, here), 'utf8'));
});
