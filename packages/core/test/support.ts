import { expect, onTestFinished, vi } from 'vitest';
import { IDBFactory } from 'fake-indexeddb';
import { openDB, type IDBPDatabase } from 'idb';
import type { AttuneEnvironment } from '../src/environment.js';
import { AttuneError } from '../src/errors.js';

/**
 * A fresh, empty fake IndexedDB for each test (idb looks the global up at open time), and a fresh
 * set of BroadcastChannels: clients of one test are the tabs of one browser, and never hear the
 * clients that earlier tests left behind.
 */
export function freshIndexedDB(): void {
  globalThis.indexedDB = new IDBFactory();
  globalThis.BroadcastChannel = isolatedBroadcastChannels();
}

/** BroadcastChannel semantics (other instances of the same name get a clone, asynchronously) within one test. */
function isolatedBroadcastChannels(): typeof BroadcastChannel {
  const channels = new Map<string, Set<{ onmessage: ((event: { data: unknown }) => void) | null }>>();
  class TestBroadcastChannel {
    onmessage: ((event: { data: unknown }) => void) | null = null;
    readonly name: string;
    constructor(name: string) {
      this.name = name;
      if (!channels.has(name)) channels.set(name, new Set());
      channels.get(name)!.add(this);
    }
    postMessage(data: unknown): void {
      for (const other of channels.get(this.name) ?? []) {
        if (other !== this) setTimeout(() => other.onmessage?.({ data: structuredClone(data) }), 0);
      }
    }
    close(): void {
      channels.get(this.name)?.delete(this);
    }
  }
  return TestBroadcastChannel as unknown as typeof BroadcastChannel;
}

/**
 * A database exactly as version 1 of the SDK left it: one queue record per event (`queued`: id →
 * event name), then what `fill` writes (counters, meta).
 */
export async function versionOneDatabase(queued: Record<string, string>, fill?: (db: IDBPDatabase) => Promise<unknown>): Promise<void> {
  const db = await openDB('attune', 1, {
    upgrade(db) {
      db.createObjectStore('queue', { keyPath: 'id' });
      db.createObjectStore('counters');
      db.createObjectStore('meta');
    },
  });
  for (const [id, name] of Object.entries(queued)) await db.put('queue', { id, bytes: 100, event: { id, type: 'track', name, timestamp: '2026-01-05T10:00:00.000Z', properties: {} } });
  await fill?.(db);
  db.close();
}

export async function databaseNames(): Promise<string[]> {
  return (await indexedDB.databases()).map((db) => db.name ?? '');
}

/** localStorage stand-in that shows exactly what was written. */
export function memoryStorage(): NonNullable<AttuneEnvironment['storage']> & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return {
    entries,
    getItem: (key) => entries.get(key) ?? null,
    setItem: (key, value) => void entries.set(key, value),
    removeItem: (key) => void entries.delete(key),
  };
}

export interface FakeCollector {
  fetch: typeof fetch;
  /** Every event the collector accepted, in order. */
  events: Array<{ id: string; name: string; [key: string]: unknown }>;
  requests: number;
  /** Status to answer with; 'network' rejects like a connection failure; 'hang' never answers (until aborted). */
  respondWith: number | 'network' | 'hang';
  /** Batches containing an event with this name are refused with 400 (poison). */
  poisonName?: string;
  retryAfter?: string;
}

export function fakeCollector(): FakeCollector {
  const collector: FakeCollector = {
    events: [],
    requests: 0,
    respondWith: 200,
    fetch: (async (_url: RequestInfo | URL, init?: RequestInit) => {
      collector.requests++;
      if (collector.respondWith === 'network') throw new TypeError('Failed to fetch');
      if (collector.respondWith === 'hang') {
        return new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
      }
      const body = JSON.parse(String(init?.body)) as { batch: FakeCollector['events'] };
      if (collector.poisonName && body.batch.some((event) => event.name === collector.poisonName)) return new Response(null, { status: 400 });
      if (collector.respondWith >= 200 && collector.respondWith < 300) collector.events.push(...body.batch);
      const headers: Record<string, string> = collector.retryAfter ? { 'retry-after': collector.retryAfter } : {};
      return new Response(null, { status: collector.respondWith, headers });
    }) as typeof fetch,
  };
  return collector;
}

/** Asserts what the collector took: each tracked name under one id (a repeat carries the same id), nothing else. */
export function expectDeliveredOnce(collector: FakeCollector, names: readonly string[]): void {
  const idsByName = new Map<string, Set<string>>();
  for (const event of collector.events) idsByName.set(event.name, (idsByName.get(event.name) ?? new Set()).add(event.id));
  expect([...idsByName.keys()].sort()).toEqual([...names].sort());
  expect([...idsByName].filter(([, ids]) => ids.size > 1)).toEqual([]);
}

/**
 * Stubs `document` with one whose visibility the test sets (undo with vi.unstubAllGlobals()).
 * Returns `hide()`: the page becomes hidden, as a page being left is. Each call makes a page of
 * its own (a tab): its `hide()` makes its document the current one again before hiding it.
 */
export function hiddenOnDemand(): () => void {
  const target = Object.assign(new EventTarget(), { visibilityState: 'visible' });
  vi.stubGlobal('document', target);
  return () => {
    vi.stubGlobal('document', target);
    target.visibilityState = 'hidden';
    target.dispatchEvent(new Event('visibilitychange'));
  };
}

/** The AttuneError `run` throws; any other error is rethrown, and not throwing fails the test. */
export function thrownAttuneError(run: () => unknown): AttuneError {
  try {
    run();
  } catch (error) {
    if (error instanceof AttuneError) return error;
    throw error;
  }
  throw new Error('expected an AttuneError to be thrown');
}

/**
 * Errors that escape into the page while the current test runs: Node reports them as unhandled
 * rejections or uncaught exceptions (a browser as `unhandledrejection` / `error` events).
 */
export function escapedErrors(): unknown[] {
  const escaped: unknown[] = [];
  const keep = (error: unknown) => void escaped.push(error);
  process.on('unhandledRejection', keep);
  process.on('uncaughtException', keep);
  onTestFinished(() => {
    process.off('unhandledRejection', keep);
    process.off('uncaughtException', keep);
  });
  return escaped;
}
