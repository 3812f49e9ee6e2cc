// attune bundle build <dir>: one bundle from a folder of JSON or YAML source files, checked as
// browsers check it, each problem pointing at the file, line and column it comes from.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { CliError, formatJson, loadCore, required } from './cli-support.mjs';
import { signBundle } from './commands.mjs';

const USAGE = 'attune bundle build <dir> [--out <bundle.json>] [--key <private.jwk>]';
const SOURCE = /\.(json|ya?ml)$/;

/** One parsed source file: its value, and how to find the line and column of a path in it. */
function parseSource(path, shown) {
  const text = readFileSync(path, 'utf8');
  const lineCounter = new LineCounter();
  // JSON is YAML: one parser gives positions for both.
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    const error = doc.errors[0];
    const { line, col } = lineCounter.linePos(error.pos[0]);
    throw new CliError(`${shown}:${line}:${col}: ${error.message.split('\n')[0]}`);
  }
  const value = doc.toJS();
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new CliError(`${shown}:1:1: a bundle source file is an object of bundle sections (segments, experiences, content...)`);
  /** `file:line:column` of the deepest node of `path` the file has. */
  const at = (path) => {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = doc.getIn(path.slice(0, depth), true);
      if (node?.range) {
        const { line, col } = lineCounter.linePos(node.range[0]);
        return `${shown}:${line}:${col}`;
      }
    }
    return `${shown}:1:1`;
  };
  return { value, at };
}

/**
 * Merges the files' sections: lists (segments, experiences...) are concatenated in file order,
 * objects (content) merged, other values (id, version...) given once. `origin(path)` maps a path
 * of the merged bundle (`['experiences', 3, 'slot']`) to the source position it came from.
 */
function merge(sources) {
  const bundle = {};
  /** Section → for each merged entry (list index or object key), [source, path in the source]. */
  const from = new Map();
  for (const source of sources) {
    for (const [key, value] of Object.entries(source.value)) {
      if (Array.isArray(value)) {
        if (bundle[key] !== undefined && !Array.isArray(bundle[key])) throw new CliError(`${source.at([key])}: "${key}" is a list here but not in another file`);
        bundle[key] ??= [];
        if (!from.has(key)) from.set(key, new Map());
        value.forEach((entry, index) => {
          from.get(key).set(bundle[key].length, [source, [key, index]]);
          bundle[key].push(entry);
        });
      } else if (value !== null && typeof value === 'object') {
        bundle[key] ??= {};
        if (!from.has(key)) from.set(key, new Map());
        for (const [name, entry] of Object.entries(value)) {
          if (Object.hasOwn(bundle[key], name)) throw new CliError(`${source.at([key, name])}: ${key} "${name}" is defined twice (also at ${from.get(key).get(name)[0].at([key, name])})`);
          from.get(key).set(name, [source, [key, name]]);
          bundle[key][name] = entry;
        }
      } else {
        if (Object.hasOwn(bundle, key) && bundle[key] !== value) throw new CliError(`${source.at([key])}: "${key}" is ${JSON.stringify(value)} here but ${JSON.stringify(bundle[key])} at ${from.get(key).get(null)[0].at([key])}`);
        from.set(key, new Map([[null, [source, [key]]]]));
        bundle[key] = value;
      }
    }
  }
  const origin = (path) => {
    const [section, entry, ...rest] = path;
    const entries = from.get(section);
    const found = entries?.get(typeof entry === 'number' || typeof entry === 'string' ? entry : null) ?? entries?.get(null);
    if (!found) return sources[0] ? `${sources[0].at([])}` : '';
    const [source, sourcePath] = found;
    return source.at(entries.has(null) ? sourcePath : [...sourcePath, ...rest]);
  };
  return { bundle, origin };
}

/** `experiences[3].variants[0].content` → ['experiences', 3, 'variants', 0, 'content']. */
const pathOf = (text) => [...text.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((match) => (match[2] !== undefined ? Number(match[2]) : match[1]));

/** attune bundle build: see USAGE and docs/cli.md "Bundle commands". */
export async function bundleBuild(dirPath, values, print) {
  const dir = resolve(required(dirPath, USAGE));
  let names;
  try {
    names = readdirSync(dir).filter((name) => SOURCE.test(name)).sort();
  } catch (error) {
    throw new CliError(`cannot read the folder ${dir}: ${error.code === 'ENOENT' ? 'no such folder' : error.message}`);
  }
  if (names.length === 0) throw new CliError(`${dir} holds no .json, .yaml or .yml source file`);
  const shown = (path) => (relative(process.cwd(), path).startsWith('..') ? path : relative(process.cwd(), path));
  const sources = names.map((name) => parseSource(join(dir, name), shown(join(dir, name))));
  const { bundle, origin } = merge(sources);
  const core = await loadCore();
  try {
    core.checkBundle(bundle);
  } catch (error) {
    const problems = String(error.message).replace(/^.*?Fix: /, '').split('; ');
    const located = problems.map((problem) => {
      const match = /^([\w$[\].-]+): (.*)$/.exec(problem);
      return match ? `${origin(pathOf(match[1]))}: ${match[1]}: ${match[2]}` : problem;
    });
    throw new CliError(`the bundle built from ${dir} is invalid (${error.code ?? 'invalid'}):\n  ${located.join('\n  ')}`);
  }
  const text = `${formatJson(bundle)}\n`;
  if (values.out === undefined) {
    if (values.key !== undefined) throw new CliError('--key needs --out: the signature covers the file written', 2);
    return print(text.trimEnd());
  }
  const target = resolve(values.out);
  writeFileSync(target, text);
  print(`Built ${target} from ${names.length} file(s) (bundle "${bundle.id}", version ${bundle.version}, ${bundle.experiences?.length ?? 0} experience(s))`);
  if (values.key !== undefined) signBundle(target, { key: values.key }, print);
}
