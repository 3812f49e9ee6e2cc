/** What the profile needs of an event. */
export interface ProfileEventInput {
  id: string;
  name: string;
  timestampMs: number;
  sessionId?: string;
  properties: Readonly<Record<string, unknown>>;
}
