import type { AttuneClient, AttuneSnapshot, Bundle, Decision } from '@attune/core';
import {
  ErrorCode,
  GeneralError,
  OpenFeatureEventEmitter,
  ParseError,
  ProviderEvents,
  type EvaluationContext,
  type JsonValue,
  type Provider,
  type ResolutionDetails,
  type TrackingEventDetails,
} from '@openfeature/web-sdk';
import { contextHydration } from './context-hydration.js';
import { decisionMetadata, failed, resolveDecision, type FlagType } from './resolve-decision.js';

export interface AttuneProviderOptions {
  /**
   * Report each decision an evaluation returns as shown (`client.shown`): its impression for
   * frequency caps and its experiment exposure, at most once per page view. Default true; set
   * false to call `client.shown(client.decide(slot))` yourself once the content is on screen.
   */
  exposures?: boolean;
}

/** What a flag key names in the serving bundle: a slot, or an experiment (then its experience, and that experience's slot). */
interface FlagTarget {
  slot: string;
  experience?: string;
}

/**
 * Why no flag can be evaluated: the bundle is still loading (PROVIDER_NOT_READY), or none could be
 * loaded (PARSE_ERROR when it was not a valid bundle; GENERAL for a fetch, signature or rollback).
 */
function bundleProblem({ status, error }: AttuneSnapshot['bundle']): [ErrorCode, string] | undefined {
  if (status === 'loading') return [ErrorCode.PROVIDER_NOT_READY, 'The Attune bundle is still loading.'];
  if (status === 'failed') return [error?.code === 'bundle-invalid' || error?.code === 'bundle-rule-invalid' ? ErrorCode.PARSE_ERROR : ErrorCode.GENERAL, error?.message ?? ''];
  return undefined;
}

/**
 * An OpenFeature web provider over an Attune client: a flag key is a slot (or an experiment id),
 * and an evaluation is `client.decide(slot)` mapped to OpenFeature's value, reason, variant and
 * metadata (docs/openfeature.md). The client stays the application's: closing the provider
 * never destroys it, so the same client can serve `@attune/react` beside OpenFeature's hooks.
 */
export class AttuneProvider implements Provider {
  readonly metadata = { name: 'attune' } as const;
  readonly runsOn = 'client';
  readonly events = new OpenFeatureEventEmitter();
  private readonly client: AttuneClient;
  private readonly exposures: boolean;
  /** The evaluation context last applied (its attributes are the traits it set). */
  private context: EvaluationContext = {};
  /** Flag key → its decision when the client last changed: what CONFIGURATION_CHANGED compares with. */
  private readonly seen = new Map<string, Decision>();
  private bundleState: AttuneSnapshot['bundle'] | undefined;
  private bundle: Bundle | undefined;
  /** The bundle subscribers were last told about. */
  private announced: Bundle | undefined;
  private targets = new Map<string, FlagTarget>();
  private stop: (() => void) | undefined;

  constructor(client: AttuneClient, options: AttuneProviderOptions = {}) {
    this.client = client;
    this.exposures = options.exposures ?? true;
  }

  /**
   * Applies the context, then resolves when the client is ready (a bundle serves, the stored
   * profile is read); rejects (PARSE_ERROR, or GENERAL) when no bundle could be loaded.
   */
  async initialize(context: EvaluationContext = {}): Promise<void> {
    this.onContextChange(this.context, context);
    await this.client.ready;
    this.stop = this.client.subscribe(() => this.changed());
    this.announced = this.refresh();
    const problem = bundleProblem(this.client.getSnapshot().bundle);
    if (problem) throw new (problem[0] === ErrorCode.PARSE_ERROR ? ParseError : GeneralError)(problem[1]);
  }

  /**
   * The targeting key becomes the user id and the other attributes the profile's traits (one
   * `client.hydrate()`, applied once personalization is granted); a context without the targeting
   * key the previous one had is a logout (`client.reset()`).
   */
  onContextChange(_previous: EvaluationContext, next: EvaluationContext): void {
    const previous = this.context;
    this.context = next;
    if (previous.targetingKey && !next.targetingKey) this.client.reset();
    const hydration = contextHydration(previous, next);
    if (hydration) this.client.hydrate(hydration);
  }

  /** Stops listening to the client (which stays usable: it is the application's to destroy). */
  async onClose(): Promise<void> {
    this.stop?.();
    this.seen.clear();
  }

  /** `client.track(name, details)`: an Attune event (consent applies as for any other). */
  track(trackingEventName: string, _context: EvaluationContext, trackingEventDetails: TrackingEventDetails): void {
    this.client.track(trackingEventName, trackingEventDetails);
  }

  resolveBooleanEvaluation(flagKey: string, defaultValue: boolean): ResolutionDetails<boolean> {
    return this.resolve(flagKey, defaultValue, 'boolean');
  }

  resolveStringEvaluation(flagKey: string, defaultValue: string): ResolutionDetails<string> {
    return this.resolve(flagKey, defaultValue, 'string');
  }

  resolveNumberEvaluation(flagKey: string, defaultValue: number): ResolutionDetails<number> {
    return this.resolve(flagKey, defaultValue, 'number');
  }

  resolveObjectEvaluation<T extends JsonValue>(flagKey: string, defaultValue: T): ResolutionDetails<T> {
    return this.resolve(flagKey, defaultValue, 'object');
  }

  private resolve<T>(flagKey: string, defaultValue: T, type: FlagType): ResolutionDetails<T> {
    const problem = bundleProblem(this.client.getSnapshot().bundle);
    if (problem) return failed(defaultValue, ...problem);
    this.refresh();
    const target = this.targets.get(flagKey);
    if (target === undefined) return failed(defaultValue, ErrorCode.FLAG_NOT_FOUND, `The Attune bundle has no slot or experiment "${flagKey}".`);
    const decision = this.client.decide(target.slot);
    if (!this.seen.has(flagKey)) this.seen.set(flagKey, decision);
    // An experiment's key while another experience holds its slot: the visitor is not in that experiment.
    if (target.experience && decision.experience && decision.experience !== target.experience) {
      return { value: defaultValue, reason: 'DEFAULT', flagMetadata: decisionMetadata(decision) };
    }
    const details = resolveDecision(decision, defaultValue, type);
    if (this.exposures && details.errorCode === undefined) this.client.shown(decision);
    return details;
  }

  /** Re-reads the flag keys when the client's bundle state changed; returns the serving bundle. */
  private refresh(): Bundle | undefined {
    const state = this.client.getSnapshot().bundle;
    if (state !== this.bundleState) {
      this.bundleState = state;
      this.bundle = this.client.inspect().bundle;
      this.targets = new Map();
      const experiences = this.bundle?.experiences ?? [];
      for (const { id, slot, experiment } of experiences) if (experiment) this.targets.set(experiment.id, { slot, experience: id });
      // A slot wins over an experiment of the same id.
      for (const { slot } of experiences) this.targets.set(slot, { slot });
    }
    return this.bundle;
  }

  /**
   * The client changed: a new bundle changes every flag; otherwise the flags whose decisions
   * changed (the profile, consent or identity did) are named in CONFIGURATION_CHANGED.
   */
  private changed(): void {
    const bundle = this.refresh();
    if (bundle !== this.announced) {
      this.announced = bundle;
      this.seen.clear();
      this.events.emit(ProviderEvents.ConfigurationChanged);
      return;
    }
    const flagsChanged: string[] = [];
    for (const [flagKey, before] of this.seen) {
      const now = this.client.decide(before.slot);
      if (now !== before) {
        this.seen.set(flagKey, now);
        flagsChanged.push(flagKey);
      }
    }
    if (flagsChanged.length > 0) this.events.emit(ProviderEvents.ConfigurationChanged, { flagsChanged });
  }
}
