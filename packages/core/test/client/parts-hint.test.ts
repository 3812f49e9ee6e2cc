import 'fake-indexeddb/auto';
import { beforeEach, expect, it, vi } from 'vitest';
import { createAttune } from '../../src/client/client.js';
import * as parts from '../../src/client/load-parts.js';
import { logisticModel } from '../models/small-models.js';
import { freshIndexedDB, memoryStorage } from '../support.js';
import { shopBundle } from '../fixtures.js';

vi.mock('../../src/client/load-parts.js', async (original) => {
  const real = await original<typeof import('../../src/client/load-parts.js')>();
  return { ...real, loadModels: vi.fn(real.loadModels), loadOperators: vi.fn(real.loadOperators), loadExperiments: vi.fn(real.loadExperiments) };
});

const HINT = 'attune.parts.v1';
const withModels = () => shopBundle({ models: [logisticModel()] });
const loadModels = vi.mocked(parts.loadModels);
const loadOperators = vi.mocked(parts.loadOperators);
const loadExperiments = vi.mocked(parts.loadExperiments);
/** A bundle whose rules use an operator of the operators part (`+`), and no models. */
const withOperators = () => shopBundle({ stages: [{ id: 'regular', when: { '>=': [{ '+': [{ count: 'page_view' }, 1] }, 3] } }] });
const URL = 'https://shop.example/bundle.json';
/** The site serving `bundle` at URL (cached in IndexedDB after a grant, as browsers do). */
const serving = (bundle: object): typeof fetch => async () => new Response(JSON.stringify(bundle), { headers: { 'content-type': 'application/json' } });
/** A bundle request that never answers: only the cache (or nothing) can serve. */
const hanging: typeof fetch = () => new Promise(() => {});

/** The next page, its bundle request never answering: `asked` checks what it asked for at once (before the cached bundle is read); it serves from the cache. */
async function nextPageFromCache(storage: ReturnType<typeof memoryStorage>, asked: () => void): Promise<void> {
  const next = createAttune({ bundleUrl: URL, environment: { storage, fetch: hanging } });
  asked();
  await next.ready;
  expect(next.getSnapshot().bundle).toMatchObject({ status: 'ready', source: 'cache' });
  next.destroy();
}

/** A page served `bundle` (a new version of it): the hint becomes `entries`. */
async function hintAfter(storage: ReturnType<typeof memoryStorage>, bundle: object, entries: string[]): Promise<void> {
  const page = createAttune({ bundleUrl: URL, environment: { storage, fetch: serving(bundle) } });
  await page.ready;
  await vi.waitFor(() => expect(JSON.parse(storage.entries.get(HINT) ?? '[]')).toEqual(entries));
  page.destroy();
}

beforeEach(() => {
  freshIndexedDB();
  loadModels.mockClear();
  loadOperators.mockClear();
  loadExperiments.mockClear();
});

it('remembers, after a grant, that the bundle needs the models part, and the next page starts loading it at once', async () => {
  const storage = memoryStorage();
  const first = createAttune({ bundleUrl: URL, environment: { storage, fetch: serving(withModels()) } });
  await first.ready;
  expect(storage.entries.has(HINT)).toBe(false); // Nothing is stored before consent.
  await first.consent.grant();
  await vi.waitFor(() => expect(JSON.parse(storage.entries.get(HINT) ?? '[]')).toEqual([URL]));
  await first.flush();
  first.destroy();

  loadModels.mockClear();
  // Already asked for, before the cached bundle is read, checked or compiled.
  await nextPageFromCache(storage, () => expect(loadModels).toHaveBeenCalledTimes(1));
});

it('never loads the part for a bundle without models, whatever another bundle of the site needs, and forgets a bundle that no longer needs it', async () => {
  const storage = memoryStorage();
  const OTHER = 'https://shop.example/other.json';
  storage.entries.set(HINT, JSON.stringify([OTHER])); // Another page's bundle has models.
  const first = createAttune({ bundleUrl: URL, environment: { storage, fetch: serving(shopBundle()) } });
  await first.consent.grant();
  await first.ready;
  expect(loadModels).not.toHaveBeenCalled();
  expect(JSON.parse(storage.entries.get(HINT)!)).toEqual([OTHER]);
  first.destroy();

  // This bundle had models when the hint was written; its new version has none.
  storage.entries.set(HINT, JSON.stringify([OTHER, URL]));
  const next = createAttune({ bundleUrl: URL, environment: { storage, fetch: serving(shopBundle()) } });
  expect(loadModels).toHaveBeenCalledTimes(1);
  await vi.waitFor(() => expect(JSON.parse(storage.entries.get(HINT)!)).toEqual([OTHER]));
  next.destroy();
});

it('is erased with everything else when consent is withdrawn, and not read without consent', async () => {
  const storage = memoryStorage();
  const client = createAttune({ bundleUrl: URL, environment: { storage, fetch: serving(withModels()) } });
  await client.consent.grant();
  await client.ready;
  await vi.waitFor(() => expect(storage.entries.has(HINT)).toBe(true));
  expect(storage.entries.has(HINT)).toBe(true);
  await client.consent.withdraw();
  expect(storage.entries.has(HINT)).toBe(false);
  client.destroy();

  storage.entries.set(HINT, JSON.stringify([URL]));
  loadModels.mockClear();
  const unconsented = createAttune({ bundleUrl: URL, environment: { storage, fetch: hanging } });
  expect(loadModels).not.toHaveBeenCalled();
  unconsented.destroy();
});

it('remembers that the bundle needs the operators part, and the next page starts loading it at once (and not the models part)', async () => {
  const storage = memoryStorage();
  const first = createAttune({ bundleUrl: URL, environment: { storage, fetch: serving(withOperators()) } });
  await first.consent.grant();
  await first.ready;
  await vi.waitFor(() => expect(JSON.parse(storage.entries.get(HINT) ?? '[]')).toEqual([`operators ${URL}`]));
  first.destroy();

  loadOperators.mockClear();
  // Already asked for, before the cached bundle is read, checked or compiled.
  await nextPageFromCache(storage, () => {
    expect(loadOperators).toHaveBeenCalledTimes(1);
    expect(loadModels).not.toHaveBeenCalled();
  });

  // Its next version needs the models part instead: the hint follows.
  await hintAfter(storage, withModels(), [URL]);
});

it('remembers that the bundle needs the experiments part beside the others, and the next page starts loading each at once', async () => {
  const storage = memoryStorage();
  const abTest = shopBundle({ models: [logisticModel()] });
  const [first] = abTest.experiences as { experiment?: object }[];
  first!.experiment = { id: 'hero-test' };
  const client = createAttune({ bundleUrl: URL, environment: { storage, fetch: serving(abTest) } });
  await client.consent.grant();
  await client.ready;
  await vi.waitFor(() => expect(JSON.parse(storage.entries.get(HINT) ?? '[]')).toEqual([URL, `experiments ${URL}`]));
  client.destroy();

  loadModels.mockClear();
  loadExperiments.mockClear();
  await nextPageFromCache(storage, () => {
    expect(loadExperiments).toHaveBeenCalledTimes(1);
    expect(loadModels).toHaveBeenCalledTimes(1);
    expect(loadOperators).not.toHaveBeenCalled();
  });

  // Its next version has no experiment: only the models entry stays.
  await hintAfter(storage, withModels(), [URL]);
});
