// Loads exported events (event-export.ts) into a database that does not hold their streams,
// re-creating each event with its recorded time and hash. Every hash is recomputed with the
// store's own hashing before anything is written, and again by import_events in SQL; a file with
// a wrong hash, a broken chain or a partial stream is refused whole, in one transaction.
import type { Pool } from 'pg';
import type { ExportedEvent } from './event-export';
import { chainHash, encodeBody, GENESIS_HASH } from './hash-chain';

export type ImportProblemKind =
  | 'malformed'
  | 'version_gap'
  | 'chain_break'
  | 'hash_mismatch'
  | 'duplicate_event'
  | 'stream_exists'
  | 'event_exists';

export interface ImportProblem {
  kind: ImportProblemKind;
  /** 1-based line of the file. */
  line?: number;
  streamId?: string;
  streamVersion?: number;
  detail: string;
}

/** Nothing was written: the file, or the database it was to go into, has these problems. */
export class ImportRefused extends Error {
  constructor(readonly problems: ImportProblem[]) {
    super(`import refused: ${problems.length} problem${problems.length === 1 ? '' : 's'}`);
    this.name = 'ImportRefused';
  }
}

export interface ImportEntry {
  line: number;
  event: ExportedEvent;
}

export interface ImportResult {
  events: number;
  streams: number;
  /** global_position of the first and last event inserted. */
  firstPosition: number;
  lastPosition: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const HASH = /^[0-9a-f]{64}$/;
const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
/** Only the form toISOString writes: the hash covers that text, so no other form is taken. */
const isIsoTime = (v: unknown): v is string =>
  typeof v === 'string' && !Number.isNaN(Date.parse(v)) && new Date(v).toISOString() === v;

/** Why a parsed line is not an exported event, or null when it is one. */
function shapeProblem(v: unknown): string | null {
  if (!isRecord(v)) return 'not a JSON object';
  const checks: Array<[string, boolean]> = [
    ['eventId (a lowercase UUID)', typeof v.eventId === 'string' && UUID.test(v.eventId)],
    ['streamId', typeof v.streamId === 'string' && v.streamId.length > 0],
    ['streamType', typeof v.streamType === 'string' && v.streamType.length > 0],
    [
      'streamVersion (an integer >= 1)',
      Number.isInteger(v.streamVersion) && (v.streamVersion as number) >= 1,
    ],
    ['type', typeof v.type === 'string' && v.type.length > 0],
    [
      'schemaVersion (an integer >= 1)',
      Number.isInteger(v.schemaVersion) && (v.schemaVersion as number) >= 1,
    ],
    ['data', v.data !== undefined],
    ['metadata (an object)', isRecord(v.metadata)],
    ['occurredAt (an ISO time or null)', v.occurredAt === null || isIsoTime(v.occurredAt)],
    ['recordedAt (an ISO time)', isIsoTime(v.recordedAt)],
    ['prevHash (64 hex digits)', typeof v.prevHash === 'string' && HASH.test(v.prevHash)],
    ['hash (64 hex digits)', typeof v.hash === 'string' && HASH.test(v.hash)],
  ];
  const bad = checks.filter(([, ok]) => !ok).map(([field]) => field);
  return bad.length === 0 ? null : `missing or invalid ${bad.join(', ')}`;
}

/** Reads NDJSON: one exported event per line; blank lines are skipped. */
export function parseExportedEvents(text: string): {
  entries: ImportEntry[];
  problems: ImportProblem[];
} {
  const entries: ImportEntry[] = [];
  const problems: ImportProblem[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (err) {
      problems.push({ kind: 'malformed', line, detail: `not JSON: ${(err as Error).message}` });
      return;
    }
    const problem = shapeProblem(parsed);
    if (problem) problems.push({ kind: 'malformed', line, detail: problem });
    else entries.push({ line, event: parsed as ExportedEvent });
  });
  return { entries, problems };
}

/**
 * Recomputes every hash the way append does and checks that each stream is whole: it starts at
 * version 1, its versions follow each other, and each event's prevHash is the previous hash.
 */
export function checkExportedChains(entries: readonly ImportEntry[]): ImportProblem[] {
  const problems: ImportProblem[] = [];
  const streams = new Map<string, { type: string; version: number; hash: Buffer }>();
  const eventIds = new Set<string>();
  for (const { line, event } of entries) {
    const at = { line, streamId: event.streamId, streamVersion: event.streamVersion };
    if (eventIds.has(event.eventId)) {
      problems.push({ kind: 'duplicate_event', ...at, detail: `event ${event.eventId} twice` });
    }
    eventIds.add(event.eventId);
    const previous = streams.get(event.streamId) ?? {
      type: event.streamType,
      version: 0,
      hash: GENESIS_HASH,
    };
    if (event.streamType !== previous.type) {
      problems.push({
        kind: 'malformed',
        ...at,
        detail: `stream type ${event.streamType}, earlier lines say ${previous.type}`,
      });
    }
    if (event.streamVersion !== previous.version + 1) {
      problems.push({
        kind: 'version_gap',
        ...at,
        detail:
          previous.version === 0
            ? `the stream starts at version ${event.streamVersion}: only whole streams can be imported`
            : `expected version ${previous.version + 1}, found ${event.streamVersion}`,
      });
    }
    const prevHash = Buffer.from(event.prevHash, 'hex');
    if (!prevHash.equals(previous.hash)) {
      problems.push({
        kind: 'chain_break',
        ...at,
        detail: "prevHash is not the previous event's hash",
      });
    }
    const body = encodeBody({
      eventId: event.eventId,
      type: event.type,
      schemaVersion: event.schemaVersion,
      data: event.data,
      metadata: event.metadata,
      occurredAt: event.occurredAt === null ? null : new Date(event.occurredAt),
    });
    const expected = chainHash(
      prevHash,
      {
        streamId: event.streamId,
        streamType: event.streamType,
        streamVersion: event.streamVersion,
        recordedAt: new Date(event.recordedAt),
      },
      body.hash,
    );
    const hash = Buffer.from(event.hash, 'hex');
    if (!expected.equals(hash)) {
      problems.push({
        kind: 'hash_mismatch',
        ...at,
        detail: 'the hash does not match the event as given',
      });
    }
    streams.set(event.streamId, { type: previous.type, version: event.streamVersion, hash });
  }
  return problems;
}

const IMPORT_SQL = `SELECT stream_version, global_position
  FROM import_events($1, $2, $3, $4::uuid[], $5::text[], $6::integer[], $7::jsonb, $8::jsonb,
                     $9::timestamptz[], $10::timestamptz[], $11::bytea[], $12::bytea[], $13::bytea[])`;

/** Consecutive events of one stream: one import_events call each, in file (feed) order. */
function runsOf(entries: readonly ImportEntry[]): ImportEntry[][] {
  const runs: ImportEntry[][] = [];
  for (const entry of entries) {
    const current = runs[runs.length - 1];
    if (current && current[0].event.streamId === entry.event.streamId) current.push(entry);
    else runs.push([entry]);
  }
  return runs;
}

/**
 * Inserts the events in file order in one transaction, keeping their ids, versions, times and
 * hashes (positions are the database's own). Throws ImportRefused, having written nothing, when
 * the file does not verify or the database holds any of its streams or event ids already.
 */
export async function importEvents(
  pool: Pool,
  entries: readonly ImportEntry[],
): Promise<ImportResult> {
  if (entries.length === 0) throw new ImportRefused([{ kind: 'malformed', detail: 'no events' }]);
  const fileProblems = checkExportedChains(entries);
  if (fileProblems.length > 0) throw new ImportRefused(fileProblems);

  const streamIds = [...new Set(entries.map((e) => e.event.streamId))];
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const problems: ImportProblem[] = [];
    const streams = await client.query<{ stream_id: string }>(
      'SELECT stream_id FROM streams WHERE stream_id = ANY ($1::text[]) ORDER BY stream_id',
      [streamIds],
    );
    for (const { stream_id } of streams.rows) {
      problems.push({ kind: 'stream_exists', streamId: stream_id, detail: 'the stream exists' });
    }
    // Ids taken by events of other streams (those of a stream that exists are said already).
    const events = await client.query<{ event_id: string; stream_id: string }>(
      `SELECT event_id, stream_id FROM events
        WHERE event_id = ANY ($1::uuid[]) AND stream_id <> ALL ($2::text[]) ORDER BY event_id`,
      [entries.map((e) => e.event.eventId), streams.rows.map((r) => r.stream_id)],
    );
    for (const { event_id, stream_id } of events.rows) {
      problems.push({
        kind: 'event_exists',
        streamId: stream_id,
        detail: `event ${event_id} exists already`,
      });
    }
    if (problems.length > 0) throw new ImportRefused(problems);

    const positions: number[] = [];
    for (const run of runsOf(entries)) {
      const first = run[0].event;
      const bodies = run.map(({ event }) =>
        encodeBody({
          eventId: event.eventId,
          type: event.type,
          schemaVersion: event.schemaVersion,
          data: event.data,
          metadata: event.metadata,
          occurredAt: event.occurredAt === null ? null : new Date(event.occurredAt),
        }),
      );
      const { rows } = await client.query<{ global_position: string }>(IMPORT_SQL, [
        first.streamId,
        first.streamType,
        first.streamVersion,
        run.map((e) => e.event.eventId),
        run.map((e) => e.event.type),
        run.map((e) => e.event.schemaVersion),
        `[${bodies.map((b) => b.dataJson).join(',')}]`,
        `[${bodies.map((b) => b.metadataJson).join(',')}]`,
        run.map((e) => (e.event.occurredAt === null ? null : new Date(e.event.occurredAt))),
        run.map((e) => new Date(e.event.recordedAt)),
        bodies.map((b) => b.hash),
        run.map((e) => Buffer.from(e.event.prevHash, 'hex')),
        run.map((e) => Buffer.from(e.event.hash, 'hex')),
      ]);
      positions.push(...rows.map((r) => Number(r.global_position)));
    }
    await client.query('COMMIT');
    return {
      events: positions.length,
      streams: streamIds.length,
      firstPosition: positions[0],
      lastPosition: positions[positions.length - 1],
    };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw refusal(err) ?? err;
  } finally {
    client.release();
  }
}

/** What the database refused, as an import problem (a concurrent writer, or a chain SQL rejects). */
function refusal(err: unknown): ImportRefused | null {
  if (err instanceof ImportRefused) return err;
  const e = err as { code?: string; message?: string; constraint?: string };
  if (e.code === 'CL409')
    return new ImportRefused([{ kind: 'stream_exists', detail: e.message ?? '' }]);
  if (e.code === 'CL422')
    return new ImportRefused([{ kind: 'hash_mismatch', detail: e.message ?? '' }]);
  if (e.code === '23505' && e.constraint === 'events_event_id_key') {
    return new ImportRefused([{ kind: 'event_exists', detail: e.message ?? '' }]);
  }
  return null;
}
