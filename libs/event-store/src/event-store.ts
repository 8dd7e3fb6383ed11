// The event store: append with an expected version, read a stream, read the commit-safe global
// feed, seal the committed prefix, verify chains and seals. It knows nothing of the domain.
import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient, QueryResultRow } from 'pg';
import { EventIdConflict, StreamTypeMismatch, VersionConflict } from './errors';
import { decodeCursor, encodeCursor, FeedPosition, positionText } from './feed-cursor';
import { encodeBody, GENESIS_HASH, sealHash } from './hash-chain';
import type {
  AppendResult,
  ExpectedVersion,
  FeedPage,
  NewEvent,
  Seal,
  StoredEvent,
  VerifyReport,
} from './types';
import { UpcasterRegistry } from './upcasters';
import { verifyIntegrity } from './verify';

/** Anything that runs a query: the pool, or a client inside the caller's transaction. */
export type Queryable = Pick<Pool, 'query'> | PoolClient;

export interface AppendOptions {
  /** Run inside the caller's transaction (for example to store an idempotency key with the events). */
  client?: PoolClient;
}

export interface ReadStreamOptions {
  fromVersion?: number;
  toVersion?: number;
  /** Only events recorded at or before this time (knowledge time, for as-of reads). */
  recordedUntil?: Date;
}

const APPEND_SQL = `SELECT stream_version, global_position, hash, recorded_at
  FROM append_events($1, $2, $3, $4, $5::uuid[], $6::text[], $7::integer[], $8::jsonb, $9::jsonb,
                     $10::timestamptz[], $11::bytea[])`;

export const EVENT_COLUMNS = `global_position, transaction_id, event_id, stream_id, stream_type,
  stream_version, event_type, schema_version, data, metadata, occurred_at, recorded_at, prev_hash, hash`;

const FEED_SQL = `SELECT ${EVENT_COLUMNS} FROM events
  WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
    AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
    AND ($4::text[] IS NULL OR event_type = ANY ($4::text[]))
  ORDER BY transaction_id, global_position
  LIMIT $3`;

/**
 * FEED_SQL, and the last committed position of the whole feed as of the same snapshot (one
 * statement, one snapshot): every row carries the head, and an empty batch is one row of it.
 */
const FEED_TO_HEAD_SQL = `WITH head AS (
    SELECT transaction_id::text AS head_transaction_id, global_position::text AS head_global_position
      FROM events WHERE transaction_id < pg_snapshot_xmin(pg_current_snapshot())
     ORDER BY transaction_id DESC, global_position DESC LIMIT 1),
  batch AS (${FEED_SQL})
  SELECT batch.*, head.* FROM head LEFT JOIN batch ON true
   ORDER BY batch.transaction_id, batch.global_position`;

/** The parameters of FEED_SQL (and FEED_TO_HEAD_SQL): after `from`, at most `limit`, of `types`. */
function feedValues(from: FeedPosition, limit: number, types?: readonly string[]): unknown[] {
  return [
    from.transactionId.toString(),
    from.globalPosition.toString(),
    Math.max(1, Math.min(limit, 10000)),
    types ?? null,
  ];
}

const SEAL_BATCH_LIMIT = 100_000;
const SEAL_LOCK_KEY = 7_310_250_020;

export interface EventRow extends QueryResultRow {
  global_position: string;
  transaction_id: string;
  event_id: string;
  stream_id: string;
  stream_type: string;
  stream_version: number;
  event_type: string;
  schema_version: number;
  data: unknown;
  metadata: Record<string, unknown>;
  occurred_at: Date | null;
  recorded_at: Date;
  prev_hash: Buffer;
  hash: Buffer;
}

export class EventStore {
  constructor(
    private readonly pool: Pool,
    readonly upcasters: UpcasterRegistry = new UpcasterRegistry(),
  ) {}

  async append(
    streamId: string,
    streamType: string,
    events: NewEvent[],
    expected: ExpectedVersion = 'any',
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    const append = prepareAppend(streamId, streamType, events, expected);
    const db = options.client ?? this.pool;
    try {
      const { rows } = await db.query<AppendedRow>({
        name: 'ceasefire_append_events',
        text: APPEND_SQL,
        values: [
          append.streamId,
          append.streamType,
          append.expectedKind,
          append.expectedVersion,
          append.eventIds,
          append.types,
          append.schemaVersions,
          append.dataJson,
          append.metadataJson,
          append.occurredAt,
          append.bodyHashes,
        ],
      });
      return toAppendResult(streamId, append.eventIds, rows, false);
    } catch (err) {
      return this.settleFailure(append, err as AppendFailure, options.client);
    }
  }

  /**
   * Several independent appends in one round trip and one commit; each settles on its own (a
   * result, or the error a lone append would have thrown). Appends are sent in stream order so
   * that concurrent batches lock streams in the same order.
   */
  async appendBatch(
    requests: Array<{
      streamId: string;
      streamType: string;
      events: NewEvent[];
      expected: ExpectedVersion;
    }>,
  ): Promise<Array<PromiseSettledResult<AppendResult>>> {
    const prepared = requests.map((r, index) => {
      try {
        return { index, append: prepareAppend(r.streamId, r.streamType, r.events, r.expected) };
      } catch (err) {
        return { index, error: err };
      }
    });
    const settled: Array<PromiseSettledResult<AppendResult>> = new Array(requests.length);
    const valid = prepared
      .filter(
        (p): p is { index: number; append: PreparedAppend } =>
          'append' in p && p.append !== undefined,
      )
      .sort((x, y) =>
        x.append.streamId < y.append.streamId ? -1 : x.append.streamId > y.append.streamId ? 1 : 0,
      );
    for (const p of prepared)
      if ('error' in p) settled[p.index] = { status: 'rejected', reason: p.error };
    if (valid.length === 0) return settled;
    const payload = `[${valid
      .map(
        ({ append: a }) =>
          `{"streamId":${JSON.stringify(a.streamId)},"streamType":${JSON.stringify(a.streamType)},` +
          `"expectedKind":"${a.expectedKind}","expectedVersion":${a.expectedVersion},` +
          `"eventIds":${JSON.stringify(a.eventIds)},"types":${JSON.stringify(a.types)},` +
          `"schemaVersions":${JSON.stringify(a.schemaVersions)},"data":${a.dataJson},"metadata":${a.metadataJson},` +
          `"occurredAt":${JSON.stringify(a.occurredAt.map((d) => (d ? d.toISOString() : null)))},` +
          `"bodyHashes":${JSON.stringify(a.bodyHashes.map((h) => h.toString('hex')))}}`,
      )
      .join(',')}]`;
    const { rows } = await this.pool.query<{ append_batch: BatchAnswer }>({
      name: 'ceasefire_append_batch',
      text: 'SELECT append_batch FROM append_batch($1::jsonb)',
      values: [payload],
    });
    await Promise.all(
      valid.map(async ({ index, append }, i) => {
        const answer = rows[i].append_batch;
        if (answer.ok) {
          const appended = answer.rows.map((r) => ({
            stream_version: r.v,
            global_position: String(r.p),
            hash: Buffer.from(r.h, 'hex'),
            recorded_at: new Date(r.r),
          }));
          settled[index] = {
            status: 'fulfilled',
            value: toAppendResult(append.streamId, append.eventIds, appended, false),
          };
          return;
        }
        try {
          const value = await this.settleFailure(append, {
            code: answer.code,
            detail: answer.detail ?? undefined,
            constraint: answer.constraint ?? undefined,
            message: `append to ${append.streamId} failed with ${answer.code}`,
          });
          settled[index] = { status: 'fulfilled', value };
        } catch (reason) {
          settled[index] = { status: 'rejected', reason };
        }
      }),
    );
    return settled;
  }

  /** What a failed append means: a replay answered with its first result, or a typed error. */
  private async settleFailure(
    append: PreparedAppend,
    e: AppendFailure,
    client?: PoolClient,
  ): Promise<AppendResult> {
    if (e.code === '23505' && e.constraint === 'events_event_id_key') {
      // Some event id exists: a replay of an earlier append is answered with its result.
      const original = await this.findAppend(append.streamId, append.eventIds, client);
      if (original) return original;
      throw new EventIdConflict(append.streamId);
    }
    if (e.code === 'CL409') {
      // A replay with the expected version it had the first time: the stream has moved on
      // because of that very append.
      const replay = append.callerEventIds
        ? await this.findAppend(append.streamId, append.eventIds, client)
        : null;
      if (replay) return replay;
      throw new VersionConflict(append.streamId, append.expected, Number(e.detail ?? 0));
    }
    if (e.code === 'CL421') throw new StreamTypeMismatch(append.streamId);
    throw e instanceof Error
      ? e
      : Object.assign(new Error(e.message ?? `append failed with ${e.code}`), e);
  }

  /** The stored result of an append of exactly these event ids to this stream, if there was one. */
  private async findAppend(
    streamId: string,
    eventIds: string[],
    client?: PoolClient,
  ): Promise<AppendResult | null> {
    if (client) return null; // the caller's transaction is aborted; it must retry as a whole
    const { rows } = await this.pool.query<AppendedRow & { event_id: string; stream_id: string }>(
      `SELECT event_id, stream_id, stream_version, global_position, hash, recorded_at
         FROM events WHERE event_id = ANY ($1::uuid[]) ORDER BY stream_version`,
      [eventIds],
    );
    if (rows.length !== eventIds.length || rows.some((r) => r.stream_id !== streamId)) return null;
    return toAppendResult(
      streamId,
      rows.map((r) => r.event_id),
      rows,
      true,
    );
  }

  /** The stream's current version (0 when it does not exist). */
  async streamVersion(streamId: string, db: Queryable = this.pool): Promise<number> {
    const { rows } = await db.query<{ version: number }>(
      'SELECT version FROM streams WHERE stream_id = $1',
      [streamId],
    );
    return rows[0]?.version ?? 0;
  }

  async readStream(
    streamId: string,
    options: ReadStreamOptions = {},
    db: Queryable = this.pool,
  ): Promise<StoredEvent[]> {
    const { rows } = await db.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events
        WHERE stream_id = $1 AND stream_version >= $2 AND stream_version <= $3
          AND ($4::timestamptz IS NULL OR recorded_at <= $4)
        ORDER BY stream_version`,
      [
        streamId,
        options.fromVersion ?? 1,
        options.toVersion ?? 2147483647,
        options.recordedUntil ?? null,
      ],
    );
    return rows.map((r) => this.toStoredEvent(r));
  }

  /**
   * The global feed in commit-safe order: (transaction id, position), only below the oldest
   * transaction still running, so an event that commits late is never skipped by a reader that
   * has moved past its position.
   */
  async readFeed(after?: string | null, limit = 100): Promise<FeedPage> {
    const from = decodeCursor(after);
    const rows = await this.readFeedRows(from, limit);
    const last = rows[rows.length - 1];
    return {
      items: rows.map((r) => this.toStoredEvent(r)),
      nextCursor: last ? encodeCursor(rowPosition(last)) : encodeCursor(from),
    };
  }

  /**
   * Feed rows after `from` (see readFeed). With `types`, only events of those types: PostgreSQL
   * skips the others, so a reader that handles few types neither transfers nor parses the rest.
   */
  async readFeedRows(
    from: FeedPosition,
    limit: number,
    db: Queryable = this.pool,
    types?: readonly string[],
  ): Promise<EventRow[]> {
    const { rows } = await db.query<EventRow>({
      name: 'ceasefire_read_feed',
      text: FEED_SQL,
      values: feedValues(from, limit, types),
    });
    return rows;
  }

  /**
   * readFeedRows, with the feed's last committed position as of the same read (null: no event
   * has committed). A reader of some types that gets fewer rows than it asked for has read the
   * feed up to that head, events of other types included: its checkpoint may move there instead
   * of stopping at its last event of its own types, which would leave it behind every later event
   * of other types (a false lag, and a lastPosition held back, until a full reader walks them).
   */
  async readFeedRowsToHead(
    from: FeedPosition,
    limit: number,
    db: Queryable = this.pool,
    types?: readonly string[],
  ): Promise<{ rows: EventRow[]; head: FeedPosition | null }> {
    const { rows } = await db.query<
      EventRow & { head_transaction_id: string; head_global_position: string }
    >({
      name: 'ceasefire_read_feed_to_head',
      text: FEED_TO_HEAD_SQL,
      values: feedValues(from, limit, types),
    });
    const first = rows[0];
    if (!first) return { rows: [], head: null };
    return {
      rows: first.global_position === null ? [] : rows,
      head: {
        transactionId: BigInt(first.head_transaction_id),
        globalPosition: BigInt(first.head_global_position),
      },
    };
  }

  /**
   * Seals the committed, unsealed prefix of the feed (in chunks of at most 100,000 events).
   * Returns the seals written; none when nothing new has committed.
   */
  async sealCommitted(): Promise<Seal[]> {
    const client = await this.pool.connect();
    const written: Seal[] = [];
    try {
      for (;;) {
        await client.query('BEGIN');
        try {
          await client.query('SELECT pg_advisory_xact_lock($1)', [SEAL_LOCK_KEY]);
          const seal = await this.sealNext(client);
          await client.query('COMMIT');
          if (!seal) break;
          written.push(seal);
          if (seal.eventCount < SEAL_BATCH_LIMIT) break;
        } catch (err) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw err;
        }
      }
    } finally {
      client.release();
    }
    return written;
  }

  private async sealNext(client: PoolClient): Promise<Seal | null> {
    const prev = await client.query<SealRow>(
      'SELECT * FROM ledger_seals ORDER BY seal_no DESC LIMIT 1',
    );
    const last = prev.rows[0];
    const from: FeedPosition = last
      ? { transactionId: BigInt(last.to_transaction_id), globalPosition: BigInt(last.to_position) }
      : { transactionId: 0n, globalPosition: 0n };
    const { rows } = await client.query<{
      event_count: string;
      digest: Buffer | null;
      to_transaction_id: string | null;
      to_position: string | null;
    }>(
      `WITH batch AS (
         SELECT transaction_id, global_position, hash FROM events
          WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
            AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
          ORDER BY transaction_id, global_position
          LIMIT $3)
       SELECT count(*) AS event_count,
              sha256(string_agg(hash, ''::bytea ORDER BY transaction_id, global_position)) AS digest,
              (array_agg(transaction_id ORDER BY transaction_id DESC, global_position DESC))[1]::text AS to_transaction_id,
              (array_agg(global_position ORDER BY transaction_id DESC, global_position DESC))[1]::text AS to_position
         FROM batch`,
      [from.transactionId.toString(), from.globalPosition.toString(), SEAL_BATCH_LIMIT],
    );
    const batch = rows[0];
    const eventCount = Number(batch.event_count);
    if (eventCount === 0 || !batch.digest) return null;
    const to: FeedPosition = {
      transactionId: BigInt(batch.to_transaction_id as string),
      globalPosition: BigInt(batch.to_position as string),
    };
    const prevSealHash = last ? last.seal_hash : GENESIS_HASH;
    const hash = sealHash(prevSealHash, batch.digest, {
      from: positionText(from),
      to: positionText(to),
      eventCount,
    });
    const inserted = await client.query<SealRow>(
      `INSERT INTO ledger_seals (seal_no, from_transaction_id, from_position, to_transaction_id, to_position,
                                 event_count, digest, prev_seal_hash, seal_hash)
       VALUES ($1, $2::xid8, $3, $4::xid8, $5, $6, $7, $8, $9) RETURNING *`,
      [
        last ? Number(last.seal_no) + 1 : 1,
        from.transactionId.toString(),
        from.globalPosition.toString(),
        to.transactionId.toString(),
        to.globalPosition.toString(),
        eventCount,
        batch.digest,
        prevSealHash,
        hash,
      ],
    );
    return toSeal(inserted.rows[0]);
  }

  /** Seals, newest first. */
  async listSeals(limit = 50, beforeSealNo?: number): Promise<Seal[]> {
    const { rows } = await this.pool.query<SealRow>(
      `SELECT * FROM ledger_seals WHERE ($1::bigint IS NULL OR seal_no < $1)
        ORDER BY seal_no DESC LIMIT $2`,
      [beforeSealNo ?? null, limit],
    );
    return rows.map(toSeal);
  }

  /** Recomputes every chain (or one stream's) and, for a full check, every seal. */
  verify(options: { streamId?: string } = {}): Promise<VerifyReport> {
    return verifyIntegrity(this.pool, options);
  }

  toStoredEvent(r: EventRow): StoredEvent {
    const { schemaVersion, data } = this.upcasters.upcast(r.event_type, r.schema_version, r.data);
    return {
      position: Number(r.global_position),
      transactionId: r.transaction_id,
      eventId: r.event_id,
      streamId: r.stream_id,
      streamType: r.stream_type,
      streamVersion: r.stream_version,
      type: r.event_type,
      schemaVersion,
      data,
      metadata: r.metadata,
      occurredAt: r.occurred_at,
      recordedAt: r.recorded_at,
      prevHash: r.prev_hash.toString('hex'),
      hash: r.hash.toString('hex'),
    };
  }
}

interface AppendFailure {
  code?: string;
  detail?: string;
  constraint?: string;
  message?: string;
}

interface BatchAnswer {
  ok: boolean;
  rows: Array<{ v: number; p: number; h: string; r: string }>;
  code?: string;
  detail?: string | null;
  constraint?: string | null;
}

/** An append encoded once: what both the single and the batched path send. */
interface PreparedAppend {
  streamId: string;
  streamType: string;
  expected: ExpectedVersion;
  expectedKind: 'exact' | 'no_stream' | 'stream_exists' | 'any';
  expectedVersion: number;
  eventIds: string[];
  /** Whether the caller chose the event ids (only then can a conflict be a replay). */
  callerEventIds: boolean;
  types: string[];
  schemaVersions: number[];
  /** Canonical JSON is JSON: the arrays are assembled as text, with no second serialisation. */
  dataJson: string;
  metadataJson: string;
  occurredAt: Array<Date | null>;
  bodyHashes: Buffer[];
}

function prepareAppend(
  streamId: string,
  streamType: string,
  events: NewEvent[],
  expected: ExpectedVersion,
): PreparedAppend {
  if (events.length === 0) throw new Error('append needs at least one event');
  if (typeof expected === 'number' && (!Number.isInteger(expected) || expected < 0)) {
    throw new Error(`expected version must be a non-negative integer, got ${expected}`);
  }
  const encoded = events.map((e) => {
    const occurredAt = e.occurredAt == null ? null : new Date(e.occurredAt);
    if (occurredAt && Number.isNaN(occurredAt.getTime())) throw new Error('invalid occurredAt');
    const body = {
      eventId: (e.eventId ?? randomUUID()).toLowerCase(),
      type: e.type,
      schemaVersion: e.schemaVersion ?? 1,
      data: e.data,
      metadata: e.metadata ?? {},
      occurredAt,
    };
    return { ...body, encoded: encodeBody(body) };
  });
  return {
    streamId,
    streamType,
    expected,
    expectedKind: typeof expected === 'number' ? 'exact' : expected,
    expectedVersion: typeof expected === 'number' ? expected : 0,
    eventIds: encoded.map((e) => e.eventId),
    callerEventIds: events.some((e) => e.eventId),
    types: encoded.map((e) => e.type),
    schemaVersions: encoded.map((e) => e.schemaVersion),
    dataJson: `[${encoded.map((e) => e.encoded.dataJson).join(',')}]`,
    metadataJson: `[${encoded.map((e) => e.encoded.metadataJson).join(',')}]`,
    occurredAt: encoded.map((e) => e.occurredAt),
    bodyHashes: encoded.map((e) => e.encoded.hash),
  };
}

interface AppendedRow extends QueryResultRow {
  stream_version: number;
  global_position: string;
  hash: Buffer;
  recorded_at: Date;
}

function toAppendResult(
  streamId: string,
  eventIds: string[],
  rows: AppendedRow[],
  duplicate: boolean,
): AppendResult {
  const last = rows[rows.length - 1];
  return {
    streamId,
    streamVersion: last.stream_version,
    firstPosition: Number(rows[0].global_position),
    lastPosition: Number(last.global_position),
    duplicate,
    recordedAt: last.recorded_at,
    events: rows.map((r, i) => ({
      eventId: eventIds[i],
      streamVersion: r.stream_version,
      position: Number(r.global_position),
      hash: r.hash.toString('hex'),
    })),
  };
}

export function rowPosition(r: Pick<EventRow, 'transaction_id' | 'global_position'>): FeedPosition {
  return { transactionId: BigInt(r.transaction_id), globalPosition: BigInt(r.global_position) };
}

export interface SealRow extends QueryResultRow {
  seal_no: string;
  from_transaction_id: string;
  from_position: string;
  to_transaction_id: string;
  to_position: string;
  event_count: string;
  digest: Buffer;
  prev_seal_hash: Buffer;
  seal_hash: Buffer;
  sealed_at: Date;
}

function toSeal(r: SealRow): Seal {
  return {
    sealNo: Number(r.seal_no),
    fromCursor: encodeCursor({
      transactionId: BigInt(r.from_transaction_id),
      globalPosition: BigInt(r.from_position),
    }),
    toCursor: encodeCursor({
      transactionId: BigInt(r.to_transaction_id),
      globalPosition: BigInt(r.to_position),
    }),
    toPosition: Number(r.to_position),
    eventCount: Number(r.event_count),
    digest: r.digest.toString('hex'),
    prevSealHash: r.prev_seal_hash.toString('hex'),
    sealHash: r.seal_hash.toString('hex'),
    sealedAt: r.sealed_at,
  };
}
