import type { Purpose } from './consent.js';
import { DEFAULT_CONSENT_MODE_PURPOSES } from './signals.js';

/*
 * The Google Consent Mode reader: a part of its own (see client/load-parts.ts), loaded only on
 * pages with gtag (a `gtag` function, or a `consent` command on `dataLayer`), once Attune has
 * started. The commands stay on `dataLayer`, so reading them a little later loses none; until
 * then Attune stores and sends nothing anyway (nothing is kept before a grant).
 */

/**
 * Reads Google Consent Mode from the page's `dataLayer`: the `gtag('consent', 'default' | 'update',
 * {...})` commands already there, in order, then every later push (the page's `push`, or the one
 * Google's tag put in its place, runs first and its result is returned). Reports which purposes
 * each command decides, mapping purpose → Consent Mode types (`DEFAULT_CONSENT_MODE_PURPOSES`):
 *
 * - a purpose is denied when any of its types is denied, granted when every one of them the page
 *   set is granted (types never set do not count);
 * - an `update` is the visitor's decision (`here` true); it wins over every default, before or after it;
 * - a `default` only sets what no update has, and only decides a purpose still `unknown` in
 *   `current()` (a remembered grant, an explicit grant or deny stand), for this page (`here`
 *   false: other tabs run their own defaults). A denial in any default counts (region-scoped
 *   ones too: the region is not known on the device); a grant counts only from a default without
 *   `region`, and never lifts an earlier default's denial.
 *
 * Only what changes a purpose's state is reported, and only for purposes whose types the command
 * sets. Anything else on `dataLayer` (events, other gtag commands, objects, arrays) is ignored; a
 * malformed consent command is reported and skipped: nothing here throws into the page.
 *
 * @param mapping purpose → Consent Mode types (default `DEFAULT_CONSENT_MODE_PURPOSES`).
 * @param onDecision called with the purposes a command grants and denies; `here`: the visitor's
 *   decision (an update), else a default for this page only.
 * @param current the purposes' states now (`unknown` / `granted` / `denied`).
 * @param report receives each problem, as text (its code: `consent-invalid`).
 * @returns a function that stops reading (the push set here stays, passing every command on).
 */
export function listenToConsentMode(
  mapping: Readonly<Record<string, readonly string[]>> = DEFAULT_CONSENT_MODE_PURPOSES,
  onDecision: (granted: Purpose[], denied: Purpose[], here: boolean) => void,
  current: () => Readonly<Record<string, string>>,
  report: (problem: string, code: 'consent-invalid') => void,
): () => void {
  const layer = (globalThis as { dataLayer?: unknown }).dataLayer as unknown[];
  // What each Consent Mode type is (page data: a Map, never a plain object's keys), and the types an update set.
  const types = new Map<string, unknown>();
  const updated = new Set<string>();
  let stopped = false;
  const warn = (problem: unknown): void => {
    try {
      report(`Google Consent Mode: ${String(problem)}; ignored.`, 'consent-invalid');
    } catch {
      // An onError that throws (or a thrown value that cannot be told) never reaches the page's push.
    }
  };

  const read = (command: unknown): void => {
    try {
      // gtag() pushes its `arguments`: anything else (events, objects, arrays) is not a gtag command.
      if (stopped || {}.toString.call(command) !== '[object Arguments]' || (command as unknown[])[0] !== 'consent') return;
      const [, kind, values] = command as unknown[];
      if ((kind !== 'default' && kind !== 'update') || typeof values !== 'object' || !values) {
        return warn(`gtag('consent', '${kind as string}') is not 'default' or 'update' with an object`);
      }
      const isDefault = kind === 'default';
      const changed = new Set<string>();
      for (const [type, value] of Object.entries(values)) {
        // region (a list) and wait_for_update (ms) are not consent types; a type set to another word is a mistake.
        if (value !== 'granted' && value !== 'denied') typeof value === 'string' && warn(`${type}: '${value}' is not 'granted' or 'denied'`);
        // A default never changes what an update set; it grants only without a region, and not over an earlier default's denial.
        else if (!isDefault || !(updated.has(type) || (value === 'granted' && ('region' in values || types.get(type) === 'denied')))) {
          if (!isDefault) updated.add(type);
          types.set(type, value);
          changed.add(type);
        }
      }
      const state = current();
      const granted: Purpose[] = [];
      const denied: Purpose[] = [];
      for (const purpose in mapping) {
        const mapped = mapping[purpose]!;
        if (!mapped.some((type) => changed.has(type))) continue;
        const decision = mapped.some((type) => types.get(type) === 'denied') ? 'denied' : 'granted';
        if (state[purpose] !== decision && (!isDefault || state[purpose] === 'unknown')) (decision === 'granted' ? granted : denied).push(purpose);
      }
      if (granted[0] || denied[0]) onDecision(granted, denied, !isDefault);
    } catch (error) {
      warn(error);
    }
  };

  try {
    if (Array.isArray(layer)) {
      // By index: a command pushed while these are read (before push is wrapped) is read in its turn.
      for (let index = 0; index < layer.length; index++) read(layer[index]);
      const push = layer.push;
      const reading = function (this: unknown, ...commands: unknown[]): number {
        const result = push.apply(this, commands);
        commands.forEach(read);
        return result;
      };
      layer.push = reading;
    }
  } catch (error) {
    warn(error);
  }
  // Stopped, the push stays (Google's tag may have wrapped it since), only passing commands on.
  return () => void (stopped = true);
}
