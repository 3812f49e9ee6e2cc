// attune simulate <bundle> --profile p.json --context c.json: what a visitor with that history
// would see, decided by the device's own engine (@attune/core/server simulateVisitor).
import { resolve } from 'node:path';
import { CliError, readJsonFile, required } from './cli-support.mjs';
import { durationOption } from './analytics-support.mjs';

const USAGE = 'attune simulate <bundle.json> [--profile <profile.json>] [--context <context.json>] [--now <ISO time>] [--json]';

/**
 * The visitor of a profile file: `{ anonymousId?, userId?, traits?, events: [{ name, timestamp?
 * (ISO) | ago? ("2d"), sessionId?, properties? }] }`.
 */
function visitorOf(value, path, nowMs) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new CliError(`${path}: a profile is a JSON object ({ "events": [...], "traits": {...} })`);
  const events = value.events ?? [];
  if (!Array.isArray(events)) throw new CliError(`${path}: "events" must be a list`);
  return {
    anonymousId: typeof value.anonymousId === 'string' ? value.anonymousId : undefined,
    userId: typeof value.userId === 'string' ? value.userId : null,
    traits: value.traits !== null && typeof value.traits === 'object' ? value.traits : {},
    events: events.map((event, i) => {
      if (typeof event?.name !== 'string') throw new CliError(`${path}: events[${i}] has no "name"`);
      let timestampMs = nowMs;
      if (event.timestamp !== undefined) {
        timestampMs = Date.parse(event.timestamp);
        if (Number.isNaN(timestampMs)) throw new CliError(`${path}: events[${i}].timestamp is not an ISO time: ${JSON.stringify(event.timestamp)}`);
      } else if (event.ago !== undefined) timestampMs = nowMs - durationOption(String(event.ago), `events[${i}].ago`);
      return { name: event.name, timestampMs, sessionId: typeof event.sessionId === 'string' ? event.sessionId : undefined, properties: event.properties ?? {} };
    }),
  };
}

const describeContent = (decision) => {
  if (decision.parts) return Object.entries(decision.parts).map(([factor, content]) => `${factor}: ${JSON.stringify(content?.value ?? content)}`).join(', ');
  if (decision.content === null || decision.content === undefined) return '(the page\'s own markup)';
  return JSON.stringify(decision.content.value ?? decision.content);
};

/** attune simulate: see USAGE and docs/cli.md "Bundle commands". */
export async function simulate(bundlePath, values, print) {
  const file = resolve(required(bundlePath, USAGE));
  const bundle = readJsonFile(file, 'bundle');
  const nowMs = values.now === undefined ? Date.now() : Date.parse(values.now);
  if (Number.isNaN(nowMs)) throw new CliError(`--now must be an ISO time, not "${values.now}"`, 2);
  const visitor = values.profile === undefined ? {} : visitorOf(readJsonFile(resolve(values.profile), 'profile'), resolve(values.profile), nowMs);
  const context = values.context === undefined ? {} : readJsonFile(resolve(values.context), 'context');
  let server;
  try {
    server = await import('@attune/core/server');
  } catch (error) {
    throw new CliError(`cannot load @attune/core/server (${error.message}): build the packages first (npm run build)`);
  }
  let result;
  try {
    result = server.simulateVisitor(bundle, visitor, context, nowMs);
  } catch (error) {
    throw new CliError(`${file}: ${error.code ?? 'invalid'}: ${error.message}`);
  }
  if (values.json) return print(JSON.stringify(result, null, 2));
  print(`Visitor: ${visitor.events?.length ?? 0} event(s); segments ${result.segments.length ? result.segments.join(', ') : 'none'}; stage ${result.stage ?? 'none'}.`);
  for (const decision of result.decisions) {
    const who = decision.experience ? ` ${decision.experience}${decision.variant ? ` / ${decision.variant}` : ''}` : '';
    const experiment = decision.experiment ? ` (experiment ${decision.experiment.id}: ${decision.experiment.variant})` : '';
    const scores = decision.scores && Object.keys(decision.scores).length ? `; scores ${Object.entries(decision.scores).map(([id, score]) => `${id} ${Number(score).toFixed(4)}`).join(', ')}` : '';
    print(`  ${decision.slot}: ${decision.reason}${who}${experiment} → ${describeContent(decision)}${scores}${decision.message ? ` (${decision.message})` : ''}`);
  }
  for (const error of result.ruleErrors) print(`  rule error: ${error}`);
}
