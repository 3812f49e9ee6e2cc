import { campaignOf, type PageContext } from '../context/read-context.js';
import type { PageLocation } from '../context/location.js';

/**
 * The first language of an Accept-Language header (`en-US,en;q=0.9` → `en-US`): what the
 * browser's `navigator.language` says, which rules read as `context.locale`. '' when none.
 */
export function firstLanguage(header: string | null | undefined): string {
  const first = (header ?? '').split(',')[0]!.split(';')[0]!.trim();
  return first === '*' ? '' : first;
}

/** A cookie's value in a Cookie header, undefined when absent or empty. */
export function readCookie(header: string | null | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}

/**
 * The page context rules read, as far as a request tells it: the URL (without its fragment, which
 * never reaches a server), the locale and the location the server knows (see location.ts). What only the device knows (title, referrer, time zone,
 * screen, local time) is left empty: rules that read it are never decided on the server.
 */
export function requestContext(url: URL, locale: string, nowMs: number, location: PageLocation = {}): PageContext {
  const date = new Date(nowMs);
  return {
    page: { url: url.href.replace(/#.*$/, ''), path: url.pathname, search: url.search, title: '', referrer: '' },
    locale,
    timezone: '',
    device: { type: 'desktop', screen: { width: 0, height: 0 } },
    campaign: campaignOf(url.search),
    channel: 'web',
    time: { hour: date.getUTCHours(), weekday: date.getUTCDay() },
    location,
  };
}
