import { describe, expect, it } from 'vitest';
import { compileWith, evaluate, fakeHost, HOUR, NOW } from './rule-hosts.js';

// NOW is Sunday 4 January 2026, 15:00 UTC: Monday 00:00 in Tokyo (UTC+9 all year, no DST).
const at = (ms: number) => fakeHost([], { now: ms });

describe('hour', () => {
  it('is the hour in UTC', () => {
    expect(evaluate({ hour: ['UTC'] }, {}, at(NOW))).toBe(15);
  });

  it('is the hour in Asia/Tokyo', () => {
    expect(evaluate({ hour: ['Asia/Tokyo'] }, {}, at(NOW))).toBe(0);
  });

  it('accepts the zone without an array', () => {
    expect(evaluate({ hour: 'Asia/Tokyo' }, {}, at(NOW + 13 * HOUR + 59 * 60_000))).toBe(13);
  });

  it('is 0 at midnight, never 24', () => {
    expect(evaluate({ hour: ['UTC'] }, {}, at(Date.UTC(2026, 0, 5, 0, 0, 0)))).toBe(0);
  });

  it('is 23 a millisecond before midnight', () => {
    expect(evaluate({ hour: ['UTC'] }, {}, at(Date.UTC(2026, 0, 5) - 1))).toBe(23);
  });

  it('is the device’s local hour without a zone, as context.time.hour reads it', () => {
    expect(evaluate({ hour: [] }, {}, at(NOW))).toBe(new Date(NOW).getHours());
  });

  it('turns at the hour in a compiled rule evaluated on both sides of it', () => {
    const host = at(Date.UTC(2026, 0, 4, 16) - 1);
    const rule = compileWith({ hour: ['UTC'] }, host);
    const before = rule({});
    host.clock.now += 1;
    expect([before, rule({})]).toEqual([15, 16]);
  });

  it('turns at a quarter past in a zone offset by 5:45 (Asia/Kathmandu, no DST)', () => {
    const host = at(Date.UTC(2026, 0, 4, 15, 15) - 1); // 20:59:59.999 in Kathmandu
    const rule = compileWith({ hour: ['Asia/Kathmandu'] }, host);
    const before = rule({});
    host.clock.now += 1;
    expect([before, rule({})]).toEqual([20, 21]);
  });

  it('follows DST in Europe/Paris: 01:59 UTC is 03:59 on the last Sunday of March, 02:59 the day before', () => {
    const paris = compileWith({ hour: ['Europe/Paris'] }, at(Date.UTC(2026, 2, 29, 1, 59)));
    const dayBefore = compileWith({ hour: ['Europe/Paris'] }, at(Date.UTC(2026, 2, 28, 1, 59)));
    expect([dayBefore({}), paris({})]).toEqual([2, 3]);
  });

  it('follows the host clock at each evaluation', () => {
    const host = at(NOW);
    const rule = compileWith({ hour: ['UTC'] }, host);
    host.clock.now = NOW + 3 * HOUR;
    expect(rule({})).toBe(18);
  });

  it('takes the zone from the data', () => {
    expect(evaluate({ hour: [{ var: 'profile.traits.tz' }] }, { profile: { traits: { tz: 'Asia/Tokyo' } } }, at(NOW))).toBe(0);
  });

  it('is null for an unknown zone from the data', () => {
    expect(evaluate({ hour: [{ var: 'tz' }] }, { tz: 'Mars/Olympus' }, at(NOW))).toBeNull();
  });

  it('is null for a zone from the data that is not a string', () => {
    expect(evaluate({ hour: [{ var: 'tz' }] }, { tz: 9 }, at(NOW))).toBeNull();
  });

  it('uses the device’s zone when the zone from the data is missing', () => {
    expect(evaluate({ hour: [{ var: 'tz' }] }, {}, at(NOW))).toBe(new Date(NOW).getHours());
  });
});

describe('weekday', () => {
  it('is 0 on a Sunday in UTC', () => {
    expect(evaluate({ weekday: ['UTC'] }, {}, at(NOW))).toBe(0);
  });

  it('is 1 on that same instant in Tokyo, already Monday', () => {
    expect(evaluate({ weekday: ['Asia/Tokyo'] }, {}, at(NOW))).toBe(1);
  });

  it('is 6 on a Saturday', () => {
    expect(evaluate({ weekday: ['UTC'] }, {}, at(Date.UTC(2026, 0, 4) - 1))).toBe(6);
  });

  it.each([0, 1, 2, 3, 4, 5, 6])('is %i on the days from Sunday 4 to Saturday 10 January 2026 in UTC', (day) => {
    expect(evaluate({ weekday: ['UTC'] }, {}, at(Date.UTC(2026, 0, 4 + day, 12)))).toBe(day);
  });

  it('is the device’s local weekday without a zone', () => {
    expect(evaluate({ weekday: [] }, {}, at(NOW))).toBe(new Date(NOW).getDay());
  });
});

describe('in_range', () => {
  it.each([
    [5, true],
    [1, true],
    [9.99, true],
    [10, false],
    [0.5, false],
  ])('[%s, 1, 10] is %s: min included, max excluded', (value, expected) => {
    expect(evaluate({ in_range: [{ var: 'x' }, 1, 10] }, { x: value })).toBe(expected);
  });

  it.each([
    [22, true],
    [23, true],
    [0, true],
    [5, true],
    [6, false],
    [12, false],
    [21, false],
  ])('wraps around when min > max: hour %i in [22, 6) is %s', (hour, expected) => {
    expect(evaluate({ in_range: [{ var: 'h' }, 22, 6] }, { h: hour })).toBe(expected);
  });

  it('is false for an empty range (min = max)', () => {
    expect(evaluate({ in_range: [{ var: 'x' }, 3, 3] }, { x: 3 })).toBe(false);
  });

  it('checks the night hours with hour, as in docs/rule-operators.md', () => {
    const night = { in_range: [{ hour: ['UTC'] }, 22, 6] };
    expect([evaluate(night, {}, at(Date.UTC(2026, 0, 4, 23))), evaluate(night, {}, at(Date.UTC(2026, 0, 4, 6)))]).toEqual([true, false]);
  });

  it.each([['5'], [null], [undefined], [NaN], [Infinity], [[5]], [true]])('is false for the non-number %j', (value) => {
    expect(evaluate({ in_range: [{ var: 'x' }, 0, 10] }, { x: value })).toBe(false);
  });

  it('is false when a bound from the data is not a number', () => {
    expect(evaluate({ in_range: [5, { var: 'lo' }, 10] }, { lo: '1' })).toBe(false);
  });

  it('is false for Infinity from since, even in a wrapping range', () => {
    expect(evaluate({ in_range: [{ since: 'never' }, 3600, 60] }, {})).toBe(false);
  });
});
