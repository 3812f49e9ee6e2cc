import type { PageLocation } from './location.js';

/** Non-personal context every event carries and every rule can read as `context.*`. */
export interface PageContext {
  page: { url: string; path: string; search: string; title: string; referrer: string };
  locale: string;
  timezone: string;
  device: { type: 'mobile' | 'tablet' | 'desktop'; screen: { width: number; height: number } };
  campaign: { source?: string; medium?: string; name?: string; term?: string; content?: string; clickIds?: Record<string, string> };
  channel: 'web';
  time: { hour: number; weekday: number };
  /** Country and region as the site gives them (see location.ts); `{}` when it does not. */
  location: PageLocation;
}

const UTM_KEYS = ['source', 'medium', 'name', 'term', 'content'] as const;
/** Ad-platform click ids: Google (gclid, gbraid, wbraid, dclid), Microsoft, Meta, TikTok, LinkedIn, X. */
const CLICK_ID_KEYS = ['gclid', 'gbraid', 'wbraid', 'dclid', 'msclkid', 'fbclid', 'ttclid', 'li_fat_id', 'twclid'] as const;

function deviceType(userAgent: string, width: number): PageContext['device']['type'] {
  if (/iPad|Tablet/i.test(userAgent)) return 'tablet';
  if (/Mobi|Android|iPhone/i.test(userAgent)) return 'mobile';
  if (width > 0 && width < 768) return 'mobile';
  return 'desktop';
}

/** The campaign a query string names: `utm_*` parameters and ad-platform click ids. */
export function campaignOf(search: string): PageContext['campaign'] {
  const params = new URLSearchParams(search);
  const campaign: PageContext['campaign'] = {};
  for (const key of UTM_KEYS) {
    const value = params.get(key === 'name' ? 'utm_campaign' : `utm_${key}`);
    if (value) campaign[key] = value;
  }
  for (const key of CLICK_ID_KEYS) {
    const value = params.get(key);
    if (value) (campaign.clickIds ??= {})[key] = value;
  }
  return campaign;
}

/** Reads the page context from the browser; in Node every field has an empty default. `location` is the site's hint (see location.ts). */
export function readContext(nowMs: number, where: PageLocation = {}): PageContext {
  const g = globalThis as Partial<typeof globalThis>;
  const location = g.location;
  const campaign = campaignOf(location?.search ?? '');
  const width = g.screen?.width ?? 0;
  const date = new Date(nowMs);
  return {
    page: {
      url: location?.href ?? '',
      path: location?.pathname ?? '',
      search: location?.search ?? '',
      title: g.document?.title ?? '',
      referrer: g.document?.referrer ?? '',
    },
    locale: g.navigator?.language ?? '',
    timezone: Intl.DateTimeFormat().resolvedOptions().timeZone ?? '',
    device: {
      type: deviceType(g.navigator?.userAgent ?? '', width),
      screen: { width, height: g.screen?.height ?? 0 },
    },
    campaign,
    channel: 'web',
    time: { hour: date.getHours(), weekday: date.getDay() },
    location: where,
  };
}
