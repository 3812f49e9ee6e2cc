// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createAttune } from '../../src/client/client.js';
import type { AttuneClient } from '../../src/client/types.js';
import { openPreview, type PreviewOverlay } from '../../src/preview/preview-overlay.js';
import { previewLink, previewRequested } from '../../src/preview/preview-model.js';
import { freshIndexedDB, memoryStorage } from '../support.js';
import { shopBundle } from '../fixtures.js';

const bundle = shopBundle({
  experiences: [
    ...shopBundle().experiences,
    {
      id: 'cta-test',
      slot: 'home.cta',
      experiment: { id: 'cta-test' },
      variants: [
        { id: 'control', content: 'cta-control' },
        { id: 'urgency', content: 'cta-urgency' },
      ],
      default: 'control',
    },
    {
      id: 'layout-test',
      slot: 'home.layout',
      experiment: {
        id: 'layout-test',
        factors: [
          { id: 'headline', levels: [{ id: 'a', content: 'headline-a' }, { id: 'b', content: 'headline-b' }] },
          { id: 'button', levels: [{ id: 'blue', content: 'button-blue' }, { id: 'green', content: 'button-green' }] },
        ],
      },
      variants: [{ id: 'base', content: 'headline-a' }],
    },
  ],
  content: {
    ...shopBundle().content,
    'cta-control': { type: 'text', value: 'Free returns' },
    'cta-urgency': { type: 'text', value: '<img src=x onerror="window.pwned=1">Only today' },
    'headline-a': { type: 'text', value: 'Headline A' },
    'headline-b': { type: 'text', value: 'Headline B' },
    'button-blue': { type: 'text', value: 'Blue' },
    'button-green': { type: 'text', value: 'Green' },
  },
});

let client: AttuneClient;
let overlay: PreviewOverlay | undefined;
beforeEach(() => {
  freshIndexedDB();
  document.body.replaceChildren();
  client = createAttune({ bundle, environment: { storage: memoryStorage() } });
});
afterEach(() => {
  overlay?.close();
  client.destroy();
});

const root = (): ShadowRoot => overlay!.host.shadowRoot!;
const row = (slot: string): string => root().querySelector(`tr[data-slot="${slot}"]`)?.textContent ?? '';
const fieldset = (experiment: string): HTMLFieldSetElement => root().querySelector(`fieldset[data-experiment="${experiment}"]`)!;
const button = (scope: ParentNode, text: RegExp): HTMLButtonElement => [...scope.querySelectorAll('button')].find((b) => text.test(b.textContent ?? ''))!;
/** Lets the client notify and the overlay redraw (each a microtask). */
const redrawn = async (): Promise<void> => {
  for (let i = 0; i < 3; i += 1) await Promise.resolve();
};

async function openGranted(): Promise<void> {
  await client.consent.grant();
  await client.ready;
  overlay = openPreview(client);
  await redrawn();
}

it('shows the visitor as the bundle sees them: consent, bundle, segments, stage, id', async () => {
  await openGranted();
  const visitor = root().querySelector('dl')!.textContent!;
  expect(visitor).toContain('analytics granted, personalization granted');
  expect(visitor).toContain('shop version 1 (from inline)');
  expect(visitor).toContain(`anonymous ${client.getSnapshot().profile.anonymousId}`);
  expect(visitor).toMatch(/Segments\s*none/);

  for (let i = 0; i < 3; i += 1) client.track('product_viewed', { sku: `s${i}` });
  await redrawn();
  expect(root().querySelector('dl')!.textContent).toMatch(/Segmentsengaged/);
  expect(row('home.hero')).toContain('engaged');
  expect(row('home.hero')).toContain('matched');
});

it('forces the other variant of an A/B test from the overlay, marks it forced, and clears it', async () => {
  await openGranted();
  const assigned = client.decide('home.cta').variant!;
  const other = assigned === 'control' ? 'urgency' : 'control';
  expect(fieldset('cta-test').textContent).toContain(`assigned ${assigned}`);

  const select = fieldset('cta-test').querySelector('select')!;
  expect(select.value).toBe(assigned);
  select.value = other;
  // As a keyboard user does: focus the button, press it.
  const force = button(fieldset('cta-test'), /^Force/);
  force.focus();
  force.click();
  await redrawn();

  expect(client.decide('home.cta')).toMatchObject({ variant: other, reason: 'forced', forced: true });
  expect(row('home.cta')).toContain('forced');
  expect(row('home.cta')).toContain(other);
  expect(fieldset('cta-test').textContent).toContain(`forced ${other}`);
  expect(root().querySelector('[role="status"]')!.textContent).toBe(`cta-test: forced to ${other}.`);
  // The control that was used keeps the focus across the redraw.
  expect(root().activeElement?.textContent).toBe('Force cta-test');
  expect(client.inspect().forced).toEqual({ 'cta-test': other });
  const link = new URL(root().querySelector('a')!.href);
  expect(link.searchParams.get('attune_force')).toBe(`cta-test:${other}`);
  expect(link.searchParams.get('attune_debug')).toBe('1');

  const clear = button(fieldset('cta-test'), /^Clear/);
  clear.focus();
  clear.click();
  await redrawn();
  // Clear is disabled now: the focus goes to the Force button before it, still in the overlay.
  expect(root().activeElement?.textContent).toBe('Force cta-test');
  expect(client.decide('home.cta')).toMatchObject({ variant: assigned, reason: 'matched' });
  expect(client.inspect().forced).toEqual({});
  expect(button(fieldset('cta-test'), /^Clear/).disabled).toBe(true);
});

it('forces a multivariate test one level per factor, and "Clear all overrides" clears every one', async () => {
  await openGranted();
  const selects = fieldset('layout-test').querySelectorAll('select');
  expect([...selects].map((s) => s.id)).toEqual(['attune-layout-test-factor-headline', 'attune-layout-test-factor-button']);
  selects[0]!.value = 'b';
  selects[1]!.value = 'green';
  button(fieldset('layout-test'), /^Force/).click();
  fieldset('cta-test').querySelector('select')!.value = 'urgency';
  button(fieldset('cta-test'), /^Force/).click();
  await redrawn();
  expect(client.decide('home.layout')).toMatchObject({ reason: 'forced', variant: 'headline=b|button=green' });
  expect(client.inspect().forced).toEqual({ 'layout-test': 'headline=b|button=green', 'cta-test': 'urgency' });

  button(root(), /^Clear all overrides$/).click();
  await redrawn();
  expect(client.inspect().forced).toEqual({});
  expect(client.decide('home.layout').reason).not.toBe('forced');
});

it('shows content as text: markup in a bundle is never parsed', async () => {
  await openGranted();
  client.force('cta-test', 'urgency');
  await redrawn();
  expect(row('home.cta')).toContain('<img src=x onerror="window.pwned=1">Only today');
  expect(root().querySelector('img')).toBeNull();
});

it('without consent it shows default decisions, no segments and no assignments, and still forces nothing into exposures', async () => {
  await client.ready;
  overlay = openPreview(client);
  await redrawn();
  expect(root().querySelector('dl')!.textContent).toContain('analytics unknown, personalization unknown');
  expect(row('home.cta')).toContain('default-no-consent');
  expect(fieldset('cta-test').textContent).toContain('not assigned');
  expect(client.inspect()).toMatchObject({ segments: [], assignments: {}, forced: {} });
});

it('is keyboard operable: one overlay per page, Escape closes it and gives the focus back', async () => {
  const before = document.createElement('button');
  document.body.append(before);
  before.focus();
  await openGranted();
  expect(root().activeElement?.textContent).toBe('Attune preview');
  expect(openPreview(client)).toBe(overlay);
  expect(document.querySelectorAll('[data-attune-preview]')).toHaveLength(1);
  // Every control is a native button, select or link (focusable and operable by keyboard).
  const controls = root().querySelectorAll('button, select, a');
  expect(controls.length).toBeGreaterThan(5);

  const toggle = button(root(), /Hide details/);
  toggle.click();
  expect(toggle.getAttribute('aria-expanded')).toBe('false');
  expect(root().getElementById('attune-preview-body')!.hidden).toBe(true);

  root().querySelector('section')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
  expect(document.querySelector('[data-attune-preview]')).toBeNull();
  expect(document.activeElement).toBe(before);
  overlay = undefined;
  // Closed for good: the client's changes no longer reach it.
  client.track('product_viewed');
  await redrawn();
});

it('reads ?attune_debug=1 and builds links that carry the overrides', () => {
  expect(previewRequested('?attune_debug=1')).toBe(true);
  expect(previewRequested('?a=b&attune_debug=true')).toBe(true);
  expect(previewRequested('?attune_debug=0')).toBe(false);
  expect(previewRequested('')).toBe(false);
  expect(previewLink('https://shop.example/p?x=1&attune_force=old:v', { 'cta-test': 'urgency', mv: 'a=b|c=d' })).toBe(
    'https://shop.example/p?x=1&attune_force=cta-test%3Aurgency%2Cmv%3Aa%3Db%7Cc%3Dd&attune_debug=1',
  );
  expect(previewLink('https://shop.example/p?attune_force=old:v', {})).toBe('https://shop.example/p?attune_debug=1');
});
