import { describe, expect, it } from 'vitest';
import { evaluate } from './rule-hosts.js';

describe('starts_with and ends_with (flagd)', () => {
  // flagd's documented example and its testbed's "starts-ends-flag".
  const startsEnds = { if: [{ starts_with: [{ var: 'id' }, 'abc'] }, 'prefix', { if: [{ ends_with: [{ var: 'id' }, 'xyz'] }, 'postfix', 'none'] }] };

  it.each([
    ['abcdef', 'prefix'],
    ['uvwxyz', 'postfix'],
    ['abcxyz', 'prefix'],
    ['lmnopq', 'none'],
  ])('flagd testbed: id %s gives %s', (id, expected) => {
    expect(evaluate(startsEnds, { id })).toBe(expected);
  });

  it('matches flagd’s documented email prefix example', () => {
    expect(evaluate({ starts_with: [{ var: 'email' }, 'user@faas'] }, { email: 'user@faas.com' })).toBe(true);
  });

  it('matches flagd’s documented email suffix example', () => {
    expect(evaluate({ ends_with: [{ var: 'email' }, 'faas.com'] }, { email: 'foo@bar.com' })).toBe(false);
  });

  it('is case-sensitive', () => {
    expect(evaluate({ starts_with: [{ var: 'path' }, '/Shop'] }, { path: '/shop/shoes' })).toBe(false);
  });

  it('is true for an empty prefix', () => {
    expect(evaluate({ starts_with: [{ var: 'path' }, ''] }, { path: '/shop' })).toBe(true);
  });

  it('is false for a number from the data (flagd: non-string input)', () => {
    expect(evaluate({ starts_with: [{ var: 'num' }, '12'] }, { num: 123 })).toBe(false);
  });

  it('is false for a missing value', () => {
    expect(evaluate({ ends_with: [{ var: 'num' }, 'xyz'] }, {})).toBe(false);
  });

  it('is false when the suffix from the data is not a string', () => {
    expect(evaluate({ ends_with: ['abc', { var: 'x' }] }, { x: ['c'] })).toBe(false);
  });
});

describe('sem_ver (flagd)', () => {
  const semver = (version: unknown, op: string, target: unknown): unknown =>
    evaluate({ sem_ver: [{ var: 'v' }, op, { var: 't' }] }, { v: version, t: target });

  // flagd testbed "equal-greater-lesser-version-flag".
  const ordered = {
    if: [
      { sem_ver: [{ var: 'version' }, '=', '2.0.0'] }, 'equal',
      { if: [{ sem_ver: [{ var: 'version' }, '>', '2.0.0'] }, 'greater', { if: [{ sem_ver: [{ var: 'version' }, '<', '2.0.0'] }, 'lesser', 'none'] }] },
    ],
  };
  it.each([
    ['2.0.0', 'equal'],
    ['2.1.0', 'greater'],
    ['1.9.0', 'lesser'],
    ['2.0.0-alpha', 'lesser'],
    ['2.0.0.0', 'none'],
  ])('flagd testbed: version %s is %s', (version, expected) => {
    expect(evaluate(ordered, { version })).toBe(expected);
  });

  // flagd testbed "major-minor-version-flag".
  const range = { if: [{ sem_ver: [{ var: 'version' }, '~', '3.0.0'] }, 'minor', { if: [{ sem_ver: [{ var: 'version' }, '^', '3.0.0'] }, 'major', 'none'] }] };
  it.each([
    ['3.0.1', 'minor'],
    ['3.1.0', 'major'],
    ['4.0.0', 'none'],
  ])('flagd testbed: version %s matches the %s range of 3.0.0', (version, expected) => {
    expect(evaluate(range, { version })).toBe(expected);
  });

  it.each([
    ['1.0.0', true],
    ['v1.0.0', true],
    ['2.0.0', false],
  ])('flagd testbed: %s = v1.0.0 is %s (a leading v is ignored)', (version, expected) => {
    expect(evaluate({ sem_ver: [{ var: 'version' }, '=', 'v1.0.0'] }, { version })).toBe(expected);
  });

  it.each([
    ['1.5.0', true],
    ['1.0.0', true],
    ['2.0.0', false],
  ])('flagd testbed: %s ^ "1" is %s (a partial version is padded with zeros)', (version, expected) => {
    expect(evaluate({ sem_ver: [{ var: 'version' }, '^', '1'] }, { version })).toBe(expected);
  });

  it.each([
    ['1.0.0', true],
    ['1.0.0+other', true],
    ['2.0.0', false],
  ])('flagd testbed: %s = 1.0.0+build is %s (build metadata is ignored)', (version, expected) => {
    expect(evaluate({ sem_ver: [{ var: 'version' }, '=', '1.0.0+build'] }, { version })).toBe(expected);
  });

  it('matches flagd’s documented example: 1.0.1 >= 1.0.0', () => {
    expect(evaluate({ sem_ver: [{ var: 'version' }, '>=', '1.0.0'] }, { version: '1.0.1' })).toBe(true);
  });

  it('matches flagd’s documented example: 0.1.0 is not >= 1.0.0', () => {
    expect(evaluate({ sem_ver: [{ var: 'version' }, '>=', '1.0.0'] }, { version: '0.1.0' })).toBe(false);
  });

  it('reads a profile trait, as in docs/rule-operators.md', () => {
    const rule = { sem_ver: [{ var: 'profile.traits.app_version' }, '>=', '1.2.0'] };
    expect(evaluate(rule, { profile: { traits: { app_version: '1.10.0' } } })).toBe(true);
  });

  // semver.org §11: 1.0.0-alpha < 1.0.0-alpha.1 < 1.0.0-alpha.beta < 1.0.0-beta < 1.0.0-beta.2 <
  // 1.0.0-beta.11 < 1.0.0-rc.1 < 1.0.0, and 1.0.0 < 2.0.0 < 2.1.0 < 2.1.1.
  const precedence = ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0', '2.0.0', '2.1.0', '2.1.1'];
  const pairs = precedence.flatMap((lower, i) => precedence.slice(i + 1).map((higher) => [lower, higher] as const));

  it.each(pairs)('semver.org §11: %s < %s', (lower, higher) => {
    expect(semver(lower, '<', higher)).toBe(true);
  });

  it.each(pairs)('semver.org §11: %s is not >= %s', (lower, higher) => {
    expect(semver(lower, '>=', higher)).toBe(false);
  });

  it.each(pairs)('semver.org §11: %s > %s', (lower, higher) => {
    expect(semver(higher, '>', lower)).toBe(true);
  });

  it.each(pairs)('semver.org §11: %s != %s', (lower, higher) => {
    expect(semver(higher, '!=', lower)).toBe(true);
  });

  it.each(precedence)('%s = itself, <= and >= itself, and not < itself', (v) => {
    expect([semver(v, '=', v), semver(v, '<=', v), semver(v, '>=', v), semver(v, '<', v)]).toEqual([true, true, true, false]);
  });

  it('compares numbers numerically, not as text', () => {
    expect(semver('1.10.0', '>', '1.9.0')).toBe(true);
  });

  it('compares numbers beyond 2^53 exactly', () => {
    expect(semver('1.0.9007199254740993', '>', '1.0.9007199254740992')).toBe(true);
  });

  it('ignores build metadata on both sides', () => {
    expect(semver('1.0.0+a.1', '=', '1.0.0+b.2')).toBe(true);
  });

  it('orders numeric pre-release identifiers below alphanumeric ones', () => {
    expect(semver('1.0.0-1', '<', '1.0.0-a')).toBe(true);
  });

  it('treats "^" as the same major version (flagd), whatever the minor and patch', () => {
    expect([semver('1.0.0', '^', '1.9.9'), semver('0.9.0', '^', '0.1.0'), semver('2.0.0', '^', '1.0.0')]).toEqual([true, true, false]);
  });

  it('treats "~" as the same major and minor version (flagd)', () => {
    expect([semver('1.2.0', '~', '1.2.9'), semver('1.3.0', '~', '1.2.0'), semver('2.2.0', '~', '1.2.0')]).toEqual([true, false, false]);
  });

  it('accepts a capital V prefix', () => {
    expect(semver('V2.0.0', '=', '2.0.0')).toBe(true);
  });

  it('reads a number as a version (flagd coerces numbers to strings)', () => {
    expect([semver(2, '=', '2.0.0'), semver(1.5, '=', '1.5.0')]).toEqual([true, true]);
  });

  it('takes the operator from the data', () => {
    expect(evaluate({ sem_ver: ['1.2.0', { var: 'op' }, '1.0.0'] }, { op: '>' })).toBe(true);
  });

  it('is false when the operator from the data is unknown', () => {
    expect(evaluate({ sem_ver: ['1.2.0', { var: 'op' }, '1.0.0'] }, { op: '===' })).toBe(false);
  });

  it.each([
    'not-a-version', '', '1.0.0.0', '01.0.0', '1.01.0', '1.0.0-01', '1.0.0-', '1.0.0+', '1.0.0-a..b', '1.2-beta', ' 1.0.0', '1.0.0 ', 'vv1.0.0', '1.0.0-é', '-1.0.0',
  ])('is false for the invalid version %j', (bad) => {
    expect([semver(bad, '=', bad), semver(bad, '!=', '1.0.0'), semver('1.0.0', '<', bad)]).toEqual([false, false, false]);
  });

  it.each([null, undefined, true, {}, [], NaN, Infinity])('is false for the non-version %j', (bad) => {
    expect(semver(bad, '!=', '1.0.0')).toBe(false);
  });
});
