/**
 * Everything Attune needs from the host, looked up lazily so the core imports cleanly in Node
 * (SSR, tests) and any piece can be replaced in tests.
 */
export interface AttuneEnvironment {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Network; absent means events stay queued. */
  fetch: typeof fetch | undefined;
  /** Key-value storage for the consent record (written only after a grant). */
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | undefined;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Fills the array with cryptographically strong random bytes. */
  randomBytes(bytes: Uint8Array): Uint8Array;
}

function safeLocalStorage(): AttuneEnvironment['storage'] {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch (error) {
    // Accessing localStorage throws in some sandboxed iframes and with storage blocked: every
    // call fails as it would, so the first write is reported (see quietStorage).
    const refuse = (): never => {
      throw error;
    };
    return { getItem: refuse, setItem: refuse, removeItem: refuse };
  }
}

/**
 * `storage` whose writes never throw (blocked, full): `refused` hears of the first one that failed
 * only, not of every one; what it would have kept lasts this page only. (Readers handle their own.)
 */
export function quietStorage(storage: AttuneEnvironment['storage'], refused: (error: unknown) => void): AttuneEnvironment['storage'] {
  let told = false;
  return (
    storage && {
      getItem: (key) => storage.getItem(key),
      removeItem: (key) => storage.removeItem(key),
      setItem(key, value) {
        try {
          storage.setItem(key, value);
        } catch (error) {
          if (!told) refused(error);
          told = true;
        }
      },
    }
  );
}

function fallbackRandomBytes(bytes: Uint8Array): Uint8Array {
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  return bytes;
}

/**
 * The page's fetch. A text body goes as a Blob of the same bytes: in Chromium that costs the page
 * less main-thread time (a 340 kB batch of events: 2.9 against 4.9 ms of CPU). Not with keepalive:
 * the page-hide send stays as it was.
 */
const pageFetch =
  (g: typeof globalThis): typeof fetch =>
  (input, init) =>
    g.fetch(input, typeof init?.body == 'string' && !init.keepalive && typeof Blob == 'function' ? { ...init, body: new Blob([init.body]) } : init);

/** The real browser (or Node) environment, with any part overridden. */
export function resolveEnvironment(overrides: Partial<AttuneEnvironment> = {}): AttuneEnvironment {
  const g = globalThis;
  return {
    now: () => Date.now(),
    fetch: typeof g.fetch === 'function' ? pageFetch(g) : undefined,
    storage: safeLocalStorage(),
    setTimeout: (callback, ms) => g.setTimeout(callback, ms),
    clearTimeout: (handle) => g.clearTimeout(handle as ReturnType<typeof setTimeout>),
    randomBytes:
      typeof g.crypto?.getRandomValues === 'function'
        ? (bytes) => g.crypto.getRandomValues(bytes)
        : fallbackRandomBytes,
    ...overrides,
  };
}
