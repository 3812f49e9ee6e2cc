/** A value JSON keeps as it is: null, a string, a boolean or a finite number (not NaN or Infinity). */
export const isJsonScalar = (value: unknown): boolean => value === null || typeof value === 'string' || typeof value === 'boolean' || Number.isFinite(value);

/** JSON values only (no undefined, NaN, Date, Map…); bounded depth, as a cyclic object would overflow the stack. */
export function isJson(value: unknown, depth = 0): boolean {
  return (
    isJsonScalar(value) ||
    (depth < 32 &&
      typeof value === 'object' &&
      (Array.isArray(value) || [Object.prototype, null].includes(Object.getPrototypeOf(value))) &&
      Object.values(value!).every((item) => isJson(item, depth + 1)))
  );
}
