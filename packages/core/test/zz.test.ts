import 'fake-indexeddb/auto';
import { it } from 'vitest';
import { createAttune } from '../src/client.js';
import { openDatabase } from '../src/storage/database.js';
import { freshIndexedDB, memoryStorage } from './support.js';
const base = () => ({ aliases: [], traits: {}, data: { sessions: { count: 0, firstId: null, lastId: null, first: null, last: null }, purchases: { count: 0, revenue: 0, first: null, last: null }, affinities: {}, viewed: [], purchased: [], recent: [], seen: [] } });
const variants: Array<[string, (r: any) => void]> = [
  ['aff value', (r) => (r.data.affinities = { category: 5 })],
  ['aff inner', (r) => (r.data.affinities = { category: { a: 'x' } })],
  ['viewed items', (r) => (r.data.viewed = [5, null])],
  ['recent items', (r) => (r.data.recent = [null, 5])],
  ['seen items', (r) => (r.data.seen = [null, 5])],
  ['traits deep', (r) => (r.traits = { a: { b: 1n } })],
  ['aliases items', (r) => (r.aliases = [null])],
  ['hydrated', (r) => (r.hydrated = { traits: 5, segments: 'x' })],
  ['hydrated2', (r) => (r.hydrated = 5)],
];
it.each(variants)('tampered %s', async (label, change) => {
  freshIndexedDB();
  const db = await openDatabase('attune');
  const record = base(); change(record);
  await db.put('profile', record as never, 'current');
  await db.put('aggregates', { count: 'x', minutes: 5 } as never, 'bad');
  db.close();
  const errors: string[] = [];
  const client = createAttune({ onError: (e) => errors.push(e.code), environment: { storage: memoryStorage() } });
  await client.consent.grant();
  await client.ready;
  const out: string[] = [];
  for (const [name, fn] of [['snapshot', () => client.getSnapshot().profile.visits], ['track', () => client.track('x', { category: 'a', product_id: 'p', price: 3 })], ['track2', () => client.track('purchase', { category: 'a', product_id: 'p', price: 3 })], ['snapshot2', () => Object.keys(client.getSnapshot().profile)], ['identify', () => client.identify('u1', { a: 1 })], ['count', () => client.count('x')], ['reset', () => client.reset()]] as const) {
    try { out.push(`${name}:${JSON.stringify(fn())?.slice(0, 30)}`); } catch (e) { out.push(`${name} THREW ${(e as Error).message}`); }
  }
  await new Promise((r) => setTimeout(r, 20));
  console.log('RESULT', label, out.join(' | '), errors.join(','));
  client.destroy();
});
