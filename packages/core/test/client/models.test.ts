import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createAttune } from '../../src/client/client.js';
import { logisticModel } from '../models/small-models.js';
import { freshIndexedDB, memoryStorage } from '../support.js';

beforeEach(() => freshIndexedDB());

/** An offer for visitors whose buy propensity (logisticModel: product views in 7 days, vip segment) is at least 0.5. */
const bundle = (models: unknown[] = [logisticModel()]) => ({
  schema: 'attune.bundle/1',
  id: 'models',
  version: 1,
  segments: [{ id: 'vip', when: { '==': [{ var: 'profile.traits.tier' }, 'gold'] } }],
  models,
  experiences: [
    {
      id: 'offer',
      slot: 'hero',
      audience: { rule: { '>=': [{ score: 'buy-propensity' }, 0.5] } },
      variants: [
        { id: 'default', content: 'plain' },
        { id: 'offer', content: 'offer' },
      ],
      default: 'default',
    },
  ],
  content: { plain: { type: 'text', value: 'Welcome' }, offer: { type: 'text', value: '10% off today' } },
});

describe('models in the client', () => {
  it('loads the model code for a bundle with models and decides on the live score as events arrive', async () => {
    const client = createAttune({ bundle: bundle(), environment: { storage: memoryStorage() } });
    await client.consent.grant(['personalization']);
    await client.ready;
    // sigmoid(-1 + 0.5 * (views - 2) / 4): 0.5 needs views >= 10 (no vip)
    for (let i = 0; i < 9; i++) client.track('product_view');
    expect(client.decide('hero')).toMatchObject({ reason: 'not-in-audience', content: { value: 'Welcome' } });
    client.track('product_view');
    expect(client.decide('hero')).toMatchObject({ reason: 'matched', content: { value: '10% off today' } });
  });

  it('serves the default with a reason, and reports model-invalid, when a model cannot score; the page goes on', async () => {
    const onError = vi.fn();
    const client = createAttune({ bundle: bundle([logisticModel({ weights: [1] })]), onError, environment: { storage: memoryStorage() } });
    await client.consent.grant(['personalization']);
    await client.ready;
    const decision = client.decide('hero');
    expect(decision).toMatchObject({ reason: 'error', content: { value: 'Welcome' } });
    expect(decision.message).toMatch(/model "buy-propensity" cannot score/);
    expect(client.getSnapshot().bundle.status).toBe('ready');
  });
});
