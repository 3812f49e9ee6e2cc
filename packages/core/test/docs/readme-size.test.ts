import { expect, it } from 'vitest';
import { readPage } from './markdown.js';

/** The `| \`file\` | size | ... |` rows of a page: file → size. */
const sizes = (text: string): Map<string, string> =>
  new Map([...text.matchAll(/^\| `(attune[\w-]*\.min\.js)` \| ([\d.]+ kB) \|/gm)].map(([, file, size]) => [file!, size!]));

it("gives in the README's short size table the sizes of docs/size.md", () => {
  const readme = sizes(readPage('README.md'));
  const full = sizes(readPage('docs/size.md'));
  expect(readme.size).toBeGreaterThan(5);
  for (const [file, size] of readme) expect(size, file).toBe(full.get(file));
  const weight = /`import \{ createAttune \}` weighs ([\d.]+ kB)/;
  expect(readPage('README.md').match(weight)?.[1]).toBe(readPage('docs/size.md').match(weight)?.[1]);
});
