// The per-stream hash chain. Each event's hash covers the previous hash, where it sits
// (stream, type, version, recorded time) and its body (id, type, schema version, data, metadata,
// occurred time). The database computes the chain inside append_events and append_batch; this
// file is the definition that verification recomputes from what PostgreSQL gives back.
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';

export const GENESIS_HASH: Buffer = Buffer.alloc(32);

export interface EventBody {
  eventId: string;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: unknown;
  occurredAt: Date | null;
}

export interface EncodedBody {
  /** Canonical JSON of data and metadata: also what is sent to PostgreSQL as jsonb text. */
  dataJson: string;
  metadataJson: string;
  /** canonicalJson({ data, eventId, metadata, occurredAt, schemaVersion, type }), built from the parts. */
  canonical: string;
  hash: Buffer;
}

/**
 * Encodes an event body once for both storing and hashing. The canonical text is assembled from
 * the canonical parts in sorted key order, which equals canonicalJson of the whole body.
 */
export function encodeBody(body: EventBody): EncodedBody {
  const dataJson = canonicalJson(body.data);
  const metadataJson = canonicalJson(body.metadata);
  const canonical =
    `{"data":${dataJson},"eventId":${canonicalJson(body.eventId.toLowerCase())},` +
    `"metadata":${metadataJson},"occurredAt":${canonicalJson(body.occurredAt ? body.occurredAt.toISOString() : null)},` +
    `"schemaVersion":${canonicalJson(body.schemaVersion)},"type":${canonicalJson(body.type)}}`;
  return {
    dataJson,
    metadataJson,
    canonical,
    hash: createHash('sha256').update(canonical, 'utf8').digest(),
  };
}

export function bodyHash(body: EventBody): Buffer {
  return encodeBody(body).hash;
}

export interface ChainPosition {
  streamId: string;
  streamType: string;
  streamVersion: number;
  recordedAt: Date;
}

export function chainHash(prevHash: Buffer, at: ChainPosition, body: Buffer): Buffer {
  const header = `${at.streamId}\n${at.streamType}\n${at.streamVersion}\n${at.recordedAt.toISOString()}\n`;
  return createHash('sha256').update(prevHash).update(header, 'utf8').update(body).digest();
}

export function sealHash(
  prevSealHash: Buffer,
  digest: Buffer,
  range: { from: string; to: string; eventCount: number },
): Buffer {
  return createHash('sha256')
    .update(prevSealHash)
    .update(digest)
    .update(`${range.from}..${range.to}:${range.eventCount}`, 'utf8')
    .digest();
}
