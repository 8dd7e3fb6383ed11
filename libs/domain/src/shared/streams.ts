// Stream ids are `<type>-<id>` (API.md, Audit).
export const STREAM_TYPES = ['agreement', 'obligation', 'violation'] as const;
export type StreamType = (typeof STREAM_TYPES)[number];

export const agreementStreamId = (agreementId: string): string => `agreement-${agreementId}`;
export const obligationStreamId = (obligationId: string): string => `obligation-${obligationId}`;
export const violationStreamId = (violationId: string): string => `violation-${violationId}`;

/** Splits `obligation-abc-1` into its type and id; null when the prefix is not a known stream type. */
export function parseStreamId(streamId: string): { type: StreamType; id: string } | null {
  for (const type of STREAM_TYPES) {
    const prefix = `${type}-`;
    if (streamId.startsWith(prefix) && streamId.length > prefix.length) {
      return { type, id: streamId.slice(prefix.length) };
    }
  }
  return null;
}
