/**
 * What the preview overlay shows, as plain data read from a client: the visitor as the bundle sees
 * them, each slot's decision and why, and each experiment with its variants and any override.
 * No DOM here (preview-overlay.ts draws it), so it is tested on its own.
 */
import type { Bundle } from '../bundle/schema.js';
import type { Decision } from '../decide/types.js';
import { FORCE_PARAM } from '../decide/force-param.js';
import type { AttuneClient } from '../client/types.js';
import { own } from '../profile/records.js';

/** One line of the slots table. */
export interface SlotRow {
  slot: string;
  /** The variant served, or what the slot keeps ("default", "page markup"). */
  shows: string;
  /** The content's text (shortened), or "JSON" for JSON content; "" for none. */
  content: string;
  reason: Decision['reason'];
  /** Why a decision was an error or capped. */
  message: string;
  experience: string;
  /** `experiment: variant` (or `: holdout`), "" when no experiment decided the slot. */
  experiment: string;
  forced: boolean;
}

/** One experiment the overlay can force. */
export interface ExperimentControl {
  id: string;
  slot: string;
  experience: string;
  /** A plain experiment's variants; empty for a multivariate test. */
  variants: string[];
  /** A multivariate test's factors with their levels. */
  factors: { id: string; levels: string[] }[];
  /** The visitor's sticky variant, if assigned. */
  assigned: string | undefined;
  /** The forced variant, if any. */
  forced: string | undefined;
}

export interface PreviewModel {
  /** Label → value lines about the visitor and the bundle. */
  visitor: [label: string, value: string][];
  slots: SlotRow[];
  experiments: ExperimentControl[];
  forced: Readonly<Record<string, string>>;
}

const CONTENT_CHARS = 60;
const none = (list: readonly string[]): string => (list.length ? list.join(', ') : 'none');

function contentText(decision: Decision): string {
  const content = decision.content;
  if (!content) return '';
  if (content.type !== 'text') return 'JSON';
  const text = String(content.value).replace(/\s+/g, ' ').trim();
  return text.length > CONTENT_CHARS ? `${text.slice(0, CONTENT_CHARS - 1)}…` : text;
}

function slotRow(decision: Decision): SlotRow {
  const served = decision.reason === 'matched' || decision.reason === 'forced';
  return {
    slot: decision.slot,
    shows: served && decision.variant ? decision.variant : decision.content ? 'default' : 'page markup',
    content: contentText(decision),
    reason: decision.reason,
    message: decision.message ?? '',
    experience: decision.experience ?? '',
    experiment: decision.experiment ? `${decision.experiment.id}: ${decision.experiment.variant}` : '',
    forced: decision.forced === true,
  };
}

function experimentControls(bundle: Bundle | undefined, assignments: Readonly<Record<string, string>>, forced: Readonly<Record<string, string>>): ExperimentControl[] {
  const controls: ExperimentControl[] = [];
  for (const experience of bundle?.experiences ?? []) {
    const experiment = experience.experiment;
    if (!experiment) continue;
    const factors = (experiment.factors ?? []).map((factor) => ({ id: factor.id, levels: factor.levels.map((level) => level.id) }));
    controls.push({
      id: experiment.id,
      slot: experience.slot,
      experience: experience.id,
      variants: factors.length ? [] : experience.variants.map((variant) => variant.id),
      factors,
      assigned: own(assignments, experiment.id),
      forced: own(forced, experiment.id),
    });
  }
  return controls;
}

/** Reads everything the overlay shows from the client, now. */
export function previewModel(client: AttuneClient): PreviewModel {
  // Deciding first: a first decision may assign the visitor to an experiment, which inspect() then lists.
  const decisions = client.decideAll();
  const snapshot = client.getSnapshot();
  const inspection = client.inspect();
  const { bundle, profile, consent } = snapshot;
  const bundleLine =
    bundle.status === 'ready'
      ? `${bundle.id ?? '?'} version ${String(bundle.version ?? '?')} (from ${bundle.source ?? '?'})${bundle.error ? `; a newer copy was refused: ${bundle.error.message}` : ''}`
      : `${bundle.status}${bundle.error ? `: ${bundle.error.message}` : ''}`;
  const visitor: [string, string][] = [
    ['Consent', Object.entries(consent).map(([purpose, state]) => `${purpose} ${state}`).join(', ')],
    ['Bundle', bundleLine],
    ['Segments', none(inspection.segments)],
    ['Hydrated segments', none(profile.segments)],
    ['Stage', profile.stage ?? 'none'],
    ['Visitor', profile.userId ? `user ${profile.userId} (anonymous ${profile.anonymousId ?? '?'})` : profile.anonymousId ? `anonymous ${profile.anonymousId}` : 'no id yet (no consent)'],
    ['Page view', String(snapshot.pageView)],
  ];
  return {
    visitor,
    slots: decisions.map(slotRow),
    experiments: experimentControls(inspection.bundle, inspection.assignments, inspection.forced),
    forced: inspection.forced,
  };
}

/**
 * The page's URL with the overrides as `?attune_force=` (and the overlay open): a link that
 * shows another tester the same variants. Without overrides the parameter is removed.
 */
export function previewLink(href: string, forced: Readonly<Record<string, string>>): string {
  const url = new URL(href);
  const pairs = Object.entries(forced).map(([experiment, variant]) => `${experiment}:${variant}`);
  if (pairs.length) url.searchParams.set(FORCE_PARAM, pairs.join(','));
  else url.searchParams.delete(FORCE_PARAM);
  url.searchParams.set(PREVIEW_PARAM, '1');
  return url.href;
}

/** The URL parameter that opens the overlay on a page with the tag: `?attune_debug=1`. */
export const PREVIEW_PARAM = 'attune_debug';

/** Whether a query string asks for the overlay (`attune_debug=1` or `=true`). */
export function previewRequested(search: string): boolean {
  const value = new URLSearchParams(search).get(PREVIEW_PARAM);
  return value === '1' || value === 'true';
}
