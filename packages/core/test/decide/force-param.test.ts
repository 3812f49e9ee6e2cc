import { describe, expect, it } from 'vitest';
import { parseForceParam } from '../../src/decide/force-param.js';

describe('parseForceParam', () => {
  it('reads one experiment:variant pair', () => {
    expect(parseForceParam('?attune_force=hero-test:reminder')).toEqual({ 'hero-test': 'reminder' });
  });

  it('reads several pairs, comma-separated or repeated, the last one winning per experiment', () => {
    expect(parseForceParam('?attune_force=a:x,b:y&attune_force=c:z,a:w')).toEqual({ a: 'w', b: 'y', c: 'z' });
  });

  it('keeps multivariate keys whole (everything after the first colon, URL-decoded)', () => {
    expect(parseForceParam('?attune_force=mvt:headline%3Db%7Cbutton%3Dgreen')).toEqual({ mvt: 'headline=b|button=green' });
  });

  it('ignores malformed pairs and other parameters', () => {
    expect(parseForceParam('?utm_source=x&attune_force=novariant,:v,e:,ok:1')).toEqual({ ok: '1' });
    expect(parseForceParam('')).toEqual({});
  });
});
