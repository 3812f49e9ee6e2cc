import 'fake-indexeddb/auto';
import { beforeEach, expect, it, vi } from 'vitest';
import { createAttune } from '../../src/client/client.js';
import * as parts from '../../src/client/load-parts.js';
import type { AttuneError } from '../../src/errors.js';
import { freshIndexedDB, memoryStorage } from '../support.js';

/*
 * The rule operators off the critical path (rules/extra-operators.ts) are a part the client loads
 * only for a bundle whose rules use one, before it compiles.
 */
vi.mock('../../src/client/load-parts.js', async (original) => {
  const real = await original<typeof import('../../src/client/load-parts.js')>();
  return { ...real, loadOperators: vi.fn(real.loadOperators) };
});
const loadOperators = vi.mocked(parts.loadOperators);

beforeEach(async () => {
  freshIndexedDB();
  loadOperators.mockClear();
  loadOperators.mockImplementation(async () => (await vi.importActual<typeof import('../../src/rules/extra-operators.js')>('../../src/rules/extra-operators.js')).extraOperators);
});

/** A bundle whose hero experience shows for `rule`. */
const bundleWith = (rule: unknown) => ({
  schema: 'attune.bundle/1',
  id: 'ops',
  version: 1,
  experiences: [
    { id: 'hero-offer', slot: 'hero', audience: { rule }, variants: [{ id: 'default', content: 'plain' }, { id: 'offer', content: 'offer' }], default: 'default' },
    { id: 'note', slot: 'note', variants: [{ id: 'note', content: 'plain' }] },
  ],
  content: { plain: { type: 'text', value: 'Welcome' }, offer: { type: 'text', value: 'Hello, English reader' } },
});

const english = { '==': [{ substr: [{ var: 'context.locale' }, 0, 2] }, 'en'] };

it('is not loaded for a bundle whose rules use only the operators on the critical path', async () => {
  const client = createAttune({ bundle: bundleWith({ '==': [{ var: 'context.locale' }, 'en-US'] }), environment: { storage: memoryStorage() } });
  await client.consent.grant();
  await client.ready;
  expect(client.decide('hero').reason).toMatch(/^(matched|not-in-audience)$/);
  expect(loadOperators).not.toHaveBeenCalled();
  client.destroy();
});

it('is loaded, once, before a bundle using one compiles: the first decision already uses it', async () => {
  vi.stubGlobal('navigator', { ...globalThis.navigator, language: 'en-GB', languages: ['en-GB'] });
  const client = createAttune({ bundle: bundleWith(english), environment: { storage: memoryStorage() } });
  await client.consent.grant();
  await client.ready;
  expect(loadOperators).toHaveBeenCalledTimes(1);
  const hero = client.decide('hero');
  expect(hero).toMatchObject({ reason: 'matched', variant: 'offer' });
  client.destroy();
  vi.unstubAllGlobals();
});

it('when it cannot load: one typed warning, the rule using it serves its default (reason error), the rest decides', async () => {
  loadOperators.mockRejectedValue(new Error('blocked'));
  const errors: AttuneError[] = [];
  const client = createAttune({ bundle: bundleWith(english), onError: (error) => errors.push(error), environment: { storage: memoryStorage() } });
  await client.consent.grant();
  await client.ready;
  expect(client.decide('hero')).toMatchObject({ reason: 'error', variant: 'default' });
  expect(client.decide('note')).toMatchObject({ reason: 'matched', variant: 'note' });
  expect(errors.map((error) => error.code)).toContain('bundle-rule-invalid');
  expect(errors.find((error) => error.code === 'bundle-rule-invalid')?.message).toContain('blocked');
  client.destroy();
});
