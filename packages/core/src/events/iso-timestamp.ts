/**
 * `new Date(ms).toISOString()`, several times faster in a burst: the text up to the seconds is
 * kept for the last second seen, so events within one second only append their milliseconds, and
 * the last result is reused within its millisecond (toISOString costs about a microsecond in
 * Chromium, a fifth of track()'s budget).
 */
let cachedSecond = NaN;
let cachedPrefix = '';
let lastMs = NaN;
let last = '';

export function isoTimestamp(ms: number): string {
  // Fractional and invalid times take the Date path: it truncates, or throws a RangeError.
  if (!Number.isInteger(ms)) return new Date(ms).toISOString();
  if (ms === lastMs) return last;
  const second = Math.floor(ms / 1000);
  if (second === cachedSecond) {
    const milli = ms - second * 1000;
    lastMs = ms;
    return (last = cachedPrefix + (milli < 10 ? '00' : milli < 100 ? '0' : '') + milli + 'Z');
  }
  const iso = new Date(ms).toISOString();
  // Years outside 0000-9999 are written with a sign and six digits: not cached.
  if (iso.length === 24) {
    cachedSecond = second;
    cachedPrefix = iso.slice(0, 20);
  }
  return iso;
}
