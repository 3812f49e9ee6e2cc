import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createAttune } from '../../src/client/client.js';
import type { AttuneOptions } from '../../src/client/types.js';
import { fakeCollector, freshIndexedDB, memoryStorage } from '../support.js';

beforeEach(() => freshIndexedDB());

/** A bundle with an A/B test on the hero, a capped banner and two experiences sharing a group. */
function experimentBundle(weights: [number, number] = [50, 50], extra: Record<string, unknown> = {}) {
  return {
    schema: 'attune.bundle/1',
    id: 'shop',
    version: 1,
    segments: [{ id: 'browser', when: { '>=': [{ count: ['product_viewed'] }, 2] } }],
    stages: [
      { id: 'visitor', when: true },
      { id: 'browser', when: { segment: 'browser' } },
    ],
    experiences: [
      {
        id: 'hero-test',
        slot: 'home.hero',
        experiment: { id: 'hero-exp' },
        variants: [
          { id: 'control', weight: weights[0], content: 'hero-a' },
          { id: 'reminder', weight: weights[1], content: 'hero-b' },
        ],
        default: 'control',
      },
      {
        id: 'banner',
        slot: 'home.banner',
        cap: { count: 2, per: 'lifetime' },
        variants: [{ id: 'on', content: 'banner' }],
      },
      { id: 'promo-a', slot: 'home.promo', priority: 2, group: 'promos', variants: [{ id: 'a', content: 'banner' }] },
      { id: 'promo-b', slot: 'home.side', priority: 1, group: 'promos', variants: [{ id: 'b', content: 'banner' }] },
    ],
    content: {
      'hero-a': { type: 'text', value: 'Hello' },
      'hero-b': { type: 'text', value: 'Still thinking it over?' },
      banner: { type: 'text', value: 'Free shipping' },
    },
    ...extra,
  };
}

function client(options: AttuneOptions = {}) {
  return createAttune({ bundle: experimentBundle(), environment: { storage: memoryStorage() }, ...options });
}

async function granted(options: AttuneOptions = {}) {
  const attune = client(options);
  await attune.consent.grant();
  await attune.ready;
  return attune;
}

describe('client decisions: experiments, caps, groups, exposures', () => {
  it('assigns a variant and keeps it on the next visit even after the weights change', async () => {
    const storage = memoryStorage();
    const first = await granted({ environment: { storage } });
    const decision = first.decide('home.hero');
    expect(decision.reason).toBe('matched');
    expect(decision.experiment?.id).toBe('hero-exp');
    first.destroy();
    await new Promise((resolve) => setTimeout(resolve, 20)); // let the batched write land

    // Weights now send everyone to the other arm: the stored assignment still wins.
    const other = decision.variant === 'control' ? [0, 100] : [100, 0];
    const second = createAttune({ bundle: experimentBundle(other as [number, number]), environment: { storage } });
    await second.ready;
    expect(second.decide('home.hero').variant).toBe(decision.variant);
  });

  it('reports an exposure once per experiment per page view, and stamps assignments on every event', async () => {
    const collector = fakeCollector();
    const attune = await granted({ collectorUrl: 'https://collect.test/e', flushIntervalMs: 5, environment: { storage: memoryStorage(), fetch: collector.fetch } });
    const decision = attune.decide('home.hero');
    attune.shown(decision);
    attune.shown(decision);
    attune.track('clicked');
    attune.page();
    attune.shown(attune.decide('home.hero'));
    await attune.flush();

    const exposures = collector.events.filter((event) => event.name === 'experiment_exposure');
    expect(exposures).toHaveLength(2);
    expect(exposures[0]).toMatchObject({ properties: { experiment: 'hero-exp', variant: decision.variant, experience: 'hero-test', slot: 'home.hero' } });
    const clicked = collector.events.find((event) => event.name === 'clicked');
    expect(clicked?.experiments).toEqual({ 'hero-exp': decision.variant });
  });

  it('stops serving a capped experience once it was shown as often as its cap allows, across page views', async () => {
    const attune = await granted();
    for (let view = 0; view < 2; view++) {
      const decision = attune.decide('home.banner');
      expect(decision.reason).toBe('matched');
      attune.shown(decision);
      attune.page();
    }
    expect(attune.decide('home.banner').reason).toBe('capped');
  });

  it('serves one experience per exclusion group per page view', async () => {
    const attune = await granted();
    expect(attune.decide('home.side').reason).toBe('capped');
    expect(attune.decide('home.promo').experience).toBe('promo-a');
    expect(attune.decideAll().map((decision) => [decision.slot, decision.reason])).toEqual([
      ['home.hero', 'matched'],
      ['home.banner', 'matched'],
      ['home.promo', 'matched'],
      ['home.side', 'capped'],
    ]);
  });

  it('forces a variant for QA without counting an exposure', async () => {
    const collector = fakeCollector();
    const attune = await granted({ collectorUrl: 'https://collect.test/e', environment: { storage: memoryStorage(), fetch: collector.fetch } });
    attune.force('hero-exp', 'reminder');
    const forced = attune.decide('home.hero');
    expect(forced).toMatchObject({ reason: 'forced', forced: true, variant: 'reminder', content: { value: 'Still thinking it over?' } });
    attune.shown(forced);
    attune.track('clicked');
    await attune.flush();
    expect(collector.events.map((event) => event.name)).toEqual(['clicked']);

    attune.force('hero-exp', null);
    expect(attune.decide('home.hero').reason).toBe('matched');
  });

  it('reports an override naming an unknown variant once, and ignores it', async () => {
    const onError = vi.fn();
    const attune = await granted({ onError });
    attune.force('hero-exp', 'nope');
    expect(attune.decide('home.hero').reason).toBe('matched');
    attune.decide('home.hero');
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError.mock.calls[0]![0].message).toContain('has no variant "nope"');
  });

  it('reports an override naming an experiment called "__proto__" like any unknown experiment', async () => {
    const onError = vi.fn();
    const attune = await granted({ onError });
    attune.force('__proto__', 'a');
    expect(attune.decide('home.hero').reason).toBe('matched');
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError.mock.calls[0]![0].message).toContain('"__proto__"');
  });

  it('clears an override given an empty variant, as with null', async () => {
    const attune = await granted();
    attune.force('hero-exp', 'reminder');
    expect(attune.decide('home.hero').reason).toBe('forced');
    attune.force('hero-exp', '');
    expect(attune.decide('home.hero').reason).toBe('matched');
  });

  it('serves defaults without personalization consent and assigns nothing', async () => {
    const attune = client();
    await attune.consent.grant(['analytics']);
    await attune.ready;
    expect(attune.decide('home.hero')).toMatchObject({ reason: 'default-no-consent', variant: 'control' });
  });

  it('emits segment_entered when the profile enters a bundle segment, and segment_exited on leaving', async () => {
    const collector = fakeCollector();
    const attune = await granted({
      collectorUrl: 'https://collect.test/e',
      environment: { storage: memoryStorage(), fetch: collector.fetch },
      bundle: experimentBundle([50, 50], { segments: [{ id: 'browser', when: { '==': [{ count: ['product_viewed'] }, 2] } }] }),
    });
    attune.track('product_viewed');
    attune.track('product_viewed');
    await Promise.resolve();
    await Promise.resolve();
    attune.track('product_viewed');
    await new Promise((resolve) => setTimeout(resolve, 0));
    await attune.flush();
    const names = collector.events.map((event) => [event.name, event.properties]);
    expect(names).toContainEqual(['segment_entered', { segment: 'browser' }]);
    expect(names).toContainEqual(['segment_exited', { segment: 'browser' }]);
    expect(names.filter(([name]) => name === 'segment_entered')).toHaveLength(1);
  });

  it('reports segment entries afresh after personalization is denied and granted again on the same page', async () => {
    const collector = fakeCollector();
    const attune = await granted({ collectorUrl: 'https://collect.test/e', environment: { storage: memoryStorage(), fetch: collector.fetch } });
    const viewTwice = async () => {
      attune.track('product_viewed');
      attune.track('product_viewed');
      await new Promise((resolve) => setTimeout(resolve, 0));
    };
    await viewTwice();
    await attune.consent.deny(['personalization']);
    await attune.consent.grant(['personalization']);
    await viewTwice();
    await attune.flush();
    expect(collector.events.filter((event) => event.name === 'segment_entered')).toHaveLength(2);
  });

  it('shows the journey stage in the snapshot profile', async () => {
    const attune = await granted();
    expect(attune.getSnapshot().profile.stage).toBe('visitor');
    attune.track('product_viewed');
    attune.track('product_viewed');
    await Promise.resolve();
    expect(attune.getSnapshot().profile.stage).toBe('browser');
  });

  it('forgets assignments and caps when personalization is denied', async () => {
    const attune = await granted();
    const decision = attune.decide('home.banner');
    attune.shown(decision);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await attune.consent.deny(['personalization']);
    const db = await openDB('attune');
    expect(await db.getAll('decisions')).toEqual([]);
    db.close();
  });
});
