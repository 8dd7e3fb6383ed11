// The service connects as a role that appends to the ledger and can never change it: PostgreSQL
// itself refuses UPDATE, DELETE, TRUNCATE, DROP and ALTER on the ledger tables, while everything
// the apps do (appends, seals, keys, catch-up, rebuilds, as-of replays) works. Start-up sets the
// roles up: the test template as a developer machine does (the local superuser owns), and here
// with an owner that is no superuser, as on managed PostgreSQL.
import { EventStore } from '@app/event-store';
import {
  AgreementReplay,
  getCompliance,
  PROJECTIONS,
  ProjectionRebuilder,
  ProjectionRunner,
} from '@app/projections';
import {
  appendEvents,
  catchUpFully,
  dumpProjections,
  gazaOctober2025,
} from '@app/projections/testing/projection-fixtures';
import * as fx from '@app/testing';
import { Client, Pool } from 'pg';
import { createTestDatabase, TestDatabase } from '../../../../test/support/test-database';
import { ADMIN_URL, runId, serviceRoleName } from '../../../../test/support/test-environment';
import {
  createApiKey,
  findActiveApiKey,
  hashSecret,
  revokeApiKey,
} from '../api-keys/api-keys.store';
import { createPool, withDatabase } from './connection';
import { prepareDatabase, quoteIdent } from './prepare-database';
import { SERVICE_TABLE_PRIVILEGES } from './service-grants';

const NOW = new Date('2025-10-20T00:00:00.000Z');
const clock = () => NOW;
const INSUFFICIENT_PRIVILEGE = '42501';

describe('the service role (DATABASE_URL)', () => {
  let db: TestDatabase;
  let service: Pool;

  beforeAll(async () => {
    db = await createTestDatabase(2);
    service = createPool(db.serviceUrl, { max: 4 });
    await appendEvents(new EventStore(service), gazaOctober2025());
    await catchUpFully(new ProjectionRunner(service, { now: clock }), service, PROJECTIONS);
  });
  afterAll(async () => {
    await service.end();
    await db.drop();
  });

  const refused = (sql: string) =>
    expect(service.query(sql)).rejects.toMatchObject({ code: INSUFFICIENT_PRIVILEGE });

  it('is the run’s own role, not a superuser, and owns no ledger table', async () => {
    const { rows } = await service.query<{ name: string; superuser: boolean; owned: string[] }>(
      `SELECT current_user AS name, rolsuper AS superuser,
              ARRAY(SELECT relname::text FROM pg_class WHERE relowner = r.oid AND relkind = 'r'
                     ORDER BY relname) AS owned
         FROM pg_roles r WHERE rolname = current_user`,
    );
    expect(rows[0].name).toBe(serviceRoleName());
    expect(rows[0].superuser).toBe(false);
    expect(rows[0].owned.length).toBeGreaterThan(0);
    expect(rows[0].owned.filter((t) => !t.startsWith('proj_'))).toEqual([]);
  });

  it('appends events through the store, alone and in batches, and reads them back', async () => {
    const store = new EventStore(service);
    const event = (n: number) => ({ type: 'Noted', data: { n }, metadata: {}, occurredAt: null });
    const appended = await store.append(
      'agreement-roles-test',
      'agreement',
      [event(1)],
      'no_stream',
    );
    expect(appended.streamVersion).toBe(1);
    const [batched] = await store.appendBatch([
      {
        streamId: 'agreement-roles-test',
        streamType: 'agreement',
        events: [event(2)],
        expected: 1,
      },
    ]);
    expect(batched).toMatchObject({ status: 'fulfilled', value: { streamVersion: 2 } });
    const events = await store.readStream('agreement-roles-test');
    expect(events.map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('may not UPDATE, DELETE or TRUNCATE events or seals: PostgreSQL refuses before the triggers', async () => {
    await new EventStore(service).sealCommitted();
    for (const [table, column] of [
      ['events', 'data'],
      ['ledger_seals', 'sealed_at'],
    ]) {
      await refused(`UPDATE ${table} SET ${column} = ${column}`);
      await refused(`DELETE FROM ${table}`);
      await refused(`TRUNCATE ${table}`);
    }
    // Behind the privileges, the triggers still refuse the owner.
    await expect(db.pool.query(`UPDATE events SET data = '{}'`)).rejects.toMatchObject({
      code: 'CL403',
    });
  });

  it('may not drop or alter a ledger table, switch its trigger off or replace its functions', async () => {
    await refused('DROP TABLE events');
    await refused('ALTER TABLE events ADD COLUMN note text');
    await refused('ALTER TABLE events DISABLE TRIGGER events_append_only');
    await refused('ALTER TABLE ledger_seals DISABLE TRIGGER ledger_seals_append_only');
    await refused(
      'CREATE TRIGGER quiet BEFORE INSERT ON events EXECUTE FUNCTION refuse_ledger_change()',
    );
    await refused('DROP FUNCTION append_events');
    await refused('DROP FUNCTION refuse_ledger_change');
    await refused('DELETE FROM streams');
    await refused('DELETE FROM api_keys');
  });

  it('seals, verifies, keeps API keys and idempotency records', async () => {
    const store = new EventStore(service);
    await store.sealCommitted();
    expect((await store.verify()).ok).toBe(true);
    const key = await createApiKey(service, 'roles test', 'monitor');
    expect(await findActiveApiKey(service, hashSecret(key.key))).toMatchObject({ id: key.id });
    expect((await revokeApiKey(service, key.id))?.revokedAt).not.toBeNull();
    // The write path's idempotency SQL (apps/api/src/common/writes/command-executor.ts).
    const record = [key.id, 'roles-test', Buffer.from('h'), 201, { ok: true }];
    for (let i = 0; i < 2; i++) {
      await service.query(
        `INSERT INTO idempotency_records (api_key_id, idempotency_key, request_hash, response_status, response_body)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
        record,
      );
    }
    const { rows } = await service.query(
      'SELECT response_status FROM idempotency_records WHERE api_key_id = $1',
      [key.id],
    );
    expect(rows).toEqual([{ response_status: 201 }]);
  });

  it('rebuilds every projection (shadow schema, swap, index renames) into the same rows', async () => {
    const before = await dumpProjections(service);
    const rebuilder = new ProjectionRebuilder(service, { now: clock });
    for (const projection of PROJECTIONS) {
      expect((await rebuilder.rebuild(projection)).phase).toBe('swapped');
    }
    expect(await dumpProjections(service)).toEqual(before);
    const { rows } = await service.query<{ owner: string }>(
      `SELECT DISTINCT relowner::regrole::text AS owner FROM pg_class
        WHERE relname LIKE 'proj\\_%' AND relkind = 'r'`,
    );
    expect(rows).toEqual([{ owner: serviceRoleName() }]);
  });

  it('replays an agreement as of a time in temporary tables, as the live tables answer', async () => {
    const id = fx.OCT_2025.agreementId;
    const replayed = await new AgreementReplay(service).run(
      id,
      { asOf: new Date() },
      ({ db: replay }) => getCompliance(replay, id, NOW),
      NOW,
    );
    const live = await getCompliance(service, id, NOW);
    expect(replayed?.parties.length).toBeGreaterThan(0);
    expect(replayed?.parties).toEqual(live?.parties);
  });

  it('has a privilege rule for every table, and every function is SECURITY INVOKER', async () => {
    const { rows: unruled } = await db.pool.query<{ name: string }>(
      `SELECT relname AS name FROM pg_class
        WHERE relnamespace = current_schema()::regnamespace AND relkind IN ('r', 'p')
          AND relname NOT LIKE 'proj\\_%' AND relname <> ALL ($1) AND relname <> 'migrations'`,
      [Object.keys(SERVICE_TABLE_PRIVILEGES)],
    );
    expect(unruled).toEqual([]);
    // A SECURITY DEFINER function would run with the owner's rights, around the grants.
    const { rows: definers } = await db.pool.query(
      `SELECT proname FROM pg_proc WHERE pronamespace = current_schema()::regnamespace AND prosecdef`,
    );
    expect(definers).toEqual([]);
  });
});

describe('start-up with an owner role and a service role', () => {
  const suffix = `${runId()}_${process.pid}`;
  const owner = `ceasefire_test_${suffix}_owner`;
  const serviceRole = `ceasefire_test_${suffix}_svc`;
  const database = `ceasefire_test_${suffix}_roles`;
  const url = (role: string, password: string) => {
    const u = new URL(withDatabase(ADMIN_URL, database));
    u.username = role;
    u.password = password;
    return u.toString();
  };
  const admin = new Client({ connectionString: ADMIN_URL });

  beforeAll(async () => {
    await admin.connect();
    // As on managed PostgreSQL: the owner may create databases and roles but is no superuser.
    await admin.query(`CREATE ROLE ${quoteIdent(owner)} LOGIN CREATEDB CREATEROLE`);
  });
  afterAll(async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`);
    await admin.query(`DROP ROLE IF EXISTS ${quoteIdent(serviceRole)}`);
    await admin.query(`DROP ROLE IF EXISTS ${quoteIdent(owner)}`);
    await admin.end();
  });

  it('creates the service role with the URL’s password, the database and the grants; a later migration still alters a rebuilt read model', async () => {
    const ownerUrl = url(owner, '');
    const serviceUrl = url(serviceRole, 'service-secret');
    const first = await prepareDatabase(ownerUrl, serviceUrl);
    expect(first).toMatchObject({
      role: { name: serviceRole, owner, restricted: true, created: true },
      createdDatabase: true,
    });
    expect(first.migrations.length).toBeGreaterThan(0);
    const { rows } = await admin.query(
      `SELECT rolpassword IS NOT NULL AS has_password, rolsuper, rolcreaterole, rolcreatedb,
              pg_has_role($2, rolname, 'USAGE') AS owner_is_member
         FROM pg_authid WHERE rolname = $1`,
      [serviceRole, owner],
    );
    expect(rows[0]).toEqual({
      has_password: true,
      rolsuper: false,
      rolcreaterole: false,
      rolcreatedb: false,
      owner_is_member: true,
    });

    const service = createPool(serviceUrl, { max: 2 });
    try {
      await appendEvents(new EventStore(service), gazaOctober2025().slice(0, 5));
      await expect(service.query('DELETE FROM events')).rejects.toMatchObject({
        code: INSUFFICIENT_PRIVILEGE,
      });
      const timeline = PROJECTIONS.filter((p) => p.name === 'timeline');
      expect(timeline).toHaveLength(1);
      await new ProjectionRebuilder(service, { now: clock }).rebuild(timeline[0]);
    } finally {
      await service.end();
    }

    // Migrations run as the owner; the rebuilt tables belong to the service.
    const asOwner = new Client({ connectionString: ownerUrl });
    await asOwner.connect();
    try {
      await asOwner.query('ALTER TABLE proj_timeline ADD COLUMN later_migration text');
    } finally {
      await asOwner.end();
    }

    const again = await prepareDatabase(ownerUrl, serviceUrl);
    expect(again).toMatchObject({
      role: { created: false },
      createdDatabase: false,
      migrations: [],
    });
  });
});
