import { expect, test, type Page } from '@playwright/test';
import { attune, collected, tagReady } from './helpers.js';

// Issue 15: keys that come from data (the profile served at data-profile-url, the bundle's ids,
// event names and properties, traits, overrides) are data. None may reach a JavaScript built-in,
// on this page or the next one (the profile is stored and applied again at start).

const PAGE = '/e2e/prototype-keys.html';

/**
 * Before any script of the page runs: keeps what Object, the prototypes and their methods look like,
 * and the functions needed to compare later, so the check works even if a built-in was overwritten.
 */
function rememberBuiltIns(): void {
  const { getOwnPropertyDescriptors, getPrototypeOf, is } = Object;
  const { ownKeys } = Reflect;
  const roots: [string, object][] = [['Object', Object], ['Object.prototype', Object.prototype], ['Array.prototype', Array.prototype], ['Function.prototype', Function.prototype], ['String.prototype', String.prototype]];
  const targets: [string, object][] = [...roots];
  for (const [name, root] of roots) {
    const descriptors = getOwnPropertyDescriptors(root) as Record<string | symbol, PropertyDescriptor>;
    for (const key of ownKeys(descriptors)) {
      const value = descriptors[key]!.value as unknown;
      if (typeof value === 'function' && value !== Object) targets.push([`${name}.${String(key)}`, value]);
    }
  }
  const before = targets.map(([name, target]) => ({ name, target, prototype: getPrototypeOf(target), descriptors: getOwnPropertyDescriptors(target) as Record<string | symbol, PropertyDescriptor> }));
  const same = (a?: PropertyDescriptor, b?: PropertyDescriptor): boolean =>
    !!a && !!b && is(a.value, b.value) && is(a.get, b.get) && is(a.set, b.set) && a.writable === b.writable && a.enumerable === b.enumerable && a.configurable === b.configurable;
  (window as unknown as { changedBuiltIns: () => string[] }).changedBuiltIns = () => {
    const changed: string[] = [];
    for (const { name, target, prototype, descriptors } of before) {
      const now = getOwnPropertyDescriptors(target) as Record<string | symbol, PropertyDescriptor>;
      for (const key of new Set([...ownKeys(descriptors), ...ownKeys(now)])) if (!same(descriptors[key], now[key])) changed.push(`${name}.${String(key)}`);
      if (getPrototypeOf(target) !== prototype) changed.push(`${name} (prototype)`);
    }
    return changed;
  };
}

/** What the visitor's page relies on: the built-ins unchanged and everyday calls working. */
async function expectBuiltInsIntact(page: Page): Promise<void> {
  const state = await page.evaluate(() => ({
    changed: (window as unknown as { changedBuiltIns: () => string[] }).changedBuiltIns(),
    keys: typeof Object.keys === 'function' ? Object.keys({ a: 1 }) : 'Object.keys is not a function',
    hasOwnProperty: typeof {}.hasOwnProperty === 'function' ? {}.hasOwnProperty('a') : 'not a function',
    text: String({}),
    polluted: ({} as Record<string, unknown>).polluted ?? null,
    doubled: [1, 2].map((x) => x * 2),
  }));
  expect(state).toEqual({ changed: [], keys: ['a'], hasOwnProperty: false, text: '[object Object]', polluted: null, doubled: [2, 4] });
}

interface Profile {
  counters: Record<string, number>;
  traits: Record<string, unknown>;
  affinities: Record<string, Record<string, number>>;
  segments: string[];
}

/** The profile part of the snapshot, as its JSON (Playwright's own transfer would drop a "__proto__" key). */
async function profile(page: Page): Promise<Profile> {
  const json = await page.evaluate(() => JSON.stringify((window as unknown as { attune: { client: { getSnapshot(): { profile: unknown } } } }).attune.client.getSnapshot().profile));
  return JSON.parse(json) as Profile;
}

const slot = (page: Page, name: string) => page.locator(`[data-attune-slot="${name}"]`);

test.beforeEach(async ({ request, page }) => {
  await request.delete('/events?from=now');
  await page.addInitScript(rememberBuiltIns);
});

test('a visitor whose profile, bundle and events use keys named like built-ins keeps a working page, also after a reload', async ({ page, request }) => {
  const pageErrors: Error[] = [];
  page.on('pageerror', (error) => pageErrors.push(error));
  await page.goto(PAGE);
  await tagReady(page);
  await attune(page, 'consent', 'grant');
  // The profile at data-profile-url hydrates traits, affinities and segments named "constructor", "toString"...
  await expect.poll(async () => (await profile(page)).segments).toEqual(['constructor', '__proto__']);

  // The visitor's commands, their keys made own properties as JSON.parse makes them.
  await page.evaluate(() => {
    const attune = (window as unknown as { attune: (...a: unknown[]) => void }).attune;
    attune('track', 'constructor', JSON.parse('{"category": "__proto__", "__proto__": {"polluted": 1}, "constructor": {"prototype": {"polluted": 1}}}'));
    attune('identify', 'toString', JSON.parse('{"valueOf": "own", "__proto__": {"polluted": 1}}'));
    attune('alias', 'valueOf');
    attune('hydrate', JSON.parse('{"affinities": {"prototype": {"constructor": 2}}, "traits": {"propertyIsEnumerable": true}}'));
    attune('force', 'constructor', 'toString');
  });
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expectBuiltInsIntact(page);

  const expectPersonalized = async () => {
    // A trait "toString" is a trait; a trait "hasOwnProperty" the visitor does not have is no trait.
    await expect(slot(page, 'constructor')).toHaveText('Welcome back, VIP');
    await expect(slot(page, 'toString')).toHaveText('The page’s own offer');
    await expect(slot(page, '__proto__')).toHaveText('Picks for the constructor fan');
    const seen = await profile(page);
    expect(seen.counters).toMatchObject({ constructor: 1, hasOwnProperty: 1 });
    expect(seen.traits).toMatchObject({ toString: 'vip', constructor: 'builder', valueOf: 'own', propertyIsEnumerable: true });
    expect(seen.affinities).toMatchObject({ constructor: { keys: 1 }, hasOwnProperty: { shoes: 2 }, prototype: { constructor: 2 } });
    expect(Object.keys(seen.affinities.category ?? {})).toEqual(['__proto__']);
  };
  await expectPersonalized();

  await attune(page, 'flush');
  await expect.poll(async () => (await collected(request)).map((event) => event.name)).toEqual(expect.arrayContaining(['constructor', 'hasOwnProperty', 'identify', 'alias']));
  const tracked = (await collected(request)).find((event) => event.name === 'constructor');
  expect(Object.hasOwn(tracked?.properties ?? {}, '__proto__')).toBe(true);

  // The next page starts from the stored profile and hydration.
  await page.reload();
  await tagReady(page);
  await expectBuiltInsIntact(page);
  await expectPersonalized();
  await page.evaluate(() => (window as unknown as { attune: { client: { decideAll(): unknown } } }).attune.client.decideAll());
  await expectBuiltInsIntact(page);
  expect(pageErrors).toEqual([]);
});
