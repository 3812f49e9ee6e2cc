// `node scripts/check-packages.mjs` (a step of `npm test`, after the build): is every published
// package what a user can install and trust? It builds nothing: it packs each workspace package
// under packages/ that is not private (`npm pack`, into a temporary folder) and checks the tarball
//   - with publint (strict: a warning fails like an error; suggestions are printed),
//   - with @arethetypeswrong/cli, profile esm-only: the packages are ESM only on purpose (no CommonJS
//     build), so attw's node10 and node16-from-CommonJS resolutions do not apply; TypeScript's
//     node16/nodenext (from ESM) and bundler resolutions must find the types of every entry point
//     (wildcard exports, the tag's classic-script files `./*.min.js`, are not modules: attw skips them,
//     publint checks that they match files),
//   - for what the tarball holds: README.md, LICENSE (the root's MIT text), no tests, TypeScript
//     sources, source or declaration maps, or build info,
// and across packages: one version for all, internal dependencies pinned to it, internal peers `^`
// it, one repository. Prints a table; exits 1 on any problem.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));
const require = createRequire(import.meta.url);
const attwManifest = require.resolve('@arethetypeswrong/cli/package.json');
const attwBin = join(dirname(attwManifest), readJson(attwManifest).bin.attw);

/** A tarball must hold these; nothing a user does not run or read (tests, sources, maps, build info). */
const REQUIRED_FILES = ['package.json', 'README.md', 'LICENSE'];
const UNWANTED_FILE = /(^|\/)(test|tests|__tests__)\/|\.map$|\.tsbuildinfo$|(?<!\.d)\.(ts|tsx|mts|cts)$/;
const LICENSE_TEXT = readFileSync(join(root, 'LICENSE'), 'utf8');

const packages = readJson(join(root, 'package.json'))
  .workspaces.filter((dir) => dir.startsWith('packages/'))
  .map((dir) => ({ dir, manifest: readJson(join(root, dir, 'package.json')) }));
const published = packages.filter(({ manifest }) => !manifest.private);
const skipped = packages.filter(({ manifest }) => manifest.private);

/** Problems that are not about one tarball: versions, internal ranges, repository, license. */
function consistencyProblems() {
  const problems = [];
  const version = published[0]?.manifest.version;
  const names = new Set(published.map(({ manifest }) => manifest.name));
  const repositories = new Set();
  for (const { dir, manifest } of published) {
    const where = manifest.name;
    if (manifest.version !== version) problems.push(`${where}: version ${manifest.version}, the others ${version} (one version for all)`);
    if (manifest.license !== 'MIT') problems.push(`${where}: license ${manifest.license ?? '(none)'}, not MIT`);
    if (manifest.repository?.directory !== dir) problems.push(`${where}: repository.directory should be "${dir}"`);
    repositories.add(manifest.repository?.url);
    const bins = typeof manifest.bin === 'string' ? [manifest.bin] : Object.values(manifest.bin ?? {});
    for (const bin of bins.filter((path) => path.startsWith('./'))) problems.push(`${where}: bin "${bin}" starts with ./ (npm 11 drops such an entry at publish: write "${bin.slice(2)}")`);
    for (const [field, expected] of [['dependencies', version], ['peerDependencies', `^${version}`], ['optionalDependencies', version]]) {
      for (const [name, range] of Object.entries(manifest[field] ?? {})) {
        if (names.has(name) && range !== expected) problems.push(`${where}: ${field} ${name} is "${range}", should be "${expected}"`);
      }
    }
    const license = join(root, dir, 'LICENSE');
    if (existsSync(license) && readFileSync(license, 'utf8') !== LICENSE_TEXT) problems.push(`${where}: LICENSE differs from the root LICENSE`);
  }
  if (repositories.size > 1) problems.push(`repository.url differs between packages: ${[...repositories].join(', ')}`);
  return problems;
}

function pack(dir, destination) {
  const result = spawnSync('npm', ['pack', '--json', '--pack-destination', destination], { cwd: join(root, dir), encoding: 'utf8', shell: process.platform === 'win32' });
  if (result.status !== 0) throw new Error(`npm pack in ${dir} failed:\n${result.stderr}`);
  const [info] = JSON.parse(result.stdout);
  return { ...info, tarball: join(destination, info.filename) };
}

function contentProblems(files) {
  const paths = files.map((file) => file.path);
  return [
    ...REQUIRED_FILES.filter((name) => !paths.includes(name)).map((name) => `tarball lacks ${name}`),
    ...paths.filter((path) => UNWANTED_FILE.test(path)).map((path) => `tarball holds ${path} (tests, sources, maps and build info stay out: "files" in package.json)`),
  ];
}

async function runPublint(tarball, manifest) {
  const data = readFileSync(tarball);
  const { messages } = await publint({ pack: { tarball: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) }, strict: true });
  const text = (message) => `publint ${message.type}: ${formatMessage(message, manifest, { color: false }) ?? message.code}`;
  return {
    problems: messages.filter((m) => m.type !== 'suggestion').map(text),
    notes: messages.filter((m) => m.type === 'suggestion').map(text),
  };
}

function runAttw(tarball) {
  const result = spawnSync(process.execPath, [attwBin, tarball, '--profile', 'esm-only', '--format', 'json', '--no-color'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  let report;
  try {
    report = JSON.parse(result.stdout);
  } catch {
    return { problems: [`attw did not run (exit ${result.status}): ${result.stderr.trim() || result.stdout.slice(0, 500)}`], entrypoints: 0 };
  }
  const ignored = new Set(['node10', 'node16-cjs']); // what --profile esm-only ignores, for the listing
  const listed = Object.values(report.problems ?? {})
    .flat()
    .filter((problem) => !ignored.has(problem.resolutionKind))
    .map((problem) => {
      const where = problem.entrypoint ? ` at "${problem.entrypoint}"` : problem.fileName ? ` in ${problem.fileName}: "${problem.moduleSpecifier}"` : '';
      return `attw ${problem.kind}${where} (${problem.resolutionKind ?? problem.resolutionOption ?? 'every resolution'})`;
    });
  const entrypoints = Object.values(report.analysis?.entrypoints ?? {}).filter((entry) => !entry.isWildcard).length;
  // attw's exit status is the verdict under the profile; the listing only says why.
  const problems = result.status === 0 ? [] : listed.length ? listed : [`attw exited ${result.status}`];
  return { problems, entrypoints };
}

const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;
const table = (rows) => {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => String(row[i]).length)));
  return rows.map((row) => row.map((cell, i) => String(cell).padEnd(widths[i])).join('  ').trimEnd()).join('\n');
};

const missingBuild = published.filter(({ dir, manifest }) => manifest.files?.includes('dist') && !existsSync(join(root, dir, 'dist')));
if (missingBuild.length > 0) {
  console.error(`No build in ${missingBuild.map(({ dir }) => dir).join(', ')}: run npm run build (and npx tsc -b) first.`);
  process.exit(1);
}

const destination = mkdtempSync(join(tmpdir(), 'attune-packages-'));
const rows = [['package', 'version', 'files', 'packed', 'unpacked', 'publint', 'attw (esm-only)']];
const failures = consistencyProblems().map((problem) => `consistency: ${problem}`);
const notes = [];
try {
  for (const { dir, manifest } of published) {
    const packed = pack(dir, destination);
    const contents = contentProblems(packed.files);
    const lint = await runPublint(packed.tarball, manifest);
    const types = runAttw(packed.tarball);
    rows.push([
      manifest.name,
      manifest.version,
      packed.entryCount ?? packed.files.length,
      kB(packed.size),
      kB(packed.unpackedSize),
      lint.problems.length ? `${lint.problems.length} problem(s)` : lint.notes.length ? `ok (${lint.notes.length} suggestion(s))` : 'ok',
      types.problems.length ? `${types.problems.length} problem(s)` : `ok (${types.entrypoints} entry points)`,
    ]);
    failures.push(...[...contents, ...lint.problems, ...types.problems].map((problem) => `${manifest.name}: ${problem}`));
    notes.push(...lint.notes.map((note) => `${manifest.name}: ${note}`));
  }
} finally {
  rmSync(destination, { recursive: true, force: true });
}

console.log(table(rows));
for (const { manifest } of skipped) console.log(`(${manifest.name}: private, not published)`);
if (notes.length > 0) console.log('\n' + notes.join('\n'));
if (failures.length > 0) {
  console.error('\n' + failures.join('\n'));
  console.error(`\n${failures.length} package problem(s)`);
  process.exit(1);
}
console.log(`\n${published.length} packages ready to publish: publint and attw found nothing, contents and versions consistent`);
