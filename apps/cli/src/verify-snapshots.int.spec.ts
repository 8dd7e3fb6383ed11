// `verify` checks replay snapshots against their events, and `verify --snapshots` folds them again
// from nothing: a snapshot whose rows were altered is named, with exit code 1, and rejected.
import { EventStore } from '@app/event-store';
import { listSnapshots, ReplaySnapshotter } from '@app/projections';
import * as fx from '@app/testing';
import {
  appendEvents,
  gazaOctober2025,
  waitForVisibleFeed,
} from '../../../libs/projections/src/testing/projection-fixtures';
import { createTestDatabase, TestDatabase } from '../../../test/support/test-database';
import { runCli } from './cli';
import { EXIT_OK, EXIT_PROBLEM } from './exit-codes';

describe('verify and replay snapshots (CLI)', () => {
  let db: TestDatabase;

  const cli = async (argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(
      argv,
      { DATABASE_URL: db.url },
      {
        out: (text) => out.push(text),
        err: (text) => err.push(text),
      },
    );
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    await appendEvents(new EventStore(db.pool), gazaOctober2025());
    await waitForVisibleFeed(db.pool);
    await new ReplaySnapshotter(db.pool, { every: 5 }).run();
  });
  afterAll(() => db.drop());

  it('checks the snapshots with the whole ledger, and folds them again when asked', async () => {
    const count = (await listSnapshots(db.pool)).length;
    const text = await cli(['verify', '--snapshots']);
    expect(text.code).toBe(EXIT_OK);
    expect(text.stdout).toContain(`Checked ${count} replay snapshots against their events.`);
    expect(text.stdout).toContain('OK: every hash chain, seal and replay snapshot verifies.');
    expect(text.stdout).toMatch(
      new RegExp(`Folded ${count} replay snapshots again from \\d+ events`),
    );
    const json = JSON.parse((await cli(['verify', '--snapshots', '--json'])).stdout);
    expect(json).toMatchObject({ ok: true, snapshotsChecked: count, snapshotsRefolded: count });
  });

  it('names a snapshot whose rows were altered, exits 1, and rejects it', async () => {
    const [victim] = await listSnapshots(db.pool, fx.OCT_2025.agreementId);
    await db.pool.query(
      `UPDATE replay_snapshot_rows
          SET rows = jsonb_set(rows, '{0,title}', '"Another agreement"')
        WHERE snapshot_id = $1 AND table_name = 'proj_agreements'`,
      [victim.snapshotId],
    );
    // Its events are intact: only folding again finds it.
    expect((await cli(['verify'])).code).toBe(EXIT_OK);
    const text = await cli(['verify', '--snapshots']);
    expect(text.code).toBe(EXIT_PROBLEM);
    expect(text.stdout).toContain(
      `replay snapshots\n  snapshot ${victim.snapshotId}, position ${victim.globalPosition}: ` +
        `snapshot_mismatch: replay snapshot ${victim.snapshotId} of agreement ` +
        `${fx.OCT_2025.agreementId}: proj_agreements: 1 stored rows differ`,
    );
    const rejected = (await listSnapshots(db.pool)).find((s) => s.snapshotId === victim.snapshotId);
    expect(rejected?.rejectedAt).not.toBeNull();
    // Snapshots built on it before the change are still right.
    const json = JSON.parse((await cli(['verify', '--snapshots', '--json'])).stdout);
    expect(json.problems.map((p: { snapshotId: number }) => p.snapshotId)).toEqual([
      victim.snapshotId,
    ]);
  });
});
