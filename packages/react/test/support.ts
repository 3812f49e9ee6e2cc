import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { createAttune, type AttuneClient } from '@attune/core';
import { IDBFactory } from 'fake-indexeddb';
import { act } from '@testing-library/react';

/** The demo shop's bundle, as its JSON text. */
export const shopBundle = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../../examples/bundles/shop.json'), 'utf8');

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A fresh browser profile: empty IndexedDB and localStorage, no cookies. */
export function freshBrowser(): void {
  globalThis.indexedDB = new IDBFactory();
  localStorage.clear();
  for (const pair of document.cookie.split('; ')) if (pair) document.cookie = `${pair.split('=')[0]}=; Path=/; Max-Age=0`;
}

/** A visitor who consented and viewed `views` products on an earlier page; returns their anonymous id. */
export async function returningVisitor(views: number): Promise<string> {
  const earlier = createAttune({ bundle: shopBundle });
  await earlier.consent.grant();
  for (let i = 0; i < views; i++) earlier.track('product_viewed', { category: 'outerwear' });
  await earlier.ready;
  await sleep(50); // written to IndexedDB
  const id = earlier.getSnapshot().profile.anonymousId!;
  earlier.destroy();
  return id;
}

/** Waits (inside act) until the client is ready and its subscribers were told. */
export async function settled(client: AttuneClient): Promise<void> {
  await act(async () => {
    await client.ready;
    await sleep(10);
  });
}

/** Counts the client's subscribers. */
export function countListeners(client: AttuneClient): { readonly count: number } {
  const counter = { count: 0 };
  const subscribe = client.subscribe;
  client.subscribe = (listener) => {
    counter.count++;
    const stop = subscribe(listener);
    return () => {
      counter.count--;
      return stop();
    };
  };
  return counter;
}
