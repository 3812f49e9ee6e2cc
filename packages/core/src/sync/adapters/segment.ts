import type { AttuneEvent } from '../../events/event.js';
import { ATTUNE_LIBRARY, KEEPALIVE_MAX_BYTES, mergeHeaders, packBodies, utf8Length, type CollectorAdapter } from './types.js';

/** Segment rejects a message over 32 KB (and, with it, the whole batch: 400 Bad Request). */
export const SEGMENT_MAX_MESSAGE_BYTES = 32 * 1024;

/**
 * Segment's batch endpoint accepts at most 500 KB per request. Counted as 500,000 bytes, the
 * smaller reading of "KB", because a request over the real limit would be rejected as a whole.
 */
export const SEGMENT_MAX_BATCH_BYTES = 500_000;

/** Options of {@link segmentAdapter}. */
export interface SegmentSettings {
  /** Segment `integrations` object sent with every message, e.g. `{ All: true, Mixpanel: false }`. */
  integrations?: Record<string, boolean | Record<string, unknown>>;
  /**
   * Called for each message left out because it is over {@link SEGMENT_MAX_MESSAGE_BYTES}
   * (sending it would make Segment reject the whole batch). Use it to report the loss.
   */
  onOversize?: (event: AttuneEvent, bytes: number) => void;
}

/** Segment's context spec, filled from Attune's context; Attune-only fields are under `attune`. */
export interface SegmentContext {
  page: { path: string; referrer: string; search: string; title: string; url: string };
  locale?: string;
  timezone?: string;
  screen?: { width: number; height: number };
  campaign?: { name?: string; source?: string; medium?: string; term?: string; content?: string };
  location?: { country?: string; region?: string };
  library: { name: string; version: string };
  /** Not in Segment's spec; Segment keeps it (warehouses get `context_attune_*` columns). */
  attune: { sessionId: string; consent: string[]; device: { type: string }; channel: string; experiments?: Record<string, string> };
}

/** One message of a Segment batch (the fields of the track, page, identify and alias calls). */
export interface SegmentMessage {
  type: AttuneEvent['type'];
  messageId: string;
  timestamp: string;
  anonymousId: string;
  userId?: string;
  /** track: the event name. */
  event?: string;
  /** page: the page name. */
  name?: string;
  /** track and page. */
  properties?: Record<string, unknown>;
  /** identify. */
  traits?: Record<string, unknown>;
  /** alias: the id the user was known by before. */
  previousId?: string;
  context: SegmentContext;
  integrations?: Record<string, boolean | Record<string, unknown>>;
}

/** Maps Attune's context to Segment's context spec, leaving out what is empty. */
function segmentContext(event: AttuneEvent): SegmentContext {
  const { page, locale, timezone, device, campaign, channel, location } = event.context;
  return {
    page: { path: page.path, referrer: page.referrer, search: page.search, title: page.title, url: page.url },
    ...(locale ? { locale } : {}),
    ...(timezone ? { timezone } : {}),
    // Zero means "unknown" (Node, tests); Segment destinations would read 0x0 as a real screen.
    ...(device.screen.width > 0 || device.screen.height > 0 ? { screen: { width: device.screen.width, height: device.screen.height } } : {}),
    ...(Object.keys(campaign).length > 0 ? { campaign: { ...campaign } } : {}),
    // Segment's context.location fields (events stored before locations existed have none).
    ...(location && Object.keys(location).length > 0 ? { location: { ...location } } : {}),
    library: { name: ATTUNE_LIBRARY.name, version: ATTUNE_LIBRARY.version },
    attune: {
      sessionId: event.sessionId,
      consent: [...event.consent],
      device: { type: device.type },
      channel,
      ...(event.experiments ? { experiments: { ...event.experiments } } : {}),
    },
  };
}

/** Maps one Attune event to the Segment call of the same type. */
export function toSegmentMessage(event: AttuneEvent, settings: SegmentSettings = {}): SegmentMessage {
  const message: SegmentMessage = {
    type: event.type,
    messageId: event.id, // Segment de-duplicates on messageId, as Attune collectors do on id.
    timestamp: event.timestamp,
    anonymousId: event.anonymousId,
    ...(event.userId ? { userId: event.userId } : {}),
    context: segmentContext(event),
  };
  if (event.type === 'track') {
    message.event = event.name;
    message.properties = event.properties;
  } else if (event.type === 'page') {
    const { path, referrer, search, title, url } = event.context.page;
    message.name = event.name;
    // Segment's page spec reserves these properties and destinations read them there
    // (analytics.js fills them the same way); the host's own properties win.
    message.properties = { path, referrer, search, title, url, ...event.properties };
  } else if (event.type === 'identify') {
    message.traits = event.traits ?? {};
  } else if (event.type === 'alias' && event.previousId !== undefined) {
    message.previousId = event.previousId;
  }
  if (settings.integrations) message.integrations = settings.integrations;
  return message;
}

/** `Basic base64(writeKey + ':')`, encoding the key as UTF-8 first (btoa only takes Latin-1). */
function basicAuth(writeKey: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(`${writeKey}:`)) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
}

/**
 * Segment's HTTP Tracking API batch call: `POST <url>` (e.g. `https://api.segment.io/v1/batch`)
 * with `{"batch": [message, ...], "sentAt": iso}` and `content-type: application/json` (a CORS
 * preflight in the browser, and over keepalive's 64 KiB cap when a batch is large).
 *
 * With a write key, it is sent as `Authorization: Basic base64(writeKey + ':')`; a custom
 * `authorization` header replaces it. Messages over 32 KB are left out (see
 * {@link SegmentSettings.onOversize}); requests are split to stay under 500 KB (under
 * {@link KEEPALIVE_MAX_BYTES} with `keepalive`, so an unload send survives the page).
 */
export function segmentAdapter(settings: SegmentSettings = {}): CollectorAdapter {
  return (events, options) => {
    const items: string[] = [];
    for (const event of events) {
      const json = JSON.stringify(toSegmentMessage(event, settings));
      const bytes = utf8Length(json);
      if (bytes > SEGMENT_MAX_MESSAGE_BYTES) settings.onOversize?.(event, bytes);
      else items.push(json);
    }
    if (items.length === 0) return [];
    const headers = mergeHeaders(
      { 'content-type': 'application/json' },
      options.writeKey ? { authorization: basicAuth(options.writeKey) } : undefined,
      options.headers,
    );
    const suffix = `],"sentAt":${JSON.stringify(options.sentAt)}}`;
    const bodies = packBodies(items, options.keepalive ? KEEPALIVE_MAX_BYTES : SEGMENT_MAX_BATCH_BYTES, (joined) => `{"batch":[${joined}${suffix}`);
    return bodies.map((body) => ({ url: options.url, headers: { ...headers }, body }));
  };
}
