/**
 * Reading the repository's Markdown pages as GitHub renders them: their headings' anchors, their
 * links and their code blocks, outside code (fenced blocks and inline code spans).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

/** README.md, every docs/*.md page and every package's README, as paths from the repository root. */
export function markdownPages(): string[] {
  const docs = readdirSync(join(ROOT, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`);
  const packages = readdirSync(join(ROOT, 'packages'))
    .map((name) => `packages/${name}/README.md`)
    .filter((path) => existsSync(join(ROOT, path)));
  return ['README.md', ...docs.sort(), ...packages.sort()];
}

export const readPage = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

export interface CodeBlock {
  language: string;
  code: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The block is marked `<!-- sample: partial -->` on a line of its own just before it. */
  partial: boolean;
}

/** The page's fenced code blocks, in order. */
export function codeBlocks(text: string): CodeBlock[] {
  const lines = text.split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)/.exec(lines[i]!);
    if (!open) continue;
    const start = i;
    let end = i + 1;
    while (end < lines.length && !lines[end]!.startsWith('```')) end++;
    let before = start - 1;
    while (before >= 0 && lines[before]!.trim() === '') before--;
    blocks.push({
      language: open[1]!,
      code: lines.slice(start + 1, end).join('\n'),
      line: start + 1,
      partial: before >= 0 && lines[before]!.trim() === '<!-- sample: partial -->',
    });
    i = end;
  }
  return blocks;
}

/** The page's lines outside fenced code blocks, with inline code spans blanked out: [line number, text]. */
function proseLines(text: string): [number, string][] {
  const out: [number, string][] = [];
  let fenced = false;
  text.split('\n').forEach((line, index) => {
    if (line.startsWith('```')) fenced = !fenced;
    else if (!fenced) out.push([index + 1, line.replace(/(`+)[\s\S]*?\1/g, (span) => ' '.repeat(span.length))]);
  });
  return out;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped (but `-` and `_`), spaces to `-`. */
export function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, '')
    .replace(/ /g, '-');
}

/** The anchors of the page's headings, with GitHub's `-1`, `-2`... for repeated ones. */
export function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  let fenced = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const heading = fenced ? null : /^#{1,6} (.*)$/.exec(line);
    if (!heading) continue;
    const base = anchorOf(heading[1]!);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    out.add(count === 0 ? base : `${base}-${count}`);
  }
  return out;
}

export interface Link {
  page: string;
  line: number;
  target: string;
}

/** The page's Markdown links and images (`[text](target)`), outside code. */
export function links(page: string, text: string): Link[] {
  const out: Link[] = [];
  for (const [line, prose] of proseLines(text)) {
    for (const match of prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) out.push({ page, line, target: match[1]! });
  }
  return out;
}

/** What is wrong with an internal link (a relative path or an `#anchor`), or undefined. External links are not checked. */
export function linkProblem(link: Link): string | undefined {
  const { page, target } = link;
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return undefined; // https:, mailto:...
  const hash = target.indexOf('#');
  const path = hash === -1 ? target : target.slice(0, hash);
  const anchor = hash === -1 ? undefined : decodeURIComponent(target.slice(hash + 1));
  const file = path === '' ? join(ROOT, page) : resolve(join(ROOT, dirname(page)), decodeURIComponent(path));
  if (!file.startsWith(ROOT + '/') && file !== ROOT) return `leaves the repository (${target})`;
  if (!existsSync(file)) return `no file ${relative(ROOT, file)}`;
  if (anchor === undefined || anchor === '') return undefined;
  if (!file.endsWith('.md')) return undefined; // e.g. a source line (#L10): GitHub's, not a heading
  if (!anchors(readFileSync(file, 'utf8')).has(anchor)) return `no heading #${anchor} in ${relative(ROOT, file)}`;
  return undefined;
}
