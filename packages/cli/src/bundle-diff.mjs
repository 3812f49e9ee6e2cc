// attune bundle diff <old> <new>: what changed between two bundles, in words a reviewer reads
// (experience added, traffic 50% → 100%, content text changed), not a JSON diff.
import { resolve } from 'node:path';
import { CliError, readJsonFile, required } from './cli-support.mjs';

const USAGE = 'attune bundle diff <old bundle.json> <new bundle.json> [--json]';

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const short = (value, max = 80) => {
  const text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? 'nothing';
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
};
const share = (value, fallback) => `${Math.round((typeof value === 'number' ? value : fallback) * 1000) / 10}%`;
const byId = (list) => new Map((Array.isArray(list) ? list : []).filter((entry) => typeof entry?.id === 'string').map((entry) => [entry.id, entry]));

/** Changes between two keyed lists: added, removed, and `changed(old, new)` for the ones in both. */
function listChanges(kind, before, after, changed) {
  const lines = [];
  const old = byId(before);
  const next = byId(after);
  for (const id of next.keys()) if (!old.has(id)) lines.push(`${kind} "${id}" added`);
  for (const id of old.keys()) if (!next.has(id)) lines.push(`${kind} "${id}" removed`);
  for (const [id, entry] of next) {
    if (!old.has(id) || same(old.get(id), entry)) continue;
    const details = changed(old.get(id), entry);
    lines.push(...(details.length > 0 ? details.map((detail) => `${kind} "${id}": ${detail}`) : [`${kind} "${id}" changed`]));
  }
  return lines;
}

/** What changed in one field, said as `name old → new`. */
const field = (name, a, b, format = short) => (same(a, b) ? [] : [`${name} ${a === undefined ? 'unset' : format(a)} → ${b === undefined ? 'unset' : format(b)}`]);

function experienceChanges(a, b) {
  const lines = [
    ...field('slot', a.slot, b.slot),
    ...field('priority', a.priority, b.priority),
    ...field('audience', a.audience, b.audience),
    ...field('default variant', a.default, b.default),
    ...field('exclusion group', a.exclusionGroup, b.exclusionGroup),
    ...field('caps', a.caps, b.caps),
    ...field('schedule', a.schedule, b.schedule),
  ];
  const ea = a.experiment ?? {};
  const eb = b.experiment ?? {};
  if (!a.experiment && b.experiment) lines.push(`now runs experiment "${eb.id}"`);
  else if (a.experiment && !b.experiment) lines.push(`no longer runs experiment "${ea.id}"`);
  else if (a.experiment) {
    lines.push(
      ...field('experiment id (assignments start afresh)', ea.id, eb.id),
      ...field('traffic', ea.traffic ?? 1, eb.traffic ?? 1, (v) => share(v, 1)),
      ...field('holdout', ea.holdout ?? 0, eb.holdout ?? 0, (v) => share(v, 0)),
      ...field('experiment unit', ea.unit, eb.unit),
      ...field('bandit allocation', ea.allocation?.type, eb.allocation?.type),
      ...field('factorial design', ea.factorial, eb.factorial),
    );
    if (same(ea.allocation?.type, eb.allocation?.type) && !same(ea.allocation, eb.allocation)) lines.push('bandit posteriors or reward changed');
  }
  lines.push(
    ...listChanges('variant', a.variants, b.variants, (va, vb) => [
      ...field('weight', va.weight ?? 1, vb.weight ?? 1, String),
      ...field('content', va.content, vb.content),
    ]),
  );
  return lines;
}

/** The lines saying how `after` differs from `before`. */
export function diffBundles(before, after) {
  const lines = [
    ...field('id', before.id, after.id),
    ...field('version', before.version, after.version, String),
    ...field('expires', before.expiresAt, after.expiresAt),
    ...listChanges('segment', before.segments, after.segments, (a, b) => field('rule', a.when, b.when)),
    ...listChanges('experience', before.experiences, after.experiences, experienceChanges),
  ];
  const oldContent = before.content ?? {};
  const newContent = after.content ?? {};
  for (const id of Object.keys(newContent)) if (!Object.hasOwn(oldContent, id)) lines.push(`content "${id}" added: ${short(newContent[id]?.value ?? newContent[id])}`);
  for (const id of Object.keys(oldContent)) if (!Object.hasOwn(newContent, id)) lines.push(`content "${id}" removed`);
  for (const id of Object.keys(newContent)) {
    if (!Object.hasOwn(oldContent, id) || same(oldContent[id], newContent[id])) continue;
    const a = oldContent[id];
    const b = newContent[id];
    lines.push(a?.type === 'text' && b?.type === 'text' ? `content "${id}" text changed: ${short(a.value)} → ${short(b.value)}` : `content "${id}" changed: ${short(a)} → ${short(b)}`);
  }
  lines.push(
    ...listChanges('stage', before.stages, after.stages, (a, b) => field('rule', a.when, b.when)),
    ...listChanges('model', before.models, after.models, (a, b) => [...field('type', a.type, b.type), ...(same({ ...a, type: 0 }, { ...b, type: 0 }) ? [] : ['parameters or features changed'])]),
    ...listChanges('recommender', before.recommenders, after.recommenders, (a, b) => [...field('strategy', a.strategy, b.strategy), ...field('limit', a.limit, b.limit, String), ...(same(a.items, b.items) ? [] : ['item neighbors or popularity changed'])]),
    ...listChanges('trigger', before.triggers, after.triggers, (a, b) => (same(a, b) ? [] : ['definition changed'])),
  );
  return lines;
}

/** attune bundle diff: see USAGE. */
export function bundleDiff(oldPath, newPath, values, print) {
  required(oldPath, USAGE);
  required(newPath, USAGE);
  const [before, after] = [oldPath, newPath].map((path) => {
    const bundle = readJsonFile(resolve(path), 'bundle');
    if (bundle === null || typeof bundle !== 'object' || Array.isArray(bundle)) throw new CliError(`${resolve(path)} is not a bundle (a JSON object)`);
    return bundle;
  });
  const lines = diffBundles(before, after);
  if (values.json) return print(JSON.stringify(lines, null, 2));
  print(lines.length === 0 ? 'No changes.' : lines.map((line) => `- ${line}`).join('\n'));
}
