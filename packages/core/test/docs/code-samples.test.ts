/**
 * The TypeScript and JavaScript samples of README.md and docs/ cannot rot: each parses, and each is
 * type-checked against the packages' sources (`@attune/core`, its subpaths, `@attune/openfeature`),
 * so a renamed export, option or method fails here. A sample marked `<!-- sample: partial -->` may
 * use names it does not define (`render`, `json`...): only "cannot find name" (and "no value for
 * the shorthand property") is allowed there.
 * Samples that open with `// examples/...`, `// packages/...` or a file name (`// main.ts`) are
 * those files, whole: other tests keep them equal, and `tsc -b` checks the files themselves.
 */
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { codeBlocks, markdownPages, readPage, ROOT, type CodeBlock } from './markdown.js';

const SCRIPT_LANGUAGES: Record<string, ts.ScriptKind> = { ts: ts.ScriptKind.TS, tsx: ts.ScriptKind.TSX, js: ts.ScriptKind.JS, jsx: ts.ScriptKind.JSX };

interface Sample extends CodeBlock {
  page: string;
  /** A virtual file name for the compiler. */
  file: string;
}

const pages = markdownPages().filter((page) => page === 'README.md' || page.startsWith('docs/'));
const samples: Sample[] = pages.flatMap((page) =>
  codeBlocks(readPage(page))
    .filter((block) => block.language in SCRIPT_LANGUAGES)
    .map((block) => ({ ...block, page, file: join(ROOT, '.samples', `${page.replace(/[/.]/g, '_')}_${block.line}.${block.language}`) })),
);
const isWholeFile = (sample: Sample): boolean => /^\/\/ ([\w.-]+\.[jt]sx?|(examples|packages)\/\S+)\n/.test(sample.code);
const where = (sample: Sample): string => `${sample.page}:${sample.line}`;

const format = (diagnostics: readonly ts.Diagnostic[]): string[] =>
  diagnostics.map((diagnostic) => {
    const at = diagnostic.file && diagnostic.start !== undefined ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start) : undefined;
    return `${at ? `line ${at.line + 1}: ` : ''}TS${diagnostic.code} ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
  });

describe('code samples in README.md and docs/', () => {
  it('finds them', () => {
    expect(samples.length).toBeGreaterThan(20);
  });

  it.each(samples.map((sample) => [where(sample), sample] as const))('%s parses', (_, sample) => {
    const { diagnostics = [] } = ts.transpileModule(sample.code, {
      fileName: sample.file,
      reportDiagnostics: true,
      compilerOptions: { jsx: ts.JsxEmit.Preserve, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
    });
    expect(format(diagnostics)).toEqual([]);
  });

  const checked = samples.filter((sample) => !isWholeFile(sample));
  const src = (path: string): string[] => [join(ROOT, 'packages', path)];
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    allowJs: true,
    checkJs: true,
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    moduleDetection: ts.ModuleDetectionKind.Force,
    jsx: ts.JsxEmit.ReactJSX,
    types: [],
    paths: {
      '@attune/core': src('core/src/index.ts'),
      '@attune/core/server': src('core/src/server/index.ts'),
      '@attune/core/rules': src('core/src/rules.ts'),
      '@attune/core/assign': src('core/src/assign.ts'),
      '@attune/core/adapters': src('core/src/adapters.ts'),
      '@attune/openfeature': src('openfeature/src/index.ts'),
    },
  };
  const host = ts.createCompilerHost(options);
  const byFile = new Map(checked.map((sample) => [sample.file, sample]));
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.readFile = (file) => byFile.get(file)?.code ?? readFile(file);
  host.fileExists = (file) => byFile.has(file) || fileExists(file);
  let program: ts.Program | undefined;

  it.each(checked.map((sample) => [where(sample), sample] as const))('%s type-checks against the packages', (_, sample) => {
    program ??= ts.createProgram([...byFile.keys()], options, host);
    const source = program.getSourceFile(sample.file)!;
    const diagnostics = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
    // A partial sample may use what the text around it defines ("Cannot find name").
    const allowed = sample.partial ? new Set([2304, 2552, 18004]) : new Set<number>();
    expect(format(diagnostics.filter((diagnostic) => !allowed.has(diagnostic.code)))).toEqual([]);
  }, 60_000);
});
