// Integrity verification: recompute every stream's hash chain from what PostgreSQL gives back,
// compare stream heads, and recompute every ledger seal over the feed.
import type { Pool } from 'pg';
import { bodyHash, chainHash, GENESIS_HASH, sealHash } from './hash-chain';
import { positionText } from './feed-cursor';
import type { EventRow, SealRow } from './event-store';
import type { IntegrityProblem, VerifyReport } from './types';

const PAGE = 5000;

interface StreamHead {
  stream_id: string;
  version: number;
}

export async function verifyIntegrity(
  pool: Pool,
  options: { streamId?: string },
): Promise<VerifyReport> {
  const problems: IntegrityProblem[] = [];
  const heads = new Map<string, StreamHead>();
  const headRows = await pool.query<StreamHead>(
    `SELECT stream_id, version FROM streams WHERE $1::text IS NULL OR stream_id = $1`,
    [options.streamId ?? null],
  );
  for (const h of headRows.rows) heads.set(h.stream_id, h);

  let eventsChecked = 0;
  const seen = new Set<string>();
  let current: { streamId: string; version: number; hash: Buffer; lastPosition: number } | null =
    null;

  const closeStream = () => {
    if (!current) return;
    const head = heads.get(current.streamId);
    if (!head) {
      problems.push({
        kind: 'chain_break',
        streamId: current.streamId,
        streamVersion: current.version,
        position: current.lastPosition,
        detail: 'the stream has events but no stream head row',
      });
    } else if (head.version !== current.version) {
      problems.push({
        kind: 'missing_events',
        streamId: current.streamId,
        streamVersion: head.version,
        detail: `the stream head says version ${head.version} but its events end at version ${current.version}`,
      });
    }
  };

  let after = { streamId: '', version: 0 };
  for (;;) {
    const { rows } = await pool.query<EventRow>(
      `SELECT global_position, transaction_id, event_id, stream_id, stream_type, stream_version, event_type,
              schema_version, data, metadata, occurred_at, recorded_at, prev_hash, hash
         FROM events
        WHERE (stream_id, stream_version) > ($1, $2) AND ($3::text IS NULL OR stream_id = $3)
        ORDER BY stream_id, stream_version
        LIMIT $4`,
      [after.streamId, after.version, options.streamId ?? null, PAGE],
    );
    for (const r of rows) {
      eventsChecked += 1;
      const position = Number(r.global_position);
      if (!current || current.streamId !== r.stream_id) {
        closeStream();
        seen.add(r.stream_id);
        current = { streamId: r.stream_id, version: 0, hash: GENESIS_HASH, lastPosition: position };
      }
      if (r.stream_version !== current.version + 1) {
        problems.push({
          kind: 'version_gap',
          streamId: r.stream_id,
          streamVersion: r.stream_version,
          position,
          detail: `expected version ${current.version + 1}, found ${r.stream_version}`,
        });
      }
      if (!r.prev_hash.equals(current.hash)) {
        problems.push({
          kind: 'chain_break',
          streamId: r.stream_id,
          streamVersion: r.stream_version,
          position,
          detail: "prev_hash is not the previous event's hash",
        });
      }
      const body = bodyHash({
        eventId: r.event_id,
        type: r.event_type,
        schemaVersion: r.schema_version,
        data: r.data,
        metadata: r.metadata,
        occurredAt: r.occurred_at,
      });
      const expected = chainHash(
        r.prev_hash,
        {
          streamId: r.stream_id,
          streamType: r.stream_type,
          streamVersion: r.stream_version,
          recordedAt: r.recorded_at,
        },
        body,
      );
      if (!expected.equals(r.hash)) {
        problems.push({
          kind: 'hash_mismatch',
          streamId: r.stream_id,
          streamVersion: r.stream_version,
          position,
          detail: 'the stored hash does not match the event as stored',
        });
      }
      current = {
        streamId: r.stream_id,
        version: r.stream_version,
        hash: r.hash,
        lastPosition: position,
      };
    }
    if (rows.length < PAGE) break;
    const last = rows[rows.length - 1];
    after = { streamId: last.stream_id, version: last.stream_version };
  }
  closeStream();

  for (const head of heads.values()) {
    if (!seen.has(head.stream_id) && head.version > 0) {
      problems.push({
        kind: 'missing_events',
        streamId: head.stream_id,
        streamVersion: head.version,
        detail: `the stream head says version ${head.version} but no event of the stream is stored`,
      });
    }
  }

  const sealsChecked = options.streamId ? 0 : await verifySeals(pool, problems);
  return {
    ok: problems.length === 0,
    streamsChecked: new Set([...seen, ...heads.keys()]).size,
    eventsChecked,
    sealsChecked,
    problems,
  };
}

async function verifySeals(pool: Pool, problems: IntegrityProblem[]): Promise<number> {
  let prevHash: Buffer = GENESIS_HASH;
  let prevTo = { tx: '0', pos: '0' };
  let checked = 0;
  let afterSeal = 0;
  for (;;) {
    const { rows } = await pool.query<SealRow>(
      'SELECT * FROM ledger_seals WHERE seal_no > $1 ORDER BY seal_no LIMIT 500',
      [afterSeal],
    );
    for (const s of rows) {
      checked += 1;
      const sealNo = Number(s.seal_no);
      const position = Number(s.to_position);
      if (
        !s.prev_seal_hash.equals(prevHash) ||
        s.from_transaction_id !== prevTo.tx ||
        s.from_position !== prevTo.pos
      ) {
        problems.push({
          kind: 'seal_mismatch',
          sealNo,
          position,
          detail: `seal ${sealNo} does not continue seal ${sealNo - 1}`,
        });
      }
      const { rows: agg } = await pool.query<{ event_count: string; digest: Buffer | null }>(
        `SELECT count(*) AS event_count,
                sha256(string_agg(hash, ''::bytea ORDER BY transaction_id, global_position)) AS digest
           FROM events
          WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
            AND (transaction_id, global_position) <= ($3::xid8, $4::bigint)`,
        [s.from_transaction_id, s.from_position, s.to_transaction_id, s.to_position],
      );
      const count = Number(agg[0].event_count);
      const sealedCount = Number(s.event_count);
      if (count < sealedCount) {
        problems.push({
          kind: 'missing_events',
          sealNo,
          position,
          detail: `seal ${sealNo} covers ${sealedCount} events; ${sealedCount - count} of them are gone`,
        });
      } else if (count > sealedCount || !agg[0].digest || !agg[0].digest.equals(s.digest)) {
        problems.push({
          kind: 'seal_mismatch',
          sealNo,
          position,
          detail: `the events under seal ${sealNo} no longer hash to its digest`,
        });
      }
      const recomputed = sealHash(s.prev_seal_hash, s.digest, {
        from: positionText({
          transactionId: BigInt(s.from_transaction_id),
          globalPosition: BigInt(s.from_position),
        }),
        to: positionText({
          transactionId: BigInt(s.to_transaction_id),
          globalPosition: BigInt(s.to_position),
        }),
        eventCount: sealedCount,
      });
      if (!recomputed.equals(s.seal_hash)) {
        problems.push({
          kind: 'seal_mismatch',
          sealNo,
          position,
          detail: `seal ${sealNo}'s own hash does not match`,
        });
      }
      prevHash = s.seal_hash;
      prevTo = { tx: s.to_transaction_id, pos: s.to_position };
      afterSeal = sealNo;
    }
    if (rows.length < 500) break;
  }
  return checked;
}
