// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAttune } from '../../src/client/client.js';
import { locationFromPage, locationOf } from '../../src/context/location.js';
import { createServerDecider } from '../../src/server/server-decider.js';
import { freshIndexedDB, memoryStorage } from '../support.js';

afterEach(() => {
  document.head.innerHTML = '';
  freshIndexedDB();
});

const frenchOffer = {
  schema: 'attune.bundle/1',
  id: 'location',
  version: 1,
  experiences: [
    {
      id: 'fr-delivery',
      slot: 'banner',
      audience: { rule: { and: [{ '==': [{ var: 'context.location.country' }, 'FR'] }, { '==': [{ var: 'context.location.region' }, 'FR-IDF'] }] } },
      variants: [
        { id: 'default', content: 'plain' },
        { id: 'fr', content: 'fr' },
      ],
      default: 'default',
    },
  ],
  content: { plain: { type: 'text', value: 'Free delivery' }, fr: { type: 'text', value: 'Livraison en 2 h à Paris' } },
};

describe('the location hint', () => {
  it('keeps a two-letter country in upper case and a region as given, trimmed', () => {
    const warn = vi.fn();
    expect(locationOf({ country: ' fr ', region: ' FR-IDF ' }, warn)).toEqual({ country: 'FR', region: 'FR-IDF' });
    expect(locationOf({}, warn)).toEqual({});
    expect(warn).not.toHaveBeenCalled();
  });

  it('leaves out, with a warning each, a country that is not an ISO code and a region that is not a short text', () => {
    const warn = vi.fn();
    expect(locationOf({ country: 'France', region: 'x'.repeat(65) }, warn)).toEqual({});
    expect(locationOf({ country: 33, region: ['IDF'] }, warn)).toEqual({});
    expect(warn).toHaveBeenCalledTimes(4);
    expect(warn.mock.calls[0]![0]).toMatch(/two-letter ISO 3166-1 code such as "FR", not "France"/);
  });

  it('reads the page meta tags attune-country and attune-region', () => {
    document.head.innerHTML = '<meta name="attune-country" content="de"><meta name="attune-region" content="DE-BY">';
    expect(locationFromPage(() => {})).toEqual({ country: 'DE', region: 'DE-BY' });
  });

  it('is context.location for rules in the client: from the option, else from the meta tags', async () => {
    const given = createAttune({ bundle: frenchOffer, location: { country: 'FR', region: 'FR-IDF' }, environment: { storage: memoryStorage() } });
    await given.consent.grant(['personalization']);
    await given.ready;
    expect(given.decide('banner')).toMatchObject({ reason: 'matched', content: { value: 'Livraison en 2 h à Paris' } });
    given.destroy();

    document.head.innerHTML = '<meta name="attune-country" content="FR"><meta name="attune-region" content="FR-IDF">';
    const fromPage = createAttune({ bundle: frenchOffer, environment: { storage: memoryStorage() } });
    await fromPage.consent.grant(['personalization']);
    await fromPage.ready;
    expect(fromPage.decide('banner').reason).toBe('matched');
    fromPage.destroy();
  });

  it('reports a bad hint once as argument-invalid and decides without it', async () => {
    const onError = vi.fn();
    document.head.innerHTML = '<meta name="attune-country" content="France">';
    const client = createAttune({ bundle: frenchOffer, onError, environment: { storage: memoryStorage() } });
    await client.consent.grant(['personalization']);
    await client.ready;
    client.page();
    expect(client.decide('banner').reason).toBe('not-in-audience');
    const told = onError.mock.calls.filter(([error]) => error.code === 'argument-invalid');
    expect(told).toHaveLength(1);
    expect(told[0]![0].message).toMatch(/country/);
    client.destroy();
  });

  it('is what the server decider sees for a request with a location, so server and browser agree', () => {
    const decider = createServerDecider(frenchOffer);
    const decide = (location?: { country?: string; region?: string }) => decider.decide({ url: 'https://shop.test/', cookie: 'attune_id=anon-1', location }).slots.find((slot) => slot.slot === 'banner')?.decision;
    expect(decide({ country: 'fr', region: 'FR-IDF' })).toMatchObject({ reason: 'matched' });
    expect(decide({ country: 'DE' })).toMatchObject({ reason: 'not-in-audience' });
    expect(decide()).toMatchObject({ reason: 'not-in-audience' });
  });
});
