// Types of recs-command.mjs, for the TypeScript tests that import it.
export interface RecsBuildValues {
  events?: string[];
  bundle?: string;
  id?: string;
  out?: string;
  catalog?: string;
  event?: string[];
  'item-property'?: string[];
  'min-support'?: string;
  top?: string;
  'print-sql'?: boolean;
}
export function recsBuild(values: RecsBuildValues, print: (line: string) => void, options?: { stdin?: NodeJS.ReadableStream }): Promise<void>;
