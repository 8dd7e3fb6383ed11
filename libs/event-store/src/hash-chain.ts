// The per-stream hash chain. Each event's hash covers the previous hash, where it sits
// (stream, type, version, recorded time) and its body (id, type, schema version, data, metadata,
// occurred time). The database computes the chain inside append_events; this file is the
// definition that verification recomputes from what PostgreSQL gives back.
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

export function canonicalBody(body: EventBody): string {
  return canonicalJson({
    eventId: body.eventId.toLowerCase(),
    type: body.type,
    schemaVersion: body.schemaVersion,
    data: body.data,
    metadata: body.metadata,
    occurredAt: body.occurredAt ? body.occurredAt.toISOString() : null,
  });
}

export function bodyHash(body: EventBody): Buffer {
  return createHash('sha256').update(canonicalBody(body), 'utf8').digest();
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
