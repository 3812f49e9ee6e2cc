// json-logic-js ships no types; the tests and benchmark use it as the reference implementation.
declare module 'json-logic-js' {
  interface JsonLogic {
    apply(logic: unknown, data?: unknown): unknown;
    truthy(value: unknown): boolean;
    add_operation(name: string, code: (...args: never[]) => unknown): void;
    rm_operation(name: string): void;
  }
  const jsonLogic: JsonLogic;
  export default jsonLogic;
}
