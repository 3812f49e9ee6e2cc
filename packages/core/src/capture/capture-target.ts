/** Where auto-captured events go: the Attune client, or anything with the same two methods. */
export interface CaptureTarget {
  track(name: string, properties?: Record<string, unknown>): void;
  page(properties?: Record<string, unknown>): void;
}
