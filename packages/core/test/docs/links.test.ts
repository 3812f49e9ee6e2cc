import { describe, expect, it } from 'vitest';
import { anchorOf, anchors, linkProblem, links, markdownPages, readPage } from './markdown.js';

describe('GitHub anchors', () => {
  it('lower-cases, drops punctuation but - and _, and turns spaces into -', () => {
    expect(anchorOf('Bandits (`experiment.allocation`)')).toBe('bandits-experimentallocation');
    expect(anchorOf('`createAttune(options?) → AttuneClient`')).toBe('createattuneoptions--attuneclient');
    expect(anchorOf('Experiments: assignment')).toBe('experiments-assignment');
    expect(anchorOf('snake_case and kebab-case')).toBe('snake_case-and-kebab-case');
  });

  it('numbers repeated headings as GitHub does, and ignores # lines in code blocks', () => {
    expect([...anchors('# A\n\n## A\n\n```sh\n# not a heading\n```\n### A\n')]).toEqual(['a', 'a-1', 'a-2']);
  });
});

describe('the links of README.md, docs/ and the package READMEs', () => {
  it('finds the pages', () => {
    expect(markdownPages()).toEqual(expect.arrayContaining(['README.md', 'docs/architecture.md', 'docs/api.md', 'packages/core/README.md']));
  });

  it('reports a missing file or a missing anchor, and ignores links inside code', () => {
    const found = links('docs/api.md', '[a](missing.md) [b](#nowhere) [c](consent.md#consent) `[d](missing.md)`\n```\n[e](missing.md)\n```\n');
    expect(found.map((link) => [link.target, linkProblem(link)])).toEqual([
      ['missing.md', 'no file docs/missing.md'],
      ['#nowhere', 'no heading #nowhere in docs/api.md'],
      ['consent.md#consent', undefined],
    ]);
  });

  it.each(markdownPages())('%s links only to files and headings that exist', (page) => {
    const problems = links(page, readPage(page))
      .map((link) => ({ link, problem: linkProblem(link) }))
      .filter(({ problem }) => problem !== undefined)
      .map(({ link, problem }) => `${page}:${link.line} (${link.target}): ${problem}`);
    expect(problems).toEqual([]);
  });

  it("lists every docs/ page in the README's Documentation section", () => {
    const readme = readPage('README.md');
    const section = readme.slice(readme.indexOf('\n## Documentation\n'));
    const listed = new Set(links('README.md', section).map((link) => link.target.split('#')[0]));
    const pages = markdownPages().filter((page) => page.startsWith('docs/'));
    expect(pages.filter((page) => !listed.has(page))).toEqual([]);
  });

  it('leaves no link to ../shared/, which a clone does not have', () => {
    const shared = markdownPages().flatMap((page) => links(page, readPage(page)).filter((link) => link.target.includes('shared/')));
    expect(shared).toEqual([]);
  });
});
