/**
 * The preview overlay for QA: each slot's decision and why, the visitor as the bundle sees them,
 * and controls to force an experiment's variant (the same overrides as `?attune_force=`) or clear
 * them. Forced decisions are never recorded as exposures, so previewing does not skew a test.
 *
 * Drawn with DOM APIs and text only (no markup from data, no inline style attributes), inside an
 * open shadow root with a constructed stylesheet, so a strict CSP allows it and page styles stay
 * out. Keyboard: every control is a native button, select or link; Escape closes and gives focus
 * back to where it was.
 */
import type { AttuneClient } from '../client/types.js';
import { previewLink, previewModel, type ExperimentControl, type PreviewModel, type SlotRow } from './preview-model.js';
import { PREVIEW_STYLES } from './preview-styles.js';

export interface PreviewOverlay {
  /** Removes the overlay and stops following the client. */
  close(): void;
  /** The element the overlay lives in (its content is in an open shadow root). */
  readonly host: HTMLElement;
}

const opened = new WeakMap<Document, PreviewOverlay>();

type Attributes = Record<string, string | undefined>;

/** An element with attributes and children (strings become text nodes: nothing is parsed as markup). */
function make<K extends keyof HTMLElementTagNameMap>(doc: Document, tag: K, attributes: Attributes = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const element = doc.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) if (value !== undefined) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

function styleRoot(root: ShadowRoot, doc: Document): void {
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(PREVIEW_STYLES);
    root.adoptedStyleSheets = [sheet];
  } catch {
    // Browsers without constructed stylesheets: a <style> element (a strict CSP may refuse it; the overlay still works unstyled).
    root.append(make(doc, 'style', {}, PREVIEW_STYLES));
  }
}

/**
 * Opens the overlay for `client` on `doc` (one per document: opening again focuses it). It
 * follows the client: every change redraws what changed.
 */
export function openPreview(client: AttuneClient, doc: Document = document): PreviewOverlay {
  const existing = opened.get(doc);
  if (existing) {
    existing.host.shadowRoot?.querySelector<HTMLElement>('h2')?.focus();
    return existing;
  }
  const returnFocus = doc.activeElement as HTMLElement | null;
  const host = make(doc, 'div', { 'data-attune-preview': '' });
  const root = host.attachShadow({ mode: 'open' });
  styleRoot(root, doc);

  const status = make(doc, 'p', { role: 'status', class: 'muted' });
  const say = (text: string): void => void (status.textContent = text);
  const visitor = make(doc, 'section', { 'aria-labelledby': 'attune-visitor' });
  const slots = make(doc, 'section', { 'aria-labelledby': 'attune-slots' });
  const experiments = make(doc, 'section', { 'aria-labelledby': 'attune-experiments' });
  const footer = make(doc, 'footer');
  const body = make(doc, 'div', { id: 'attune-preview-body' }, visitor, slots, experiments, footer, status);
  const toggle = make(doc, 'button', { type: 'button', 'aria-expanded': 'true', 'aria-controls': 'attune-preview-body' }, 'Hide details');
  const closeButton = make(doc, 'button', { type: 'button', 'aria-label': 'Close the Attune preview' }, 'Close');
  const title = make(doc, 'h2', { id: 'attune-preview-title', tabindex: '-1' }, 'Attune preview');
  const panel = make(doc, 'section', { class: 'panel', role: 'dialog', 'aria-labelledby': 'attune-preview-title' }, make(doc, 'header', {}, title, toggle, closeButton), body);
  root.append(panel);

  toggle.addEventListener('click', () => {
    const hide = !body.hidden;
    body.hidden = hide;
    toggle.setAttribute('aria-expanded', String(!hide));
    toggle.textContent = hide ? 'Show details' : 'Hide details';
  });
  closeButton.addEventListener('click', () => overlay.close());
  panel.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      overlay.close();
    }
  });

  function force(experiment: string, variant: string | null): void {
    client.force(experiment, variant);
    say(variant === null ? `${experiment}: override cleared.` : `${experiment}: forced to ${variant}.`);
  }

  /** Keys of what each section last drew: a section is rebuilt only when its data changed. */
  const drawn = new Map<Element, string>();
  function draw(section: Element, data: unknown, build: () => Node[]): void {
    const key = JSON.stringify(data);
    if (drawn.get(section) === key) return;
    drawn.set(section, key);
    // Keyboard users keep their place: the control that had focus has it again after the redraw.
    const focused = root.activeElement && section.contains(root.activeElement) ? root.activeElement.getAttribute('data-key') : null;
    section.replaceChildren(...build());
    if (focused === null) return;
    // A control disabled now (Clear, once cleared) hands focus to the usable control before it (its Force).
    const keyed = [...section.querySelectorAll<HTMLElement>('[data-key]')];
    const at = keyed.findIndex((element) => element.dataset.key === focused);
    const usable = keyed.slice(0, at + 1).reverse().find((element) => !(element as HTMLButtonElement).disabled);
    (usable ?? title).focus();
  }

  function update(): void {
    const model = previewModel(client);
    draw(visitor, model.visitor, () => [
      make(doc, 'h3', { id: 'attune-visitor' }, 'Visitor'),
      make(doc, 'dl', {}, ...model.visitor.flatMap(([label, value]) => [make(doc, 'dt', {}, label), make(doc, 'dd', {}, value)])),
    ]);
    draw(slots, model.slots, () => [make(doc, 'h3', { id: 'attune-slots' }, 'Slots'), slotTable(doc, model.slots)]);
    draw(experiments, model.experiments, () => [
      make(doc, 'h3', { id: 'attune-experiments' }, 'Experiments'),
      ...(model.experiments.length ? model.experiments.map((control) => experimentFieldset(doc, control, force)) : [make(doc, 'p', { class: 'muted' }, 'The bundle runs no experiment.')]),
    ]);
    draw(footer, [model.forced, doc.location?.href], () => footerParts(doc, model, () => {
      for (const experiment of Object.keys(model.forced)) client.force(experiment, null);
      say('Every override cleared.');
    }));
  }

  let scheduled = false;
  const unsubscribe = client.subscribe(() => {
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(() => {
      scheduled = false;
      if (host.isConnected) update();
    });
  });

  const overlay: PreviewOverlay = {
    host,
    close() {
      unsubscribe();
      host.remove();
      opened.delete(doc);
      returnFocus?.focus?.();
    },
  };
  opened.set(doc, overlay);

  const attach = (): void => {
    if (opened.get(doc) !== overlay) return;
    doc.body.append(host);
    update();
    title.focus();
  };
  if (doc.body) attach();
  else doc.addEventListener('DOMContentLoaded', attach, { once: true });
  return overlay;
}

function slotTable(doc: Document, rows: SlotRow[]): Node {
  if (!rows.length) return make(doc, 'p', { class: 'muted' }, 'No slots: no bundle serves yet.');
  const header = make(doc, 'tr', {}, ...['Slot', 'Shows', 'Why', 'Experience', 'Experiment'].map((name) => make(doc, 'th', { scope: 'col' }, name)));
  const body = rows.map((row) =>
    make(doc, 'tr', { 'data-slot': row.slot },
      make(doc, 'th', { scope: 'row' }, row.slot),
      make(doc, 'td', {}, row.shows, ...(row.content ? [make(doc, 'br'), make(doc, 'span', { class: 'muted' }, row.content)] : [])),
      make(doc, 'td', { class: row.forced ? 'forced' : undefined }, row.reason, ...(row.message ? [make(doc, 'br'), make(doc, 'span', { class: 'muted' }, row.message)] : [])),
      make(doc, 'td', {}, row.experience),
      make(doc, 'td', {}, row.experiment)));
  return make(doc, 'table', {}, make(doc, 'thead', {}, header), make(doc, 'tbody', {}, ...body));
}

/** A select per factor (multivariate) or one of the variants, preset to the forced, else the assigned variant. */
function experimentFieldset(doc: Document, control: ExperimentControl, force: (experiment: string, variant: string | null) => void): Node {
  const current = control.forced ?? control.assigned ?? '';
  const chosen = new Map(current.split('|').map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
  const choice = (key: string, label: string, options: string[], selected: string | undefined): [HTMLLabelElement, HTMLSelectElement] => {
    const id = `attune-${control.id}-${key}`;
    const select = make(doc, 'select', { id, 'data-key': id }, ...options.map((value) => make(doc, 'option', { value }, value)));
    if (selected !== undefined && options.includes(selected)) select.value = selected;
    return [make(doc, 'label', { for: id }, label), select];
  };
  const selects = control.factors.length
    ? control.factors.map((factor) => choice(`factor-${factor.id}`, factor.id, factor.levels, chosen.get(factor.id)))
    : [choice('variant', 'Variant', control.variants, current)];
  const forceButton = make(doc, 'button', { type: 'button', 'data-key': `force-${control.id}` }, `Force ${control.id}`);
  forceButton.addEventListener('click', () => {
    const values = selects.map(([, select]) => select.value);
    force(control.id, control.factors.length ? control.factors.map((factor, i) => `${factor.id}=${values[i]}`).join('|') : values[0]!);
  });
  const clearButton = make(doc, 'button', { type: 'button', 'data-key': `clear-${control.id}` }, `Clear ${control.id}`);
  clearButton.disabled = control.forced === undefined;
  clearButton.addEventListener('click', () => force(control.id, null));
  const state = [
    control.assigned !== undefined ? `assigned ${control.assigned}` : 'not assigned',
    ...(control.forced !== undefined ? [`forced ${control.forced}`] : []),
  ].join(' · ');
  return make(doc, 'fieldset', { 'data-experiment': control.id },
    make(doc, 'legend', {}, `${control.id} (slot ${control.slot})`),
    make(doc, 'p', { class: control.forced !== undefined ? 'forced' : 'muted' }, state),
    make(doc, 'div', { class: 'controls' }, ...selects.flat(), forceButton, clearButton));
}

function footerParts(doc: Document, model: PreviewModel, clearAll: () => void): Node[] {
  const forcedCount = Object.keys(model.forced).length;
  const clear = make(doc, 'button', { type: 'button', 'data-key': 'clear-all' }, 'Clear all overrides');
  clear.disabled = forcedCount === 0;
  clear.addEventListener('click', clearAll);
  const href = doc.location?.href;
  return [
    clear,
    ...(href && /^https?:/.test(href) ? [make(doc, 'a', { href: previewLink(href, model.forced), 'data-key': 'link' }, 'Link to this preview')] : []),
    make(doc, 'span', { class: 'muted' }, 'Forced decisions are never recorded as exposures.'),
  ];
}
