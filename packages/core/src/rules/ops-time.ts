/** Local time at the decision's clock (hour, weekday) and circular ranges (in_range). */
import { type Builder, derived, type Node } from './node.js';
import { arity, dataNode, fail, got, type HostBuilder, isNumber } from './rule-args.js';

/** A time zone's formatter and its last answer: [hour, weekday] during the 15-minute slot `slot`. */
interface Zone {
  format: Intl.DateTimeFormat;
  slot: number;
  time: [number, number];
}

/** One formatter per zone (creating one costs far more than using it); bounded against zones from the data. */
const zones = new Map<string, Zone>();
const MAX_ZONES = 64;
/**
 * Every offset and transition of today's time zones falls on a quarter hour (+05:45, +12:45...),
 * so the local hour and weekday cannot change within a 15-minute UTC slot: formatting (several
 * microseconds) is done once per slot.
 */
const SLOT_MS = 15 * 60_000;
const DAYS = 'SunMonTueWedThuFriSat';

/** The zone of an IANA name, or undefined when the runtime does not know it. */
function zoneOf(name: string): Zone | undefined {
  let zone = zones.get(name);
  if (zone === undefined) {
    try {
      zone = { format: new Intl.DateTimeFormat('en-US', { timeZone: name, hourCycle: 'h23', hour: 'numeric', weekday: 'short' }), slot: NaN, time: [0, 0] };
    } catch {
      return undefined;
    }
    if (zones.size < MAX_ZONES) zones.set(name, zone);
  }
  return zone;
}

/** [hour 0-23, weekday 0-6 from Sunday] at `nowMs`, in `zone` or the runtime's own. */
function localTime(nowMs: number, zone: Zone | undefined): [number, number] {
  if (zone === undefined) {
    const date = new Date(nowMs);
    return [date.getHours(), date.getDay()];
  }
  const slot = Math.floor(nowMs / SLOT_MS);
  if (slot !== zone.slot) {
    const time: [number, number] = [0, 0];
    for (const part of zone.format.formatToParts(nowMs)) {
      // % 24: some engines print midnight as "24" even with h23.
      if (part.type === 'hour') time[0] = Number(part.value) % 24;
      else if (part.type === 'weekday') time[1] = DAYS.indexOf(part.value) / 3;
    }
    zone.slot = slot;
    zone.time = time;
  }
  return zone.time;
}

/**
 * `hour` / `weekday`: `[zone?]`, the local hour or weekday at the host's clock, in an IANA time
 * zone or (no zone, or null) the device's. A zone from the data that is not known gives null.
 */
const clock =
  (op: string, index: 0 | 1): HostBuilder =>
  (args, host) => {
    arity(op, args, 0, 1, '[] or [time zone]');
    const arg: Node | undefined = args[0];
    if (arg === undefined || arg.constant) {
      const name = arg?.value;
      let zone: Zone | undefined;
      if (name != null) {
        zone = typeof name === 'string' ? zoneOf(name) : undefined;
        if (!zone) fail(op, `${JSON.stringify(name)} is not a time zone this runtime knows: use an IANA name such as "Europe/Paris" or "UTC".`);
      }
      return dataNode(args, () => localTime(host.now(), zone)[index]);
    }
    return dataNode(args, (d) => {
      const name = arg.run(d);
      const zone = typeof name === 'string' ? zoneOf(name) : undefined;
      return name == null || zone ? localTime(host.now(), zone)[index] : null;
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
