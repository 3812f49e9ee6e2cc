// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CaptureTarget } from '../../src/capture/auto-capture.js';
import { captureForms } from '../../src/capture/forms.js';
import { recordingTarget, starter, type Call } from './harness.js';

const { start, stopAll } = starter(captureForms);

afterEach(() => {
  stopAll();
  document.body.innerHTML = '';
  setVisibility(undefined);
  history.replaceState(null, '', '/');
  vi.restoreAllMocks();
});

const SECRET = 'hunter2-secret@example.com';

function field(selector: string): HTMLInputElement {
  const element = document.querySelector<HTMLInputElement>(selector);
  if (!element) throw new Error(`no ${selector}`);
  return element;
}

/** Types like a visitor: sets a value and fires input (and change when leaving the field). */
function type(selector: string, value = SECRET, commit = false): void {
  const input = field(selector);
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  if (commit) input.dispatchEvent(new Event('change', { bubbles: true }));
}

function submit(selector: string): void {
  document.querySelector(selector)?.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
}

/** Stubs document.visibilityState (undefined restores the real one) and fires visibilitychange. */
function setVisibility(state: DocumentVisibilityState | undefined): void {
  if (state === undefined) {
    delete (document as Partial<Record<'visibilityState', unknown>>).visibilityState;
    return;
  }
  Object.defineProperty(document, 'visibilityState', { configurable: true, value: state });
  document.dispatchEvent(new Event('visibilitychange'));
}

const names = (calls: Call[]) => calls.map((call) => call.name);

const SIGNUP = `
  <form id="signup">
    <input name="email" id="email"><input name="password" id="password" type="password">
    <input type="radio" name="plan" id="plan-a" value="a"><input type="radio" name="plan" id="plan-b" value="b">
  </form>`;

describe('form capture', () => {
  it('emits form_started once, on the first input inside a form', () => {
    document.body.innerHTML = SIGNUP;
    const target = recordingTarget();
    start(target);
    type('#email');
    type('#email', 'more', true);
    type('#password');
    expect(target.calls).toEqual([{ method: 'track', name: 'form_started', properties: { formId: 'signup', fieldsTouched: 1 } }]);
  });

  it('also starts on a change event (selects, checkboxes, radios)', () => {
    document.body.innerHTML = SIGNUP;
    const target = recordingTarget();
    start(target);
    field('#plan-a').dispatchEvent(new Event('change', { bubbles: true }));
    expect(names(target.calls)).toEqual(['form_started']);
  });

  it('emits form_submitted on submit with the count of distinct fields touched', () => {
    document.body.innerHTML = SIGNUP;
    const target = recordingTarget();
    start(target);
    type('#email');
    type('#email');
    type('#password');
    field('#plan-a').dispatchEvent(new Event('change', { bubbles: true }));
    field('#plan-b').dispatchEvent(new Event('change', { bubbles: true }));
    submit('#signup');
    expect(target.calls.at(-1)).toEqual({
      method: 'track',
      name: 'form_submitted',
      properties: { formId: 'signup', fieldsTouched: 3 },
    });
  });

  it('emits form_abandoned once when the page is hidden after a start without submit', () => {
    document.body.innerHTML = SIGNUP;
    const target = recordingTarget();
    start(target);
    type('#email');
    setVisibility('hidden');
    window.dispatchEvent(new Event('pagehide'));
    setVisibility('visible');
    setVisibility('hidden');
    expect(target.calls).toEqual([
      { method: 'track', name: 'form_started', properties: { formId: 'signup', fieldsTouched: 1 } },
      { method: 'track', name: 'form_abandoned', properties: { formId: 'signup', fieldsTouched: 1 } },
    ]);
  });

  it('emits form_abandoned on pagehide', () => {
    document.body.innerHTML = SIGNUP;
    const target = recordingTarget();
    start(target);
    type('#email');
    window.dispatchEvent(new Event('pagehide'));
    expect(names(target.calls)).toEqual(['form_started', 'form_abandoned']);
  });

  it('does not emit form_abandoned for a form that was never started', () => {
    document.body.innerHTML = SIGNUP;
    const target = recordingTarget();
    start(target);
    setVisibility('hidden');
    expect(target.calls).toEqual([]);
  });

  it('does not emit form_abandoned for a submitted form', () => {
    document.body.innerHTML = SIGNUP;
    const target = recordingTarget();
    start(target);
    type('#email');
    submit('#signup');
    setVisibility('hidden');
    expect(names(target.calls)).toEqual(['form_started', 'form_submitted']);
  });

  it('does not emit form_abandoned when the page becomes visible', () => {
    document.body.innerHTML = SIGNUP;
    const target = recordingTarget();
    start(target);
    type('#email');
    setVisibility('visible');
    expect(names(target.calls)).toEqual(['form_started']);
  });

  it('never captures field values', () => {
    document.body.innerHTML = SIGNUP;
    const target = recordingTarget();
    start(target);
    type('#email', SECRET, true);
    type('#password', SECRET, true);
    setVisibility('hidden');
    submit('#signup');
    expect(names(target.calls)).toEqual(['form_started', 'form_abandoned', 'form_submitted']);
    expect(JSON.stringify(target.calls)).not.toContain('hunter2');
    for (const call of target.calls) expect(Object.keys(call.properties ?? {}).sort()).toEqual(['fieldsTouched', 'formId']);
  });

  it('skips forms marked data-attune-ignore (and forms inside such an element)', () => {
    document.body.innerHTML = `
      <form id="card" data-attune-ignore><input id="number" name="number"></form>
      <section data-attune-ignore><form id="inner"><input id="cvc" name="cvc"></form></section>`;
    const target = recordingTarget();
    start(target);
    type('#number');
    type('#cvc');
    submit('#card');
    submit('#inner');
    setVisibility('hidden');
    expect(target.calls).toEqual([]);
  });

  it('names forms by id, then name, then their index among the forms, even with a field named "id"', () => {
    document.body.innerHTML = `
      <form id="by-id"><input id="a" name="id"></form>
      <form name="by-name"><input id="b"></form>
      <form><input id="c"></form>`;
    const target = recordingTarget();
    start(target);
    type('#a');
    type('#b');
    type('#c');
    expect(target.calls.map((call) => call.properties?.formId)).toEqual(['by-id', 'by-name', 'form[2]']);
  });

  it('attributes a field outside the form element through its form attribute', () => {
    document.body.innerHTML = `<form id="search"></form><input id="q" name="q" form="search">`;
    const target = recordingTarget();
    start(target);
    type('#q');
    expect(target.calls[0]?.properties).toEqual({ formId: 'search', fieldsTouched: 1 });
  });

  it('ignores input outside any form', () => {
    document.body.innerHTML = `<input id="loose">`;
    const target = recordingTarget();
    start(target);
    type('#loose');
    expect(target.calls).toEqual([]);
  });

  it('starts a form again in a new page view (SPA navigation) and reports the earlier start abandoned once', () => {
    document.body.innerHTML = SIGNUP;
    const target = recordingTarget();
    start(target);
    type('#email');
    history.pushState(null, '', '/step-2');
    type('#password');
    submit('#signup');
    setVisibility('hidden');
    expect(names(target.calls)).toEqual(['form_started', 'form_started', 'form_submitted', 'form_abandoned']);
  });

  it('stops listening after stop', () => {
    document.body.innerHTML = SIGNUP;
    const target = recordingTarget();
    const stop = start(target);
    stop();
    type('#email');
    submit('#signup');
    setVisibility('hidden');
    expect(target.calls).toEqual([]);
  });

  it('does not throw into the page when the target throws, and warns', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    document.body.innerHTML = SIGNUP;
    const pageHandler = vi.fn();
    document.querySelector('#signup')?.addEventListener('submit', pageHandler);
    start({ track: () => { throw new Error('form boom'); }, page: () => {} });
    expect(() => type('#email')).not.toThrow();
    expect(() => submit('#signup')).not.toThrow();
    expect(() => setVisibility('hidden')).not.toThrow();
    expect(pageHandler).toHaveBeenCalledOnce();
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^\[attune\] .*form boom/));
  });
});
