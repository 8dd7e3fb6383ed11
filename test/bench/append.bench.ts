// npm run bench:append — the event store's append beside a raw INSERT into a table of the same
// shape (same columns, indexes and constraints; no triggers), through the same driver at the
// same concurrency, measured in the same run. Rounds alternate raw/library; medians reported.
//   BENCH_SECONDS (default 4) per measurement, BENCH_ROUNDS (default 3).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { AppendBatcher, EventStore } from '@app/event-store';
import {
  createBenchDatabase,
  describeMachine,
  Figure,
  median,
  printTable,
  throughput,
  writeResults,
} from './bench-support';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const BATCH = 100;
const BATCH_CONCURRENCY = 4;

// A violation report of realistic size (about 600 bytes of JSON).
const payload = (i: number) => ({
  violationId: randomUUID(),
  agreementId: 'gaza-2025-10',
  occurredAt: '2025-10-28T14:30:00.000Z',
  location: { name: 'Gaza City, al-Sabra', lat: 31.5, lon: 34.45, precision: 'approximate' },
  category: 'airstrike',
  allegedPartyId: 'israel',
  description: `Strike reported on a residential building (report ${i}).`,
  casualties: { killed: 1, injured: 4 },
  sources: [
    { name: 'Gaza Health Ministry', kind: 'official' },
    { name: 'Reuters', kind: 'media' },
  ],
});
const metadata = {
  actor: { keyId: 'bench', name: 'bench', role: 'monitor' },
  correlationId: randomUUID(),
};

const RAW_INSERT = `INSERT INTO raw_events (event_id, stream_id, stream_type, stream_version, event_type, schema_version,
  data, metadata, occurred_at, recorded_at, prev_hash, hash)
  VALUES ($1, $2, 'violation', $3, 'ViolationReported', 1, $4, $5, $6, now(), $7, $8)`;
const RAW_BATCH = `INSERT INTO raw_events (event_id, stream_id, stream_type, stream_version, event_type, schema_version,
  data, metadata, occurred_at, recorded_at, prev_hash, hash)
  SELECT u.event_id, $2, 'violation', u.version, 'ViolationReported', 1, u.data, u.metadata, u.occurred_at, now(), u.prev_hash, u.hash
    FROM unnest($1::uuid[], $3::integer[], $4::jsonb[], $5::jsonb[], $6::timestamptz[], $7::bytea[], $8::bytea[])
         AS u(event_id, version, data, metadata, occurred_at, prev_hash, hash)`;

async function main(): Promise<void> {
  const db = await createBenchDatabase('append', 80);
  try {
    await db.pool.query('CREATE TABLE raw_events (LIKE events INCLUDING ALL)');
    const store = new EventStore(db.pool);
    const machine = await describeMachine(db.pool);
    const run = `r${Date.now().toString(36)}`;
    const occurredAt = new Date('2025-10-28T14:30:00Z');
    // Raw rows carry a hash too, computed the cheapest way, so the row sizes match.
    const fakeHash = () => createHash('sha256').update(randomBytes(8)).digest();

    const single = async (concurrency: number, round: number) => {
      const versions = new Array(concurrency).fill(0);
      const raw = await throughput(concurrency, SECONDS, async (w) => {
        versions[w] += 1;
        await db.pool.query({
          name: 'raw_insert',
          text: RAW_INSERT,
          values: [
            randomUUID(),
            `raw-${run}-${round}-${concurrency}-${w}`,
            versions[w],
            JSON.stringify(payload(versions[w])),
            JSON.stringify(metadata),
            occurredAt,
            fakeHash(),
            fakeHash(),
          ],
        });
        return 1;
      });
      const libVersions = new Array(concurrency).fill(0);
      const lib = await throughput(concurrency, SECONDS, async (w) => {
        await store.append(
          `violation-${run}-${round}-${concurrency}-${w}`,
          'violation',
          [{ type: 'ViolationReported', data: payload(libVersions[w]), metadata, occurredAt }],
          libVersions[w],
        );
        libVersions[w] += 1;
        return 1;
      });
      // The same single-event appends through AppendBatcher: what the API's write path does
      // (concurrent appends share round trips and commits).
      const batcher = new AppendBatcher(store);
      const grouped = new Array(concurrency).fill(0);
      const batched = await throughput(concurrency, SECONDS, async (w) => {
        await batcher.append(
          `grouped-${run}-${round}-${concurrency}-${w}`,
          'violation',
          [{ type: 'ViolationReported', data: payload(grouped[w]), metadata, occurredAt }],
          grouped[w],
        );
        grouped[w] += 1;
        return 1;
      });
      return { raw, lib, batched };
    };

    const batch = async (round: number) => {
      const versions = new Array(BATCH_CONCURRENCY).fill(0);
      const raw = await throughput(BATCH_CONCURRENCY, SECONDS, async (w) => {
        const from = versions[w];
        versions[w] += BATCH;
        const idx = Array.from({ length: BATCH }, (_, i) => i);
        await db.pool.query({
          name: 'raw_batch',
          text: RAW_BATCH,
          values: [
            idx.map(() => randomUUID()),
            `rawb-${run}-${round}-${w}`,
            idx.map((i) => from + i + 1),
            idx.map((i) => JSON.stringify(payload(from + i))),
            idx.map(() => JSON.stringify(metadata)),
            idx.map(() => occurredAt),
            idx.map(() => fakeHash()),
            idx.map(() => fakeHash()),
          ],
        });
        return BATCH;
      });
      const libVersions = new Array(BATCH_CONCURRENCY).fill(0);
      const lib = await throughput(BATCH_CONCURRENCY, SECONDS, async (w) => {
        const from = libVersions[w];
        await store.append(
          `violationb-${run}-${round}-${w}`,
          'violation',
          Array.from({ length: BATCH }, (_, i) => ({
            type: 'ViolationReported',
            data: payload(from + i),
            metadata,
            occurredAt,
          })),
          from,
        );
        libVersions[w] += BATCH;
        return BATCH;
      });
      return { raw, lib };
    };

    const samples: Record<string, { raw: number[]; lib: number[] }> = {};
    const record = (key: string, r: { raw: number; lib: number; batched?: number }) => {
      samples[key] ??= { raw: [], lib: [] };
      samples[key].raw.push(r.raw);
      samples[key].lib.push(r.lib);
      if (r.batched !== undefined) {
        samples[`${key}-batched`] ??= { raw: [], lib: [] };
        samples[`${key}-batched`].raw.push(r.raw);
        samples[`${key}-batched`].lib.push(r.batched);
      }
      console.error(
        `  ${key}: library ${Math.round(r.lib)} ev/s${r.batched === undefined ? '' : `, batched ${Math.round(r.batched)} ev/s`}, raw ${Math.round(r.raw)} ev/s`,
      );
    };
    for (let round = 0; round < ROUNDS; round++) {
      console.error(`round ${round + 1}/${ROUNDS}`);
      for (const c of [1, 16, 64]) record(`single-${c}`, await single(c, round));
      record('batch', await batch(round));
    }

    const fig = (figure: string, key: string, goal: string): Figure => {
      const lib = median(samples[key].lib);
      const raw = median(samples[key].raw);
      return {
        figure,
        value: lib,
        unit: 'events/s',
        baseline: raw,
        ratio: lib / raw,
        goal,
        machine,
      };
    };
    const figures: Figure[] = [
      fig('library single-event append, concurrency 1 (vs raw single-row INSERT)', 'single-1', '-'),
      fig(
        'library single-event append, concurrency 16 (vs raw single-row INSERT)',
        'single-16',
        '>= 0.6 (issue 2), >= 0.8 (issue 7)',
      ),
      fig(
        'library single-event append, concurrency 64 (vs raw single-row INSERT)',
        'single-64',
        '-',
      ),
      fig(
        'single-event append through AppendBatcher (the API write path), concurrency 16 (vs raw single-row INSERT)',
        'single-16-batched',
        '-',
      ),
      fig(
        'single-event append through AppendBatcher (the API write path), concurrency 64 (vs raw single-row INSERT)',
        'single-64-batched',
        '-',
      ),
      fig(
        `library ${BATCH}-event batch append, concurrency ${BATCH_CONCURRENCY} (vs raw multi-row INSERT)`,
        'batch',
        '>= 0.5 (issue 2), >= 0.8 (issue 7)',
      ),
    ];
    const scaleLib = median(samples['single-16'].lib) / median(samples['single-1'].lib);
    const scaleRaw = median(samples['single-16'].raw) / median(samples['single-1'].raw);
    figures.push({
      figure: 'append scaling: throughput at 16 / at 1 (vs the same for raw INSERT)',
      value: scaleLib,
      unit: 'x',
      baseline: scaleRaw,
      ratio: scaleLib / scaleRaw,
      goal: '>= 0.8 (no global lock)',
      machine,
    });

    console.log(
      `\nappend benchmark: ${ROUNDS} rounds of ${SECONDS}s per measurement, medians; ${machine}\n`,
    );
    printTable(figures);
    console.log(`\nwritten to ${writeResults('append', figures)}`);
  } finally {
    await db.drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
