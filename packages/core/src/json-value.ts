/**
 * A plain object: made by a literal or JSON, here or in another frame, or by `Object.create(null)`;
 * not an array, a Date, a Map or another instance of a class.
 */
export function plainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as object | null;
  // Some frame's Object.prototype ends the chain one step further.
  return prototype === null || Object.getPrototypeOf(prototype) === null;
}

/** A value JSON keeps as it is: null, a string, a boolean or a finite number (not NaN or Infinity). */
export const isJsonScalar = (value: unknown): boolean => value === null || typeof value === 'string' || typeof value === 'boolean' || Number.isFinite(value);

/** JSON values only (no undefined, NaN, Date, Map…); bounded depth, as a cyclic object would overflow the stack. */
export function isJson(value: unknown, depth = 0): boolean {
  return (
    isJsonScalar(value) ||
    (depth < 32 &&
      (Array.isArray(value) || plainObject(value)) &&
      Object.values(value).every((item) => isJson(item, depth + 1)))
  );
}
