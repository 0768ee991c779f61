/** How long each kind of delivery is remembered: longer than the chat could deliver it again. */
const REMEMBERED_SECONDS = {
  // One command's trigger id: the chat retries a slow delivery within seconds.
  command: 3_600,
  // One form (view): longer than any stays open; after its one accepted submission it is closed for good.
  submission: 86_400,
} as const;

/** The Redis scope each kind has always used, so deliveries remembered before a deploy stay remembered. */
const SCOPES = { command: 'slack-trigger', submission: 'slack-view' } as const;

/** Deliveries from people's chat that may arrive twice: the first one counts. */
export interface Deliveries {
  /** True for the first delivery of this id, false for every repeat. */
  firstTime(kind: keyof typeof REMEMBERED_SECONDS, id: string): Promise<boolean>;
}

export function createDeliveries(
  claimOnce: (scope: string, id: string, ttlSeconds: number) => Promise<boolean>,
): Deliveries {
  return { firstTime: (kind, id) => claimOnce(SCOPES[kind], id, REMEMBERED_SECONDS[kind]) };
}
