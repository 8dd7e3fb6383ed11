// `cli export` and `cli import` as processes: an agreement written through the API (the demo
// seeder), exported, imported into a fresh database with the same hashes, verified, and projected
// to the same read model; files that do not verify are refused with nothing written.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Pool } from 'pg';
import { getCompliance, PROJECTIONS, ProjectionRunner } from '@app/projections';
import { catchUpFully, dumpProjections } from '@app/projections/testing/projection-fixtures';
import { ApiHarness, ADMIN_SECRET, startApi } from '../../../test/support/api-harness';
import { createTestDatabase, TestDatabase } from '../../../test/support/test-database';
import { seedDemo } from './demo/seed-demo';
import { TS_NODE_ARGS } from '../../../test/support/ts-node';

const ROOT = resolve(__dirname, '../../..');
const AGREEMENT = 'gaza-2025-10';
/** Both databases project with this clock, so time-driven statuses are comparable. */
const PROJECTED_AT = new Date('2026-02-01T00:00:00Z');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], databaseUrl: string): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [...TS_NODE_ARGS, 'apps/cli/src/main.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/** The ledger as stored, minus what each database hands out itself (positions, transactions). */
async function storedEvents(pool: Pool, streamIds?: string[]) {
  const { rows } = await pool.query(
    `SELECT stream_id, stream_type, stream_version, event_id, event_type, schema_version, data,
            metadata, occurred_at, recorded_at, encode(prev_hash, 'hex') AS prev_hash,
            encode(hash, 'hex') AS hash
       FROM events WHERE $1::text[] IS NULL OR stream_id = ANY ($1::text[])
      ORDER BY transaction_id, global_position`,
    [streamIds ?? null],
  );
  return rows;
}

async function streamHeads(pool: Pool, streamIds: string[]) {
  const { rows } = await pool.query(
    `SELECT * FROM streams WHERE stream_id = ANY ($1::text[]) ORDER BY stream_id`,
    [streamIds],
  );
  return rows;
}

/** The agreement's read model rows, without identity, feed-position and computation columns. */
async function agreementRows(pool: Pool) {
  const dump = await dumpProjections(pool, [
    'seq',
    'updated_at',
    'status_computed_at',
    'position',
    'transaction_id',
  ]);
  return Object.fromEntries(
    Object.entries(dump).map(([table, rows]) => [
      table,
      rows.filter((r) => (r as { agreement_id?: string }).agreement_id === AGREEMENT),
    ]),
  );
}

const project = (pool: Pool) =>
  catchUpFully(new ProjectionRunner(pool, { now: () => PROJECTED_AT }), pool, PROJECTIONS);

describe('cli export / import (process)', () => {
  let api: ApiHarness;
  let dir: string;
  let file: string;
  let streamIds: string[];
  const fresh: TestDatabase[] = [];
  const freshDatabase = async () => {
    const db = await createTestDatabase(3);
    fresh.push(db);
    return db;
  };
  const eventCount = async (pool: Pool) =>
    Number((await pool.query('SELECT count(*) FROM events')).rows[0].count);

  beforeAll(async () => {
    api = await startApi();
    await api.app.listen(0, '127.0.0.1');
    const { port } = api.app.getHttpServer().address() as AddressInfo;
    // Both agreements, so the export has to pick the October one's streams out of the ledger.
    await seedDemo({ apiUrl: `http://127.0.0.1:${port}`, apiKey: ADMIN_SECRET });
    dir = await mkdtemp(join(tmpdir(), 'ceasefire-export-'));
    file = join(dir, `${AGREEMENT}.ndjson`);
    const { rows } = await api.db.pool.query<{ stream_id: string }>(
      `SELECT stream_id FROM events WHERE data->>'agreementId' = $1 AND stream_version = 1`,
      [AGREEMENT],
    );
    streamIds = rows.map((r) => r.stream_id);
  });
  afterAll(async () => {
    await Promise.all(fresh.map((db) => db.drop()));
    await api.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('exports every stream of the agreement in feed order, to a file or to stdout', async () => {
    const run = await cli(['export', AGREEMENT, '--out', file], api.db.url);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Exported 28 events of 17 streams of agreement ${AGREEMENT}`);
    const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(28);
    const events = lines.map((l) => JSON.parse(l));
    expect(new Set(events.map((e) => e.streamId))).toEqual(new Set(streamIds));
    expect(events[0]).toMatchObject({
      streamId: `agreement-${AGREEMENT}`,
      streamVersion: 1,
      type: 'AgreementRegistered',
      schemaVersion: 1,
      prevHash: '0'.repeat(64),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      recordedAt: expect.stringMatching(/\.\d{3}Z$/),
    });
    expect(Object.keys(events[0]).sort()).toEqual(
      [
        'eventId',
        'streamId',
        'streamType',
        'streamVersion',
        'type',
        'schemaVersion',
        'data',
        'metadata',
        'occurredAt',
        'recordedAt',
        'prevHash',
        'hash',
      ].sort(),
    );

    const toStdout = await cli(['export', AGREEMENT], api.db.url);
    expect(toStdout.code).toBe(0);
    expect(toStdout.stdout).toBe(`${lines.join('\n')}\n`);
    expect(toStdout.stderr).toContain('Exported 28 events');

    const missing = await cli(['export', 'no-such-agreement', '--out', join(dir, 'x')], api.db.url);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('No agreement no-such-agreement');
    await expect(readFile(join(dir, 'x'))).rejects.toThrow();
  });

  it('imports into an empty database with the same hashes, verifies clean, projects the same', async () => {
    const target = await freshDatabase();
    const run = await cli(['import', file], target.url);
    expect(run.stdout).toContain('Imported 28 events in 17 streams');
    expect(run.code).toBe(0);

    expect(await storedEvents(target.pool)).toEqual(await storedEvents(api.db.pool, streamIds));
    expect(await streamHeads(target.pool, streamIds)).toEqual(
      await streamHeads(api.db.pool, streamIds),
    );
    const verify = await cli(['verify', '--json'], target.url);
    expect(verify.code).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({
      ok: true,
      streamsChecked: 17,
      eventsChecked: 28,
    });

    await project(api.db.pool);
    await project(target.pool);
    const rows = await agreementRows(target.pool);
    expect(rows).toEqual(await agreementRows(api.db.pool));
    expect(rows.proj_obligations).toHaveLength(12);
    expect(rows.proj_violations).toHaveLength(4);
    expect(rows.proj_timeline).toHaveLength(28);
    const { lastPosition: _source, ...expected } = (await getCompliance(
      api.db.pool,
      AGREEMENT,
      PROJECTED_AT,
    ))!;
    const { lastPosition: _target, ...imported } = (await getCompliance(
      target.pool,
      AGREEMENT,
      PROJECTED_AT,
    ))!;
    expect(imported).toEqual(expected);
    expect(imported.parties[0]).toMatchObject({ partyId: 'israel', complianceRate: 2 / 3 });

    // A second import of the same file: the streams exist, nothing is written.
    const again = await cli(['import', file, '--json'], target.url);
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stdout).problems).toContainEqual({
      kind: 'stream_exists',
      streamId: `agreement-${AGREEMENT}`,
      detail: 'the stream exists',
    });
    expect(await eventCount(target.pool)).toBe(28);
  });

  it('refuses a file with an altered event or a missing one, and writes nothing', async () => {
    const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
    const target = await freshDatabase();

    // The first progress report of the living hostages: its stream's version 2.
    const index = lines.findIndex((l) => l.includes('"type":"ProgressReported"'));
    expect(JSON.parse(lines[index])).toMatchObject({
      streamId: 'obligation-oct25-living-hostages',
      streamVersion: 2,
      data: { quantity: 7 },
    });

    const altered = [...lines];
    altered[index] = lines[index].replace('"quantity":7,', '"quantity":70,');
    expect(altered[index]).not.toBe(lines[index]);
    await writeFile(join(dir, 'altered.ndjson'), altered.join('\n'));
    const run = await cli(['import', join(dir, 'altered.ndjson')], target.url);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('Import refused, nothing written: 1 problem');
    expect(run.stdout).toContain(
      `line ${index + 1}, obligation-oct25-living-hostages version 2: hash_mismatch`,
    );

    const gap = lines.filter((_, i) => i !== index);
    await writeFile(join(dir, 'gap.ndjson'), gap.join('\n'));
    const broken = await cli(['import', join(dir, 'gap.ndjson'), '--json'], target.url);
    expect(broken.code).toBe(1);
    expect(JSON.parse(broken.stdout).problems).toEqual([
      expect.objectContaining({ kind: 'version_gap', streamVersion: 3 }),
      expect.objectContaining({ kind: 'chain_break', streamVersion: 3 }),
    ]);

    await writeFile(join(dir, 'garbage.ndjson'), `${lines[0]}\n{"eventId": 1}\n`);
    const garbage = await cli(['import', join(dir, 'garbage.ndjson')], target.url);
    expect(garbage.code).toBe(1);
    expect(garbage.stdout).toContain('line 2: malformed: missing or invalid eventId');

    expect(await eventCount(target.pool)).toBe(0);
    expect((await target.pool.query('SELECT count(*)::int AS n FROM streams')).rows[0].n).toBe(0);

    const absent = await cli(['import', join(dir, 'absent.ndjson')], target.url);
    expect(absent.code).toBe(2);
    expect(absent.stderr).toContain('cannot read');
  });

  it('refuses, in the database too, a hash that does not chain', async () => {
    const target = await freshDatabase();
    const [first] = (await readFile(file, 'utf8')).split('\n').map((l) => JSON.parse(l || '{}'));
    const call = (hash: string) =>
      target.pool.query(
        `SELECT * FROM import_events($1, $2, 1, $3::uuid[], $4::text[], $5::integer[], $6::jsonb,
                $7::jsonb, $8::timestamptz[], $9::timestamptz[], $10::bytea[], $11::bytea[], $12::bytea[])`,
        [
          first.streamId,
          first.streamType,
          [first.eventId],
          [first.type],
          [first.schemaVersion],
          JSON.stringify([first.data]),
          JSON.stringify([first.metadata]),
          [first.occurredAt],
          [first.recordedAt],
          [Buffer.alloc(32)],
          [Buffer.from(first.prevHash, 'hex')],
          [Buffer.from(hash, 'hex')],
        ],
      );
    await expect(call(first.hash)).rejects.toMatchObject({ code: 'CL422' });
    expect(await eventCount(target.pool)).toBe(0);
  });
});
