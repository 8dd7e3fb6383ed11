// What an attacker with database superuser rights could do: switch the immutability trigger off,
// change the ledger, switch it on again. Tests use it to show that verify still notices.
import type { Pool } from 'pg';

export async function tamperWithLedger(
  pool: Pool,
  sql: string,
  values: unknown[] = [],
): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('ALTER TABLE events DISABLE TRIGGER events_append_only');
    await client.query(sql, values);
    await client.query('ALTER TABLE events ENABLE TRIGGER events_append_only');
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
