// A pool's checked-out client whose connection is lost (a PostgreSQL restart) fails its next query
// and is destroyed on release; the process goes on.
import { Client } from 'pg';
import { createTestDatabase, TestDatabase } from '../../../../test/support/test-database';
import { ADMIN_URL } from '../../../../test/support/test-environment';

describe('createPool', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase(4);
  });
  afterAll(() => db.drop());

  it('a checked-out client whose backend is terminated between two queries does not crash the process', async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (err: unknown) => void uncaught.push(err);
    process.on('uncaughtException', onUncaught);
    const admin = new Client({ connectionString: ADMIN_URL });
    await admin.connect();
    try {
      const client = await db.pool.connect();
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await admin.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
      await new Promise((r) => setTimeout(r, 300));
      await expect(client.query('SELECT 1')).rejects.toThrow();
      client.release();
      expect(uncaught).toEqual([]);
      expect(db.pool.totalCount - db.pool.idleCount).toBe(0);
      // The pool hands out a working connection next.
      expect((await db.pool.query<{ one: number }>('SELECT 1 AS one')).rows[0].one).toBe(1);
    } finally {
      process.off('uncaughtException', onUncaught);
      await admin.end();
    }
  });
});
