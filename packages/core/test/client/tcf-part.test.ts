import 'fake-indexeddb/auto';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { createAttune } from '../../src/client/client.js';
import * as parts from '../../src/client/load-parts.js';
import { freshIndexedDB, memoryStorage } from '../support.js';

vi.mock('../../src/client/load-parts.js', async (original) => {
  const real = await original<typeof import('../../src/client/load-parts.js')>();
  return { ...real, loadTcf: vi.fn(real.loadTcf) };
});
const loadTcf = vi.mocked(parts.loadTcf);
type Callback = (data: object, success: boolean) => void;
const page = globalThis as { __tcfapi?: (command: string, version: number, callback: Callback, parameter?: unknown) => void };

let commands: string[];
beforeEach(() => {
  freshIndexedDB();
  loadTcf.mockClear();
  commands = [];
});
afterEach(() => delete page.__tcfapi);

it('loads the TCF listener only on a page with a CMP', () => {
  createAttune({ environment: { storage: memoryStorage() } }).destroy();
  expect(loadTcf).not.toHaveBeenCalled();

  page.__tcfapi = (command) => void commands.push(command);
  createAttune({ environment: { storage: memoryStorage() }, tcf: false }).destroy();
  expect(loadTcf).not.toHaveBeenCalled(); // tcf: false ignores the CMP.
  const client = createAttune({ environment: { storage: memoryStorage() } });
  expect(loadTcf).toHaveBeenCalledTimes(1);
  client.destroy();
});

it('takes the CMP decision once loaded, and a client destroyed before that never listens', async () => {
  const callbacks: Callback[] = [];
  page.__tcfapi = (command, _version, callback) => {
    commands.push(command);
    if (command === 'addEventListener') callbacks.push(callback);
  };
  const early = createAttune({ environment: { storage: memoryStorage() } });
  early.destroy();
  const client = createAttune({ environment: { storage: memoryStorage() } });
  await vi.waitFor(() => expect(callbacks).toHaveLength(1));
  callbacks[0]!({ gdprApplies: true, eventStatus: 'tcloaded', listenerId: 7, purpose: { consents: { 1: true, 3: true, 4: true } } }, true);
  await vi.waitFor(() => expect(client.consent.get()).toMatchObject({ personalization: 'granted', analytics: 'denied' }));
  client.destroy();
  expect(commands).toEqual(['addEventListener', 'removeEventListener']);
});
