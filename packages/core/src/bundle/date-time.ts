/** ISO 8601 date-time with a zone (Z or ±hh:mm), seconds and fractions optional. */
export const DATE_TIME = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/;

/**
 * The time of an ISO 8601 date-time with a zone, or NaN when it is not one. Checked in code rather
 * than with a zod regex (fewer bytes). Date.parse alone would roll impossible days over
 * ("2026-02-31" is March 3rd), accept 24:00 and accept dates without a zone: all are refused.
 */
export function dateTimeMs(value: string): number {
  const [, year, month, day, hour] = DATE_TIME.exec(value) ?? [];
  const daysInMonth = new Date(Date.UTC(Number(year), Number(month), 0)).getUTCDate();
  return Number(month) >= 1 && Number(month) <= 12 && Number(day) >= 1 && Number(day) <= daysInMonth && Number(hour) <= 23 ? Date.parse(value) : NaN;
}

/** The problem to report for a date-time that {@link dateTimeMs} refuses. */
export const notDateTime = (where: string, value: string): string => `${where}: "${value}" is not a real date-time (ISO 8601 with Z or ±hh:mm)`;
