/**
 * flagd's (OpenFeature) custom string and version operators, as its specification defines them:
 * https://flagd.dev/reference/custom-operations/string-comparison-operation/ and
 * https://flagd.dev/reference/custom-operations/semver-operation/. Where flagd answers a bad input
 * with false, so do these; a bad constant argument fails at compile time instead.
 */
import { type Builder, derived, type Node } from './node.js';
import { arity, fail, field, got } from './rule-args.js';

const affixTest =
  (op: string, test: (text: string, affix: string) => boolean): Builder =>
  (args) => {
    arity(op, args, 2, 2, '[text, affix]');
    for (const arg of args) {
      if (arg.constant && typeof arg.value !== 'string') fail(op, `both arguments must be strings${got(arg.value)}`);
    }
    const [text, affix] = args.map((a) => a.run) as [Node['run'], Node['run']];
    return derived(args, (d) => {
      const s = text(d);
      const x = affix(d);
      return typeof s === 'string' && typeof x === 'string' && test(s, x);
    }, true);
  };

/** `starts_with`: `[text, prefix]`; false unless both are strings. */
export const buildStartsWith = affixTest('starts_with', (s, x) => s.startsWith(x));
/** `ends_with`: `[text, suffix]`; false unless both are strings. */
export const buildEndsWith = affixTest('ends_with', (s, x) => s.endsWith(x));

/** major, minor, patch (decimal strings without leading zeros) and the pre-release identifiers. */
type Version = readonly [string, string, string, readonly string[] | undefined];

const ID = '(?:0|[1-9]\\d*|\\d*[A-Za-z-][\\dA-Za-z-]*)';
const NUM = '(0|[1-9]\\d*)';
/**
 * SemVer 2.0.0 (https://semver.org) with flagd's allowances: a leading "v" or "V", and a major or
 * major.minor alone standing for x.0.0 / x.y.0 (as Go's golang.org/x/mod/semver, which flagd uses).
 */
const SEMVER = new RegExp(`^[vV]?${NUM}(?:\\.${NUM}(?:\\.${NUM}(?:-(${ID}(?:\\.${ID})*))?(?:\\+[\\dA-Za-z-]+(?:\\.[\\dA-Za-z-]+)*)?)?)?$`);

/** Parses a version string (a number is read as its decimal text, as flagd does); undefined when invalid. */
export function parseVersion(value: unknown): Version | undefined {
  const m = typeof value === 'string' || typeof value === 'number' ? SEMVER.exec(String(value)) : null;
  return m ? [m[1]!, m[2] ?? '0', m[3] ?? '0', m[4]?.split('.')] : undefined;
}

/** Numeric identifiers have no leading zeros, so the longer is larger: exact beyond 2^53. */
const compareNumeric = (a: string, b: string): number => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
const DIGITS = /^\d+$/;

/** SemVer 2.0.0 §11 precedence: the sign of a - b; build metadata plays no part. */
export function compareVersions(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) {
    const c = compareNumeric(a[i] as string, b[i] as string);
    if (c) return c;
  }
  const [, , , x] = a;
  const [, , , y] = b;
  // A pre-release is lower than its release.
  if (!x || !y) return x ? -1 : y ? 1 : 0;
  for (let i = 0; i < x.length && i < y.length; i++) {
    const p = x[i]!;
    const q = y[i]!;
    const np = DIGITS.test(p);
    const nq = DIGITS.test(q);
    // Numeric identifiers are lower than alphanumeric ones, which compare in ASCII order.
    const c = np && nq ? compareNumeric(p, q) : np ? -1 : nq ? 1 : p < q ? -1 : p > q ? 1 : 0;
    if (c) return c;
  }
  return x.length - y.length;
}

type VersionTest = (a: Version, b: Version) => boolean;

/** The signs of compareVersions (-, 0, +) each comparison accepts. */
const SIGNS: Readonly<Record<string, string>> = { '<': '-', '<=': '-0', '=': '0', '!=': '-+', '>=': '0+', '>': '+' };

/** flagd's operators: comparisons by precedence; `^` same major, `~` same major and minor. */
function versionTest(op: unknown): VersionTest | undefined {
  if (op === '^' || op === '~') return (a, b) => a[0] === b[0] && (op === '^' || a[1] === b[1]);
  const signs = typeof op === 'string' ? field(SIGNS, op) : undefined;
  return typeof signs === 'string' ? (a, b) => signs.includes('-0+'[Math.sign(compareVersions(a, b)) + 1]!) : undefined;
}

/** A version argument: a constant is parsed once (and must be valid); one from the data may be anything. */
function versionOf(node: Node): (data: unknown) => Version | undefined {
  if (!node.constant) return (d) => parseVersion(node.run(d));
  const version = parseVersion(node.value);
  if (!version) fail('sem_ver', `${JSON.stringify(node.value)} is not a semantic version such as "1.2.3", "1.2.3-beta.1" or "v2".`);
  return () => version;
}

/** `sem_ver`: `[version, operator, version]`; false when a version from the data is not valid. */
export const buildSemVer: Builder = (args) => {
  arity('sem_ver', args, 3, 3, '[version, operator, version]');
  const [left, opNode, right] = args as [Node, Node, Node];
  const a = versionOf(left);
  const b = versionOf(right);
  let test: (data: unknown) => VersionTest | undefined;
  if (opNode.constant) {
    const fixed = versionTest(opNode.value) ?? fail('sem_ver', `unknown operator ${JSON.stringify(opNode.value)}: use one of = != < <= > >= ^ ~.`);
    test = () => fixed;
  } else test = (d) => versionTest(opNode.run(d));
  return derived(args, (d) => {
    const x = a(d);
    const f = test(d);
    const y = b(d);
    return x !== undefined && y !== undefined && f !== undefined && f(x, y);
  }, true);
};
