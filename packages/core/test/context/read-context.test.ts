import { afterEach, describe, expect, it, vi } from 'vitest';
import { readContext } from '../../src/context/read-context.js';

afterEach(() => vi.unstubAllGlobals());

describe('page context', () => {
  it('reads UTM parameters and common ad click ids from the page URL', () => {
    vi.stubGlobal('location', new URL('https://shop.test/sale?utm_source=newsletter&utm_medium=email&utm_campaign=winter&gclid=abc&fbclid=xyz&other=1'));
    expect(readContext(Date.now()).campaign).toEqual({
      source: 'newsletter',
      medium: 'email',
      name: 'winter',
      clickIds: { gclid: 'abc', fbclid: 'xyz' },
    });
  });

  it('has empty defaults outside a browser', () => {
    const context = readContext(Date.parse('2026-11-23T12:00:00Z'));
    expect(context.page).toEqual({ url: '', path: '', search: '', title: '', referrer: '' });
    expect(context.campaign).toEqual({});
    expect(context.channel).toBe('web');
    expect(context.device.type).toBe('desktop');
  });

  it('tells mobile from desktop by the user agent', () => {
    vi.stubGlobal('navigator', { userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148', language: 'fr-FR' });
    const context = readContext(Date.now());
    expect(context.device.type).toBe('mobile');
    expect(context.locale).toBe('fr-FR');
  });
});
