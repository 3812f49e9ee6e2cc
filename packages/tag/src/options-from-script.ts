import type { AttuneOptions, AutoCaptureOptions, CollectorAdapter } from '@attune/core';
import type { LazyAdapterName } from './load-adapter.js';

export function positiveNumber(value: string | undefined): number | undefined {
  const n = Number(value);
  return value !== undefined && Number.isFinite(n) && n > 0 ? n : undefined;
}

/** `data-capture="false"` turns auto-capture off; a list such as "page-views,clicks" picks collectors. */
export function captureOptions(value: string | undefined): AutoCaptureOptions | undefined {
  if (value === undefined || value === '' || value === 'true') return {};
  if (value === 'false') return undefined;
  const chosen = new Set(value.split(',').map((part) => part.trim()));
  return { pageViews: chosen.has('page-views'), clicks: chosen.has('clicks'), forms: chosen.has('forms'), webVitals: chosen.has('web-vitals') };
}

/**
 * Reads the client options from the tag's own `data-*` attributes (documented in docs/script-tag.md).
 * `adapter` provides the Segment or Snowplow format when `data-adapter` names one.
 */
export function optionsFromScript(data: DOMStringMap, base: string, adapter: (name: LazyAdapterName) => CollectorAdapter): AttuneOptions {
  const options: AttuneOptions = {};
  if (data.bundle) options.bundleUrl = new URL(data.bundle, base).href;
  // The public JWK as JSON text; core parses it, and a malformed key rejects every bundle (fail closed).
  if (data.bundleKey !== undefined) options.bundleKey = data.bundleKey;
  if (data.bundleSignature) options.bundleSignatureUrl = new URL(data.bundleSignature, base).href;
  const maxBundleBytes = positiveNumber(data.maxBundleBytes);
  if (maxBundleBytes !== undefined) options.maxBundleBytes = maxBundleBytes;
  if (data.collector) options.collectorUrl = new URL(data.collector, base).href;
  const flushIntervalMs = positiveNumber(data.flushInterval);
  if (flushIntervalMs !== undefined) options.flushIntervalMs = flushIntervalMs;
  const requestTimeoutMs = positiveNumber(data.requestTimeout);
  if (requestTimeoutMs !== undefined) options.requestTimeoutMs = requestTimeoutMs;
  const buffer = positiveNumber(data.bufferBeforeConsent);
  if (buffer !== undefined) options.bufferBeforeConsent = buffer;
  if (data.writeKey) options.writeKey = data.writeKey;
  if (data.profileUrl) options.profileUrl = new URL(data.profileUrl, base).href;
  if (data.adapter === 'segment' || data.adapter === 'snowplow') options.adapter = adapter(data.adapter);
  else if (data.adapter && data.adapter !== 'json') console.warn(`[attune] unknown data-adapter "${data.adapter}": use json, segment or snowplow. Using json.`);
  if (data.gpc === 'ignore') options.gpc = 'ignore';
  if (data.tcf === 'false') options.tcf = false;
  if (data.consentMode === 'false') options.consentMode = false;
  if (data.purposes) options.purposes = data.purposes.split(/[\s,]+/).filter(Boolean);
  // Where the visitor is, as the site's server or CDN wrote it (else core reads the attune-country / attune-region meta tags).
  if (data.country || data.region) options.location = { ...(data.country ? { country: data.country } : {}), ...(data.region ? { region: data.region } : {}) };
  const maxEvents = positiveNumber(data.queueMaxEvents);
  const maxBytes = positiveNumber(data.queueMaxBytes);
  if (maxEvents !== undefined || maxBytes !== undefined) {
    options.queue = {};
    if (maxEvents !== undefined) options.queue.maxEvents = maxEvents;
    if (maxBytes !== undefined) options.queue.maxBytes = maxBytes;
  }
  return options;
}
