import { anyGranted, type ConsentState } from '../consent/consent.js';
import type { WithdrawnSince } from '../consent/withdrawals.js';
import type { AttuneEnvironment } from '../environment.js';
import { AttuneError, asAttuneError, errorMessage } from '../errors.js';
import type { EventInput } from '../events/build-event.js';
import { mergeHydration, parseHydration, type ProfileHydration } from '../profile/hydration.js';
import { plainObject } from '../json-value.js';
import { localTraits, PII_TRAITS } from '../profile/normalize-identity.js';
import { loadProtectTraits } from './load-parts.js';
import { emptyProfileData, mergeProfileData, type ProfileRules } from '../profile/profile-data.js';
import { joinTraits, MAX_PROFILE_BYTES, outsideJson, tooBig } from '../profile/profile-size.js';
import { emptyStoredProfile, type ProfileState, type StoredProfile } from '../profile/profile-state.js';
import type { TabMessage } from '../profile/tab-sync.js';
import type { AttuneDatabase } from '../storage/database.js';
import { replaceProfile, saveProfile, takeSavedProfile } from '../storage/profile-records.js';

/** What identity and hydration need from the client. */
export interface IdentityHooks {
  env: AttuneEnvironment;
  profile: ProfileState;
  rules: ProfileRules;
  sendRawIdentifiers: boolean;
  consent(): ConsentState;
  /** Storage is open (or fell back to memory): profile changes apply at once. */
  storageOpen(): boolean;
  /**
   * Runs a storage task with the open database (undefined when there is none) once storage has
   * settled, after the pending batched writes; a failure is reported (storage-unavailable).
   */
  persist(task: (db: AttuneDatabase | undefined) => Promise<void>): Promise<void>;
  profileChanged(): void;
  newId(): string;
  clearSession(): void;
  postToTabs(message: TabMessage): void;
  record(input: EventInput): void;
  /** A mark that tells whether a purpose was withdrawn since it was taken (or not granted then). */
  mark(): WithdrawnSince;
  invalidInput(): void;
  report(error: AttuneError): void;
  notify(): void;
}

/**
 * Who the visitor is (identify, alias, reset) and profile data computed elsewhere (hydrate,
 * profileUrl): identity changes stitch or set aside whole profiles on this device.
 */
export function createIdentity(hooks: IdentityHooks) {
  const { env, profile } = hooks;
  /** Hydrations given before personalization consent (in memory only until it is granted). */
  let pending: (() => void)[] = [];
  let profileFetched = false;

  function validUserId(userId: unknown, what: string): userId is string {
    if (typeof userId === 'string' && userId.length > 0 && userId.length <= 200) return true;
    hooks.invalidInput();
    hooks.report(new AttuneError('event-invalid', `${what} was ignored: the user id must be a string of 1 to 200 characters.`));
    return false;
  }

  /** The profile's traits and hydrated data once the visitor is `userId` (another user's are put aside). */
  function outsideAs(userId: string | undefined): Pick<StoredProfile, 'traits' | 'hydrated'> {
    const { userId: current, traits, hydrated } = profile.stored();
    return current && userId !== undefined && userId !== current ? { traits: {} } : { traits, hydrated };
  }

  /** Rewrites the whole stored profile after an identity change and tells the other tabs. */
  function persistProfile(): Promise<void> {
    return hooks.persist(async (db) => {
      if (db) await replaceProfile(db, profile.stored());
      hooks.postToTabs({ kind: 'profile' });
    });
  }

  /**
   * Becomes `userId`. From anonymous: the profile that user left on this device (if any) and the
   * anonymous history are merged, once (the anonymous profile is consumed by the merge). From
   * another user: that user's profile is put aside for their next login.
   */
  function becomeUser(userId: string): void {
    const before = profile.stored();
    if (before.userId === userId) return;
    profile.update({ userId, aliases: before.userId || !before.anonymousId ? before.aliases : [...new Set([...before.aliases, before.anonymousId])] });
    if (before.userId) profile.update({ aliases: [], traits: {}, data: emptyProfileData(), hydrated: undefined });
    void hooks.persist(async (db) => {
      if (!db) return;
      if (before.userId) await saveProfile(db, before, env.now());
      const saved = await takeSavedProfile(db, userId);
      if (saved) {
        const now = profile.stored();
        const hydrated = now.hydrated ?? saved.hydrated;
        profile.load({
          ...now,
          aliases: [...new Set([...saved.aliases, ...now.aliases])],
          traits: joinTraits(saved.traits, now.traits, hydrated, hooks.report),
          hydrated,
          data: mergeProfileData(saved.data, now.data, hooks.rules),
        });
        hooks.notify();
      }
    });
    void persistProfile();
  }

  /** Records an identify event; email and phone leave the device only as SHA-256 hashes. */
  function recordIdentify(traits: Record<string, unknown>): void {
    if (!('email' in traits) && !('phone' in traits)) return hooks.record({ type: 'identify', name: 'identify', traits });
    const withdrawn = hooks.mark();
    // The hashing code loads on the first identify with an identifier. If it cannot, the
    // identifiers are dropped (never sent raw) and the rest of the event goes.
    const protect = loadProtectTraits().then(
      (protectTraits) => protectTraits(traits, { allowRaw: hooks.sendRawIdentifiers }),
      () => {
        const safe = { ...traits };
        const dropped = Object.keys(PII_TRAITS).filter((key) => key in safe);
        for (const key of dropped) delete safe[key];
        return { traits: safe, dropped };
      },
    );
    void protect.then(({ traits: safe, dropped }) => {
      if (withdrawn('analytics')) return; // Collected before a withdrawal (or without analytics): final, even if granted since.
      if (dropped.length > 0) {
        hooks.report(new AttuneError('event-invalid', `identify(): ${dropped.join(', ')} not sent (not a valid value, or hashing is unavailable on this page).`));
      }
      hooks.record({ type: 'identify', name: 'identify', traits: safe });
    });
  }

  /** Applies a hydration whole, or refuses it whole when it would take the profile past its cap. */
  function applyHydration(hydration: ProfileHydration, what: string): void {
    const { traits, hydrated } = outsideAs(hydration.userId);
    const merged = mergeHydration(hydrated, hydration, env.now());
    const error = tooBig(what, 'profile-invalid', outsideJson(traits, merged), MAX_PROFILE_BYTES);
    if (error) return hooks.report(error);
    // First: the hydration belongs to that user's profile, not to the one put aside.
    if (hydration.userId !== undefined) becomeUser(hydration.userId);
    profile.update({ hydrated: merged });
    hooks.profileChanged();
    hooks.postToTabs({ kind: 'profile' });
    hooks.notify();
  }

  function hydrate(input: unknown, what = 'hydrate()'): void {
    try {
      const hydration = parseHydration(input);
      const error = tooBig(what, 'profile-invalid', JSON.stringify(hydration));
      if (error) throw error;
      const consent = hooks.consent().personalization;
      if (consent === 'granted' && hooks.storageOpen()) applyHydration(hydration, what);
      else if (consent !== 'denied') pending.push(() => applyHydration(hydration, what));
    } catch (error) {
      hooks.report(asAttuneError(error, 'profile-invalid'));
    }
  }

  async function fetchProfile(url: string): Promise<void> {
    profileFetched = true;
    try {
      const response = await env.fetch!(url, { credentials: 'same-origin' });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      hydrate(await response.json(), `The profile at ${url}`);
    } catch (error) {
      hooks.report(new AttuneError('profile-invalid', `The profile at ${url} could not be loaded (${errorMessage(error)}); the local profile is used alone.`, error));
    }
  }

  return {
    identify(userId: string, given: Record<string, unknown> = {}): void {
      if (!validUserId(userId, 'identify()') || !anyGranted(hooks.consent())) return;
      // Kept as the JSON it is sent as: the profile is cloned into IndexedDB and to other tabs.
      let traits: unknown;
      let json = '';
      try {
        traits = JSON.parse((json = JSON.stringify(given)));
      } catch {
        // Cycles, BigInt, a getter that throws: below.
      }
      if (!plainObject(traits)) {
        hooks.invalidInput();
        return hooks.report(new AttuneError('event-invalid', 'identify() was ignored: traits must be a plain object of JSON values (no cycles, BigInt or getters that throw).'));
      }
      const local = localTraits(traits).traits;
      const personal = hooks.consent().personalization === 'granted';
      const base = outsideAs(userId);
      // Too big for one call, or for the profile: refused whole (user id, profile and event).
      const error = tooBig('identify()', 'event-invalid', json) ?? (personal ? tooBig('identify()', 'event-invalid', outsideJson({ ...base.traits, ...local }, base.hydrated), MAX_PROFILE_BYTES) : undefined);
      if (error) {
        hooks.invalidInput();
        return hooks.report(error);
      }
      becomeUser(userId);
      if (personal) {
        profile.update({ traits: { ...profile.stored().traits, ...local } });
        hooks.profileChanged();
      }
      recordIdentify(traits);
    },
    alias(userId: string): void {
      if (!validUserId(userId, 'alias()') || !anyGranted(hooks.consent())) return;
      const { userId: current, anonymousId, aliases } = profile.stored();
      const previousId = current ?? anonymousId ?? '';
      profile.update({ userId, aliases: [...new Set([...aliases, previousId])] });
      void persistProfile();
      hooks.record({ type: 'alias', name: 'alias', previousId });
    },
    reset(): void {
      const before = profile.stored();
      hooks.clearSession();
      profile.load({ ...emptyStoredProfile(), anonymousId: anyGranted(hooks.consent()) ? hooks.newId() : null });
      void hooks.persist(async (db) => {
        if (db) await saveProfile(db, before, env.now());
      });
      void persistProfile();
      hooks.notify();
    },
    // Its second parameter only names the source in warnings.
    hydrate,
    /** Personalization is granted and storage is open: apply what waited, fetch `profileUrl` once. */
    personalizationReady(profileUrl: string | undefined): void {
      for (const apply of pending.splice(0)) apply();
      if (profileUrl && !profileFetched) void fetchProfile(profileUrl);
    },
    /** Personalization denied or everything erased: drop what waited (and fetch again after a new grant). */
    forget(): void {
      pending = [];
      profileFetched = false;
    },
  };
}
