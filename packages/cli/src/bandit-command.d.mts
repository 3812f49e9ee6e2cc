// Types of bandit-command.mjs, for the TypeScript tests that import it.
export interface BanditUpdateValues {
  events?: string[];
  bundle?: string;
  experiment?: string;
  reward?: string;
  window?: string;
  prior?: string;
  out?: string;
  'print-sql'?: boolean;
}
export function banditUpdate(
  values: BanditUpdateValues,
  print: (line: string) => void,
  warn: (line: string) => void,
  options?: { stdin?: NodeJS.ReadableStream },
): Promise<void>;
