import type { CaptureTarget } from './capture-target.js';

/** What one form did during one page view. Field values are never read, only counted. */
interface FormState {
  formId: string;
  /** `pathname + search` when the state was made: a new page view (SPA navigation) starts afresh. */
  pageKey: string;
  /** Distinct fields interacted with: the `name` attribute, or the element for unnamed fields. */
  fields: Set<unknown>;
  started: boolean;
  submitted: boolean;
}

function warn(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  console.warn(`[attune] auto-capture: form tracking failed (the page is unaffected): ${message}`);
}

function isForm(value: unknown): value is HTMLFormElement {
  return typeof HTMLFormElement !== 'undefined' && value instanceof HTMLFormElement;
}

/** The form a field belongs to: its `form` property honours `<input form="id">` outside the form. */
function owningForm(target: EventTarget | null): HTMLFormElement | null {
  if (!target || typeof (target as Element).closest !== 'function') return null;
  const field = target as Element & { form?: unknown };
  if (isForm(field.form)) return field.form;
  return field.closest('form');
}

function isIgnored(form: HTMLFormElement): boolean {
  return form.closest('[data-attune-ignore]') !== null;
}

/**
 * `id`, else `name`, else the form's position among the document's forms (`form[2]`).
 * Read with getAttribute: `form.id` would return a field named "id" instead.
 */
export function describeFormId(form: HTMLFormElement): string {
  const named = form.getAttribute('id') || form.getAttribute('name');
  if (named) return named;
  return `form[${Array.prototype.indexOf.call(form.ownerDocument.querySelectorAll('form'), form)}]`;
}

function fieldKey(field: EventTarget | null): unknown {
  const name = field && typeof (field as Element).getAttribute === 'function' ? (field as Element).getAttribute('name') : null;
  return name || field;
}

function currentPageKey(): string {
  return typeof location === 'undefined' ? '' : location.pathname + location.search;
}

/**
 * Tracks form funnels, without ever reading a field's value:
 * - `form_started` on the first `input` or `change` inside a form (once per form per page view),
 * - `form_submitted` on `submit`,
 * - `form_abandoned` when the page is hidden (`visibilitychange` to hidden, or `pagehide`) for a
 *   form started and not submitted (once).
 *
 * Properties: `formId` (see {@link describeFormId}) and `fieldsTouched` (distinct fields
 * interacted with). Forms inside `[data-attune-ignore]` are skipped. Listeners are delegated on
 * `document` in the capture phase. Returns a stop function. Does nothing outside a browser.
 */
export function captureForms(target: CaptureTarget): () => void {
  if (typeof document === 'undefined' || typeof window === 'undefined') return () => {};
  const states = new Map<HTMLFormElement, FormState>();
  /** Started and neither submitted nor reported abandoned yet. */
  const pending = new Set<FormState>();

  const emit = (name: string, state: FormState): void => {
    try {
      target.track(name, { formId: state.formId, fieldsTouched: state.fields.size });
    } catch (error) {
      warn(error);
    }
  };

  const stateFor = (form: HTMLFormElement): FormState => {
    const pageKey = currentPageKey();
    let state = states.get(form);
    // The previous page view's state stays in `pending`, so it can still be reported abandoned.
    if (!state || state.pageKey !== pageKey) {
      state = { formId: describeFormId(form), pageKey, fields: new Set(), started: false, submitted: false };
      states.set(form, state);
    }
    return state;
  };

  const onFieldEvent = (event: Event): void => {
    try {
      const form = owningForm(event.target);
      if (!form || isIgnored(form)) return;
      const state = stateFor(form);
      state.fields.add(fieldKey(event.target));
      if (state.started) return;
      state.started = true;
      pending.add(state);
      emit('form_started', state);
    } catch (error) {
      warn(error);
    }
  };

  const onSubmit = (event: Event): void => {
    try {
      const form = event.target;
      if (!isForm(form) || isIgnored(form)) return;
      const state = stateFor(form);
      state.submitted = true;
      pending.delete(state);
      emit('form_submitted', state);
    } catch (error) {
      warn(error);
    }
  };

  const onPageHidden = (): void => {
    try {
      for (const state of [...pending]) {
        pending.delete(state);
        emit('form_abandoned', state);
      }
    } catch (error) {
      warn(error);
    }
  };

  const onVisibilityChange = (): void => {
    if (document.visibilityState === 'hidden') onPageHidden();
  };

  document.addEventListener('input', onFieldEvent, true);
  document.addEventListener('change', onFieldEvent, true);
  document.addEventListener('submit', onSubmit, true);
  document.addEventListener('visibilitychange', onVisibilityChange);
  window.addEventListener('pagehide', onPageHidden);

  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    document.removeEventListener('input', onFieldEvent, true);
    document.removeEventListener('change', onFieldEvent, true);
    document.removeEventListener('submit', onSubmit, true);
    document.removeEventListener('visibilitychange', onVisibilityChange);
    window.removeEventListener('pagehide', onPageHidden);
    states.clear();
    pending.clear();
  };
}
