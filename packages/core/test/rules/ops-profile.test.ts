import { describe, expect, it, vi } from 'vitest';
import { DAY, evaluate, compileWith, fakeHost, HOUR, MINUTE, NOW, profileHost, SECOND } from './rule-hosts.js';

describe('count', () => {
  it('counts the events of a name in a window', () => {
    const p = profileHost();
    p.track('add_to_cart', NOW - 2 * DAY);
    p.track('add_to_cart', NOW - 6 * DAY);
    p.track('add_to_cart', NOW - 9 * DAY);
    expect(evaluate({ count: ['add_to_cart', '7d'] }, p.data(), p.host)).toBe(2);
  });

  it('counts the lifetime events of a name without a window', () => {
    const p = profileHost();
    p.track('purchase', NOW - 400 * DAY);
    p.track('purchase', NOW - HOUR);
    expect(evaluate({ count: 'purchase' }, p.data(), p.host)).toBe(2);
  });

  it('reads a null window as no window', () => {
    const p = profileHost();
    p.track('purchase', NOW - 40 * DAY);
    expect(evaluate({ count: ['purchase', null] }, p.data(), p.host)).toBe(1);
  });

  it('counts an event exactly one window old, as the profile does', () => {
    const p = profileHost();
    p.track('add_to_cart', NOW - 7 * DAY);
    p.track('add_to_cart', NOW - 7 * DAY - 1);
    expect(evaluate({ count: ['add_to_cart', '7d'] }, p.data(), p.host)).toBe(1);
  });

  it('is 0 for an event never seen', () => {
    expect(evaluate({ count: ['purchase', '30d'] }, {}, profileHost().host)).toBe(0);
  });

  it('passes the window to the host in milliseconds', () => {
    const host = fakeHost();
    const count = vi.spyOn(host, 'count');
    compileWith({ count: ['page_view', '2w'] }, host)({});
    expect(count).toHaveBeenCalledWith('page_view', 14 * DAY);
  });

  it('reads the host at each evaluation, not once at compile time', () => {
    const p = profileHost();
    const rule = compileWith({ '>=': [{ count: ['page_view', '30m'] }, 2] }, p.host);
    p.track('page_view', NOW - MINUTE);
    expect(rule(p.data())).toBe(false);
    p.track('page_view', NOW - SECOND);
    expect(rule(p.data())).toBe(true);
  });

  it('follows the clock: events leave the window as time passes', () => {
    const p = profileHost();
    p.track('add_to_cart', NOW - 29 * MINUTE);
    const rule = compileWith({ count: ['add_to_cart', '30m'] }, p.host);
    expect(rule(p.data())).toBe(1);
    p.clock.now = NOW + 2 * MINUTE;
    expect(rule(p.data())).toBe(0);
  });

  it('takes the event name from the data', () => {
    const p = profileHost();
    p.track('signup', NOW - HOUR);
    expect(evaluate({ count: [{ var: 'context.goal' }, '1d'] }, { context: { goal: 'signup' } }, p.host)).toBe(1);
  });

  it('counts 0 when the name from the data is not a string', () => {
    expect(evaluate({ count: [{ var: 'missing' }, '1d'] }, {}, fakeHost([{ name: 'undefined', t: NOW }]))).toBe(0);
  });

  it('takes the window from the data', () => {
    const host = fakeHost([{ name: 'view', t: NOW - 2 * HOUR }, { name: 'view', t: NOW - 2 * DAY }]);
    expect(evaluate({ count: ['view', { var: 'w' }] }, { w: '1d' }, host)).toBe(1);
  });

  it('is null when the window from the data is not a duration', () => {
    expect(evaluate({ count: ['view', { var: 'w' }] }, { w: '1 day' }, fakeHost([{ name: 'view', t: NOW }]))).toBeNull();
  });

  it('counts the lifetime when the window from the data is missing', () => {
    expect(evaluate({ count: ['view', { var: 'w' }] }, {}, fakeHost([{ name: 'view', t: NOW - 999 * DAY }]))).toBe(1);
  });
});

describe('count with a filter on each event', () => {
  const cheap = { '<': [{ var: 'event.properties.price' }, 50] };

  it('counts the recent events of a name that pass the filter', () => {
    const p = profileHost();
    p.track('product_view', NOW - DAY, { price: 30 });
    p.track('product_view', NOW - 2 * DAY, { price: 80 });
    p.track('product_view', NOW - 3 * DAY, { price: 49.99 });
    p.track('add_to_cart', NOW - DAY, { price: 10 });
    expect(evaluate({ count: ['product_view', '7d', cheap] }, p.data(), p.host)).toBe(2);
  });

  it('leaves out events older than the window', () => {
    const p = profileHost();
    p.track('product_view', NOW - 8 * DAY, { price: 30 });
    p.track('product_view', NOW - DAY, { price: 30 });
    expect(evaluate({ count: ['product_view', '7d', cheap] }, p.data(), p.host)).toBe(1);
  });

  it('counts an event exactly one window old and not one a millisecond older', () => {
    const host = fakeHost([
      { name: 'view', t: NOW - 7 * DAY, properties: { price: 1 } },
      { name: 'view', t: NOW - 7 * DAY - 1, properties: { price: 1 } },
    ]);
    expect(evaluate({ count: ['view', '7d', cheap] }, {}, host)).toBe(1);
  });

  it('counts every kept event of the name without a window', () => {
    const host = fakeHost([
      { name: 'view', t: NOW - 20 * DAY, properties: { price: 1 } },
      { name: 'view', t: NOW - DAY, properties: { price: 1 } },
    ]);
    expect(evaluate({ count: ['view', null, cheap] }, {}, host)).toBe(2);
  });

  it('lets the filter read the event name and timestamp', () => {
    const host = fakeHost([{ name: 'view', t: NOW - 5 * MINUTE }, { name: 'view', t: NOW - 50 * MINUTE }]);
    const rule = { count: ['view', '1d', { and: [{ '==': [{ var: 'event.name' }, 'view'] }, { '>=': [{ var: 'event.timestamp' }, NOW - 10 * MINUTE] }] }] };
    expect(evaluate(rule, {}, host)).toBe(1);
  });

  it('lets the filter compare the event with the data of the decision', () => {
    const host = fakeHost([
      { name: 'view', t: NOW - HOUR, properties: { category: 'shoes' } },
      { name: 'view', t: NOW - HOUR, properties: { category: 'bags' } },
    ]);
    const rule = { count: ['view', '1d', { '==': [{ var: 'event.properties.category' }, { var: 'context.page.category' }] }] };
    expect(evaluate(rule, { context: { page: { category: 'bags' } } }, host)).toBe(1);
  });

  it('lets the filter use the Attune operators', () => {
    const host = fakeHost([
      { name: 'view', t: NOW - HOUR, properties: { sku: 'SH-1' } },
      { name: 'view', t: NOW - HOUR, properties: { sku: 'BG-2' } },
    ]);
    expect(evaluate({ count: ['view', '1d', { starts_with: [{ var: 'event.properties.sku' }, 'SH-'] }] }, {}, host)).toBe(1);
  });

  it('only sees the events the profile keeps raw (the last 100 by default)', () => {
    const p = profileHost();
    for (let i = 0; i < 150; i++) p.track('view', NOW - 150 * SECOND + i * SECOND);
    const filtered = evaluate({ count: ['view', '1d', true] }, p.data(), p.host) as number;
    expect(evaluate({ count: ['view', '1d'] }, p.data(), p.host)).toBe(150);
    expect(filtered).toBeGreaterThanOrEqual(100);
    expect(filtered).toBeLessThan(150);
  });

  it('is null when the window from the data is not a duration', () => {
    expect(evaluate({ count: ['view', { var: 'w' }, true] }, { w: 7 }, fakeHost([{ name: 'view', t: NOW }]))).toBeNull();
  });
});

describe('since', () => {
  it('is the seconds since the last event of that name', () => {
    const p = profileHost();
    p.track('add_to_cart', NOW - HOUR);
    p.track('add_to_cart', NOW - 10 * MINUTE);
    expect(evaluate({ since: 'add_to_cart' }, p.data(), p.host)).toBe(600);
  });

  it('makes "added to cart in the last 30 minutes" false for a visitor who never did', () => {
    expect(evaluate({ '<': [{ since: 'add_to_cart' }, 1800] }, {}, profileHost().host)).toBe(false);
  });

  it('makes "not added to cart in the last day" true for a visitor who never did', () => {
    expect(evaluate({ '>': [{ since: 'add_to_cart' }, 86400] }, {}, profileHost().host)).toBe(true);
  });

  it('is Infinity for an event never seen', () => {
    expect(evaluate({ since: 'purchase' }, {}, fakeHost())).toBe(Infinity);
  });

  it('is 0 for an event stamped ahead of the clock', () => {
    expect(evaluate({ since: 'view' }, {}, fakeHost([{ name: 'view', t: NOW + 5 * MINUTE }]))).toBe(0);
  });

  it('is Infinity when the name from the data is not a string', () => {
    expect(evaluate({ since: { var: 'nope' } }, {}, fakeHost([{ name: 'view', t: NOW }]))).toBe(Infinity);
  });
});

describe('first_seen and last_seen', () => {
  it('first_seen is the time of the first event of that name', () => {
    const p = profileHost();
    p.track('visit', NOW - 3 * DAY);
    p.track('visit', NOW - DAY);
    expect(evaluate({ first_seen: 'visit' }, p.data(), p.host)).toBe(NOW - 3 * DAY);
  });

  it('last_seen is the time of the last event of that name', () => {
    const p = profileHost();
    p.track('visit', NOW - 3 * DAY);
    p.track('visit', NOW - DAY);
    expect(evaluate({ last_seen: 'visit' }, p.data(), p.host)).toBe(NOW - DAY);
  });

  it('first_seen is null for an event never seen', () => {
    expect(evaluate({ first_seen: 'visit' }, {}, fakeHost())).toBeNull();
  });

  it('last_seen is null for an event never seen', () => {
    expect(evaluate({ last_seen: 'visit' }, {}, fakeHost())).toBeNull();
  });

  it('last_seen is null when the name from the data is not a string', () => {
    expect(evaluate({ last_seen: { var: 'x' } }, { x: 3 }, fakeHost([{ name: '3', t: NOW }]))).toBeNull();
  });
});

describe('affinity', () => {
  function shopper() {
    const p = profileHost();
    p.track('product_view', NOW - DAY, { category: 'Shoes' });
    p.track('product_view', NOW - DAY, { category: 'Shoes' });
    p.track('product_view', NOW - DAY, { category: 'Bags' });
    p.track('add_to_cart', NOW - DAY, { category: 'Hats' });
    return p;
  }

  it('is the top value of a dimension', () => {
    const p = shopper();
    // Hats: one add-to-cart, 3 points; shoes: two views, 2 points.
    expect(evaluate({ affinity: ['category'] }, p.data(), p.host)).toBe('hats');
  });

  it('accepts the dimension without an array', () => {
    const p = shopper();
    expect(evaluate({ affinity: 'category' }, p.data(), p.host)).toBe('hats');
  });

  it('is the best-scored value when profile.top does not list the dimension', () => {
    const data = { profile: { top: {}, affinities: { category: { hats: 1, shoes: 3, bags: 2 } } } };
    expect(evaluate({ affinity: ['category'] }, data)).toBe('shoes');
  });

  it('is null for a dimension with no values', () => {
    const p = shopper();
    expect(evaluate({ affinity: ['brand'] }, p.data(), p.host)).toBeNull();
  });

  it('is the decayed score of a value', () => {
    const p = shopper();
    const expected = p.data().profile.affinities.category!.shoes!;
    expect(expected).toBeGreaterThan(1.9);
    expect(expected).toBeLessThan(2);
    expect(evaluate({ affinity: ['category', 'shoes'] }, p.data(), p.host)).toBe(expected);
  });

  it('matches the value as the profile stores it: trimmed and lower-cased', () => {
    const p = shopper();
    expect(evaluate({ affinity: ['category', ' Shoes '] }, p.data(), p.host)).toBe(p.data().profile.affinities.category!.shoes);
  });

  it('is 0 for a value with no score', () => {
    const p = shopper();
    expect(evaluate({ affinity: ['category', 'socks'] }, p.data(), p.host)).toBe(0);
  });

  it('is 0 for a value of a dimension with no scores', () => {
    expect(evaluate({ affinity: ['brand', 'acme'] }, { profile: {} })).toBe(0);
  });

  it('is the top n values, best first', () => {
    const p = shopper();
    expect(evaluate({ affinity: ['category', 2] }, p.data(), p.host)).toEqual(['hats', 'shoes']);
  });

  it('gives all values when there are fewer than n', () => {
    const p = shopper();
    expect(evaluate({ affinity: ['category', 10] }, p.data(), p.host)).toEqual(['hats', 'shoes', 'bags']);
  });

  it('gives more than the five values of the top list when asked', () => {
    const p = profileHost();
    'abcdefg'.split('').forEach((c, i) => {
      for (let k = 0; k <= i; k++) p.track('product_view', NOW - HOUR, { category: c });
    });
    expect(evaluate({ affinity: ['category', 7] }, p.data(), p.host)).toEqual(['g', 'f', 'e', 'd', 'c', 'b', 'a']);
  });

  it('is an empty list for a dimension with no values', () => {
    expect(evaluate({ affinity: ['brand', 3] }, shopper().data())).toEqual([]);
  });

  it('returns a list the rule can change without changing the profile', () => {
    const p = shopper();
    const top = evaluate({ affinity: ['category', 2] }, p.data(), p.host) as string[];
    top.pop();
    expect(p.data().profile.top.category).toEqual(['hats', 'shoes', 'bags']);
  });

  it('takes the value from the data', () => {
    const p = shopper();
    const data = { ...p.data(), context: { page: { category: 'Bags' } } };
    expect(evaluate({ '>': [{ affinity: ['category', { var: 'context.page.category' }] }, 0.5] }, data, p.host)).toBe(true);
  });

  it('is null when the value from the data is neither a string nor a count', () => {
    expect(evaluate({ affinity: ['category', { var: 'x' }] }, { ...shopper().data(), x: true })).toBeNull();
  });

  it('is null when the dimension from the data is not a string', () => {
    expect(evaluate({ affinity: [{ var: 'x' }] }, shopper().data())).toBeNull();
  });

  it('does not read inherited keys as dimensions or values', () => {
    const data = { profile: { top: {}, affinities: { category: {} } } };
    expect(evaluate({ affinity: ['constructor'] }, data)).toBeNull();
    expect(evaluate({ affinity: ['category', 'constructor'] }, data)).toBe(0);
  });
});
