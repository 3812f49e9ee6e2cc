import 'fake-indexeddb/auto';
import { beforeEach, expect, it, vi } from 'vitest';
import { createAttune } from '../../src/client/client.js';
import * as parts from '../../src/client/load-parts.js';
import type { AttuneError } from '../../src/errors.js';
import { freshIndexedDB, memoryStorage } from '../support.js';

/*
 * Experiments (decide/experiment-outcome.ts: assignment by hash, sticky assignments, holdouts,
 * multivariate) are a part the client loads only for a bundle with an experiment, before it compiles.
 */
vi.mock('../../src/client/load-parts.js', async (original) => {
  const real = await original<typeof import('../../src/client/load-parts.js')>();
  return { ...real, loadExperiments: vi.fn(real.loadExperiments) };
});
const loadExperiments = vi.mocked(parts.loadExperiments);

beforeEach(async () => {
  freshIndexedDB();
  loadExperiments.mockClear();
  loadExperiments.mockImplementation(async () => (await vi.importActual<typeof import('../../src/decide/experiment-outcome.js')>('../../src/decide/experiment-outcome.js')).experimentOutcome);
});

/** A bundle with a note slot and, when `experiment`, an A/B test of the call to action (everyone in it). */
const bundleWith = (experiment: boolean) => ({
  schema: 'attune.bundle/1',
  id: 'exp',
  version: 1,
  experiences: [
    {
      id: 'cta-test',
      slot: 'cta',
      variants: [
        { id: 'control', content: 'buy' },
        { id: 'green', content: 'buy-now' },
      ],
      default: 'control',
      ...(experiment ? { experiment: { id: 'cta-exp' } } : {}),
    },
    { id: 'note', slot: 'note', variants: [{ id: 'note', content: 'buy' }] },
  ],
  content: { buy: { type: 'text', value: 'Buy' }, 'buy-now': { type: 'text', value: 'Buy now' } },
});

it('is not loaded for a bundle without an experiment', async () => {
  const client = createAttune({ bundle: bundleWith(false), environment: { storage: memoryStorage() } });
  await client.consent.grant();
  await client.ready;
  expect(client.decide('cta')).toMatchObject({ reason: 'matched', variant: 'green' });
  expect(loadExperiments).not.toHaveBeenCalled();
  client.destroy();
});

it('is loaded, once, before a bundle with an experiment compiles: the first decision is already an assignment, and it sticks', async () => {
  const storage = memoryStorage();
  const client = createAttune({ bundle: bundleWith(true), environment: { storage } });
  await client.consent.grant();
  await client.ready;
  expect(loadExperiments).toHaveBeenCalledTimes(1);
  const first = client.decide('cta');
  expect(first).toMatchObject({ reason: 'matched', experience: 'cta-test' });
  expect(['control', 'green']).toContain(first.variant);
  expect(client.inspect().assignments).toEqual({ 'cta-exp': first.variant });
  await client.flush();
  client.destroy();

  // The next page (same visitor) gets the same variant.
  const next = createAttune({ bundle: bundleWith(true), environment: { storage } });
  await next.ready;
  expect(next.decide('cta').variant).toBe(first.variant);
  next.destroy();
});

it('when it cannot load: said once why, the experiment serves its default (reason error), the rest decides, a forced variant still shows', async () => {
  loadExperiments.mockRejectedValue(new Error('blocked'));
  const errors: AttuneError[] = [];
  const client = createAttune({ bundle: bundleWith(true), onError: (error) => errors.push(error), environment: { storage: memoryStorage() } });
  await client.consent.grant();
  await client.ready;
  expect(client.decide('cta')).toMatchObject({ reason: 'error', variant: 'control' });
  expect(client.decide('note')).toMatchObject({ reason: 'matched', variant: 'note' });
  client.track('page_view');
  await client.flush();
  expect(client.decide('cta')).toMatchObject({ reason: 'error', variant: 'control' });
  // Why (the load failed, with its cause), then which experience could not be decided: each once.
  const partErrors = errors.filter((error) => error.message.includes('experiments code could not be loaded'));
  expect(partErrors.map((error) => error.code)).toEqual(['bundle-invalid', 'rule-invalid']);
  expect(partErrors[0]!.message).toContain('blocked');
  expect(partErrors[1]!.message).toContain('cta-test');
  // QA forcing does not need the part.
  client.force('cta-exp', 'green');
  expect(client.decide('cta')).toMatchObject({ reason: 'forced', variant: 'green' });
  client.destroy();
});
