/** Local time at the decision's clock (hour, weekday) and circular ranges (in_range). */
import { type Builder, derived, type Node } from './node.js';
import { arity, dataNode, fail, got, type HostBuilder, isNumber } from './rule-args.js';

/** One formatter per zone (creating one costs far more than using it); bounded against zones from the data. */
const formats = new Map<string, Intl.DateTimeFormat>();
const MAX_FORMATS = 64;
const DAYS = 'SunMonTueWedThuFriSat';

/** The formatter of an IANA time zone, or undefined when the runtime does not know the zone. */
function zoneFormat(zone: string): Intl.DateTimeFormat | undefined {
  let format = formats.get(zone);
  if (format === undefined) {
    try {
      format = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', hour: 'numeric', weekday: 'short' });
    } catch {
      return undefined;
    }
    if (formats.size < MAX_FORMATS) formats.set(zone, format);
  }
  return format;
}

/** [hour 0-23, weekday 0-6 from Sunday] at `nowMs`, in the zone of `format` or the runtime's own. */
function localTime(nowMs: number, format: Intl.DateTimeFormat | undefined): [number, number] {
  if (format === undefined) {
    const date = new Date(nowMs);
    return [date.getHours(), date.getDay()];
  }
  let hour = 0;
  let day = 0;
  for (const part of format.formatToParts(nowMs)) {
    // % 24: some engines print midnight as "24" even with h23.
    if (part.type === 'hour') hour = Number(part.value) % 24;
    else if (part.type === 'weekday') day = DAYS.indexOf(part.value) / 3;
  }
  return [hour, day];
}

/**
 * `hour` / `weekday`: `[zone?]`, the local hour or weekday at the host's clock, in an IANA time
 * zone or (no zone, or null) the device's. A zone from the data that is not known gives null.
 */
const clock =
  (op: string, index: 0 | 1): HostBuilder =>
  (args, host) => {
    arity(op, args, 0, 1, '[] or [time zone]');
    const zone: Node | undefined = args[0];
    if (zone === undefined || zone.constant) {
      const name = zone?.value;
      let format: Intl.DateTimeFormat | undefined;
      if (name != null) {
        format = typeof name === 'string' ? zoneFormat(name) : undefined;
        if (!format) fail(op, `${JSON.stringify(name)} is not a time zone this runtime knows: use an IANA name such as "Europe/Paris" or "UTC".`);
      }
      return dataNode(args, () => localTime(host.now(), format)[index]);
    }
    return dataNode(args, (d) => {
      const name = zone.run(d);
      const format = typeof name === 'string' ? zoneFormat(name) : undefined;
      return name == null || format ? localTime(host.now(), format)[index] : null;
    });
  };
export const buildHour = clock('hour', 0);
export const buildWeekday = clock('weekday', 1);

/**
 * `in_range`: `[value, min, max]`, min <= value < max; when min > max the range wraps around
 * (`[hour, 22, 6]` is 22:00 to 05:59). False unless all three are finite numbers.
 */
export const buildInRange: Builder = (args) => {
  arity('in_range', args, 3, 3, '[value, min, max]');
  for (const bound of args.slice(1)) {
    if (bound.constant && !isNumber(bound.value)) fail('in_range', `min and max must be numbers${got(bound.value)}`);
  }
  const [value, min, max] = args.map((a) => a.run) as [Node['run'], Node['run'], Node['run']];
  return derived(args, (d) => {
    const x = value(d);
    const lo = min(d);
    const hi = max(d);
    return isNumber(x) && isNumber(lo) && isNumber(hi) && (lo <= hi ? lo <= x && x < hi : x >= lo || x < hi);
  }, true);
};
