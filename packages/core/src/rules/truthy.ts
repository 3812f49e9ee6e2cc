/**
 * JSON Logic truthiness (https://jsonlogic.com/truthy): JavaScript truthiness, except that an
 * empty array is falsy. So `0`, `""`, `null`, `undefined`, `NaN` and `[]` are falsy; `"0"` and
 * `{}` are truthy.
 *
 * @param value - Any evaluated value.
 * @returns Whether JSON Logic treats `value` as true.
 */
export function truthy(value: unknown): boolean {
  // One spec for every JSON Logic port: PHP treats [] as falsy, so JS has to as well.
  return Array.isArray(value) ? value.length !== 0 : !!value;
}
