const UNIT_MS: Readonly<Record<string, number>> = { s: 1e3, m: 6e4, h: 36e5, d: 864e5, w: 6048e5 };

/**
 * Milliseconds for a duration written `<positive integer><unit>`, unit one of s, m, h, d, w
 * ("30m", "7d", "2w"). Anything else (numbers, "0d", "-1d", "1.5d", "7", " 7d") is undefined, so a
 * typo in a rule is reported rather than read as some other window.
 */
export function parseDuration(text: unknown): number | undefined {
  const match = typeof text === 'string' ? /^(\d+)([smhdw])$/.exec(text) : null;
  const ms = match ? Number(match[1]) * UNIT_MS[match[2]!]! : 0;
  return ms > 0 && ms <= Number.MAX_SAFE_INTEGER ? ms : undefined;
}

/** The problem with a window that {@link parseDuration} refuses. */
export const notDuration = (window: unknown): string => `the window ${JSON.stringify(window)} is not a duration such as "30m", "12h", "7d" or "2w".`;
