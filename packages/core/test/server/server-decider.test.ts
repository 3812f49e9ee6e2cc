import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assignVariant } from '../../src/decide/assign-variant.js';
import { createServerDecider } from '../../src/server/server-decider.js';
import type { ServerDecisions } from '../../src/server/server-decisions.js';
import { experience, NOW, rawBundle } from '../decide/decide-support.js';
import { thrownAttuneError } from '../support.js';

const shop = JSON.parse(readFileSync(new URL('../../../../examples/bundles/shop.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const page = 'https://shop.example/shop/';
const consented = (id = 'visitor-1') => `theme=dark; attune_id=${id}; other=1`;

const slot = (decisions: ServerDecisions, name: string) => decisions.slots.find((s) => s.slot === name)!;

describe('a request without the id cookie', () => {
  it('gets every slot of the bundle with its default, final: rendered as a visitor who has not consented', () => {
    const decisions = createServerDecider(shop).decide({ url: page + '?utm_source=newsletter', cookie: 'theme=dark', nowMs: NOW });
    expect(decisions.consented).toBe(false);
    expect(decisions.slots.map((s) => [s.slot, s.pending, s.decision?.reason])).toEqual([
      ['home.hero', false, 'default-no-consent'],
      ['home.promo', false, 'default-no-consent'],
      ['home.picks', false, 'default-no-consent'],
      ['home.cta', false, 'default-no-consent'],
      ['home.banner', false, 'default-no-consent'],
      ['home.offer', false, 'default-no-consent'],
      ['home.reminder', false, 'default-no-consent'],
    ]);
    expect(slot(decisions, 'home.hero').decision?.content).toEqual({ type: 'text', value: 'Welcome to Attune Outfitters' });
  });

  it('ignores a cookie value no client writes, as if there were none', () => {
    const decisions = createServerDecider(shop).decide({ url: page, cookie: 'attune_id=<script>', nowMs: NOW });
    expect(decisions.consented).toBe(false);
  });

  it('still applies a QA override from the URL, as the browser does without consent', () => {
    const decisions = createServerDecider(shop).decide({ url: page + '?attune_force=cta-test:urgency', nowMs: NOW });
    expect(slot(decisions, 'home.cta')).toMatchObject({ pending: false, decision: { reason: 'forced', variant: 'urgency', forced: true } });
  });
});

describe('a request with the id cookie', () => {
  it('decides a context rule from the URL: final content', () => {
    const decider = createServerDecider(shop);
    const newsletter = decider.decide({ url: page + '?utm_source=newsletter&utm_medium=email', cookie: consented(), nowMs: NOW });
    expect(newsletter.consented).toBe(true);
    expect(slot(newsletter, 'home.promo')).toMatchObject({ pending: false, decision: { reason: 'matched', content: { value: 'Newsletter readers: 10% off today with code NEWS10' } } });
    const direct = decider.decide({ url: page, cookie: consented(), nowMs: NOW });
    expect(slot(direct, 'home.promo')).toMatchObject({ pending: false, decision: { reason: 'not-in-audience' } });
  });

  it('assigns the experiment by the documented formula on the cookie id: the variant the browser computes', () => {
    const decider = createServerDecider(shop);
    const experiment = { id: 'cta-test', holdout: 0.1, variants: [{ id: 'control', weight: 50 }, { id: 'urgency', weight: 50 }] };
    const seen = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const id = `0193b2c4-visitor-${i}`;
      const expected = assignVariant(experiment, id);
      const cta = slot(decider.decide({ url: page, cookie: consented(id), nowMs: NOW }), 'home.cta');
      expect(cta.pending).toBe(false);
      const variant = expected.status === 'assigned' ? expected.variant : 'holdout';
      expect(cta.decision?.experiment?.variant).toBe(variant);
      seen.add(variant);
    }
    expect([...seen].sort()).toEqual(['control', 'holdout', 'urgency']);
  });

  it('leaves a slot whose audience reads the profile pending, and says what it needs', () => {
    const decisions = createServerDecider(shop).decide({ url: page, cookie: consented(), nowMs: NOW });
    expect(slot(decisions, 'home.hero')).toEqual({
      slot: 'home.hero',
      pending: true,
      decision: null,
      needs: 'experience "hero-engaged" segment "engaged-browser" reads profile.counters.product_viewed',
    });
    expect(slot(decisions, 'home.picks').pending).toBe(true);
  });

  it('decides a slot when a server-known experience wins before any that needs the device', () => {
    const bundle = rawBundle([
      experience('sale', 'hero', { priority: 2, audience: { rule: { '==': [{ var: 'context.page.path' }, '/sale'] } } }),
      experience('loyal', 'hero', { priority: 1, audience: { rule: { '>': [{ count: ['purchase'] }, 2] } } }),
    ]);
    const decider = createServerDecider(bundle);
    expect(slot(decider.decide({ url: 'https://x.example/sale', cookie: consented(), nowMs: NOW }), 'hero')).toMatchObject({ pending: false, decision: { experience: 'sale' } });
    expect(slot(decider.decide({ url: 'https://x.example/', cookie: consented(), nowMs: NOW }), 'hero')).toMatchObject({ pending: true, needs: 'experience "loyal" uses count' });
  });

  it('ignores an experience that needs the device while it is not scheduled', () => {
    const bundle = rawBundle([experience('later', 'hero', { schedule: { start: '2030-01-01T00:00:00Z' }, audience: { rule: { var: 'profile.traits.vip' } } })]);
    expect(slot(createServerDecider(bundle).decide({ url: page, cookie: consented(), nowMs: NOW }), 'hero')).toMatchObject({ pending: false, decision: { reason: 'not-in-audience' } });
  });

  it('leaves a capped experience pending once it is in its audience (impressions are counted on the device), and decides it when it is not', () => {
    const bundle = rawBundle([experience('banner', 'top', { cap: { count: 1, per: 'day' }, audience: { rule: { starts_with: [{ var: 'context.locale' }, 'fr'] } } })]);
    const decider = createServerDecider(bundle);
    expect(slot(decider.decide({ url: page, acceptLanguage: 'fr-FR,fr;q=0.9,en;q=0.5', cookie: consented(), nowMs: NOW }), 'top')).toMatchObject({ pending: true, needs: 'experience "banner" has a frequency cap (impressions are counted on the device)' });
    expect(slot(decider.decide({ url: page, acceptLanguage: 'en-GB', cookie: consented(), nowMs: NOW }), 'top')).toMatchObject({ pending: false, decision: { reason: 'not-in-audience' } });
  });

  it('leaves an experiment by user id pending: the server does not know the user', () => {
    const bundle = rawBundle([experience('members', 'hero', { experiment: { id: 'members', unit: 'userId' } })]);
    expect(slot(createServerDecider(bundle).decide({ url: page, cookie: consented(), nowMs: NOW }), 'hero')).toMatchObject({ pending: true, needs: 'experience "members" assigns by user id' });
  });

  it('leaves an experience pending when an exclusion-group rival decided before it needs the device', () => {
    const bundle = rawBundle([
      experience('vip', 'top', { priority: 2, group: 'g', audience: { rule: { var: 'profile.traits.vip' } } }),
      experience('promo', 'side', { priority: 1, group: 'g' }),
      experience('locale', 'footer', { priority: 2, group: 'h', audience: { rule: { '==': [{ var: 'context.locale' }, 'de'] } } }),
      experience('other', 'aside', { priority: 1, group: 'h' }),
    ]);
    const decisions = createServerDecider(bundle).decide({ url: page, acceptLanguage: 'de', cookie: consented(), nowMs: NOW });
    expect(slot(decisions, 'side')).toMatchObject({ pending: true, needs: 'experience "promo" experience "vip" reads profile.traits.vip' });
    expect(slot(decisions, 'footer')).toMatchObject({ pending: false, decision: { experience: 'locale' } });
    expect(slot(decisions, 'aside')).toMatchObject({ pending: false, decision: { reason: 'capped' } });
  });

  it("decides hour and weekday in a named time zone at the request's time, and leaves the device's time zone pending", () => {
    const bundle = rawBundle([
      experience('utc-noon', 'a', { audience: { rule: { '==': [{ hour: ['UTC'] }, 12] } } }),
      experience('local-noon', 'b', { audience: { rule: { '==': [{ hour: [] }, 12] } } }),
    ]);
    const decisions = createServerDecider(bundle).decide({ url: page, cookie: consented(), nowMs: NOW });
    expect(slot(decisions, 'a')).toMatchObject({ pending: false, decision: { reason: 'matched' } });
    expect(slot(decisions, 'b')).toMatchObject({ pending: true, needs: 'experience "local-noon" uses hour in the device\'s time zone' });
  });

  it('leaves a segment the bundle does not define pending: it comes from the hydrated profile', () => {
    const bundle = rawBundle([experience('cdp', 'hero', { audience: { rule: { segment: 'crm-vip' } } })]);
    expect(slot(createServerDecider(bundle).decide({ url: page, cookie: consented(), nowMs: NOW }), 'hero').needs).toBe('experience "cdp" reads the profile\'s segments ("crm-vip" is not a bundle segment)');
  });

  it('gives decisions that survive JSON unchanged: they are passed to the browser as they are', () => {
    const decisions = createServerDecider(shop).decide({ url: page + '?utm_source=newsletter', cookie: consented(), nowMs: NOW });
    expect(JSON.parse(JSON.stringify(decisions))).toEqual(decisions);
    for (const s of decisions.slots) if (s.decision) expect(Object.getPrototypeOf(s.decision)).toBe(Object.prototype);
  });

  it('gives every slot its default, final, once the bundle has expired', () => {
    const decisions = createServerDecider(shop).decide({ url: page, cookie: consented(), nowMs: Date.parse('2030-06-01T00:00:00Z') });
    expect(decisions.slots.every((s) => !s.pending && s.decision?.reason === 'default-expired')).toBe(true);
  });
});

describe('the decider', () => {
  it('says which experiences the device alone can decide, and why', () => {
    const decider = createServerDecider(shop);
    expect(decider.experiences).toEqual([
      { id: 'hero-engaged', slot: 'home.hero', needs: 'segment "engaged-browser" reads profile.counters.product_viewed' },
      { id: 'promo-newsletter', slot: 'home.promo', needs: null },
      { id: 'picks-outerwear', slot: 'home.picks', needs: 'segment "outerwear-fan" reads profile.top.category.0' },
      { id: 'cta-test', slot: 'home.cta', needs: null },
      { id: 'shipping-banner', slot: 'home.banner', needs: 'is a bandit (it draws an arm per session, on the device)' },
      { id: 'likely-buyer-offer', slot: 'home.offer', needs: 'uses score' },
      { id: 'cart-reminder', slot: 'home.reminder', needs: 'is made eligible by a trigger (on the device)' },
    ]);
  });

  it('refuses a bundle the browser would refuse, with the same error', () => {
    expect(thrownAttuneError(() => createServerDecider({ ...shop, experiences: 'none' })).code).toBe('bundle-invalid');
    expect(thrownAttuneError(() => createServerDecider(rawBundle([experience('x', 'hero', { audience: { rule: { nope: [] } } })]))).code).toBe('bundle-rule-invalid');
  });

  it('takes the bundle as JSON text too', () => {
    expect(createServerDecider(JSON.stringify(shop)).decide({ url: page, nowMs: NOW }).slots).toHaveLength(7);
  });
});
