// What every command shares: its error type, reading JSON files, required options, loading core.
import { readFileSync } from 'node:fs';

/** A failure the user can fix: printed without a stack trace, exit code 1 (2 for usage). */
export class CliError extends Error {
  constructor(message, exitCode = 1) {
    super(message);
    this.exitCode = exitCode;
  }
}

export function readJsonFile(path, what) {
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new CliError(`cannot read the ${what} ${path}`);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    // Python's json module writes NaN and Infinity, which JSON does not allow.
    const nonFinite = /\b(NaN|-?Infinity)\b/.test(text) ? ' (it holds NaN or Infinity: the model has values that are not finite numbers; check its training)' : '';
    throw new CliError(`the ${what} ${path} is not valid JSON${nonFinite}: ${error.message}`);
  }
}

export function required(value, usage) {
  if (!value) throw new CliError(`usage: ${usage}`, 2);
  return value;
}

/** @attune/core, loaded when a command needs it (the build of this repository, or the installed package). */
export async function loadCore() {
  try {
    return await import('@attune/core');
  } catch (error) {
    throw new CliError(`cannot load @attune/core (${error.message}); in the repository, run npm run build first`);
  }
}

/**
 * JSON indented by two spaces, except that an array of plain values stays on one line: a model's
 * node arrays (thousands of numbers) read as rows, not one number per line.
 */
export function formatJson(value, indent = '') {
  const flat = (item) => item === null || typeof item !== 'object';
  if (flat(value) || (Array.isArray(value) && value.every(flat))) return JSON.stringify(value) ?? 'null';
  const inner = `${indent}  `;
  const items = Array.isArray(value)
    ? value.map((item) => inner + formatJson(item, inner))
    : Object.entries(value)
        .filter(([, item]) => item !== undefined)
        .map(([key, item]) => `${inner}${JSON.stringify(key)}: ${formatJson(item, inner)}`);
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  return items.length === 0 ? open + close : `${open}\n${items.join(',\n')}\n${indent}${close}`;
}
