// `cli export <agreementId> [--out file]`: every event of an agreement's streams as NDJSON, in
// feed order, from one snapshot. Which streams belong to an agreement is domain knowledge (each
// stream's first event names its agreement), so it is decided here and not in the event store.
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import type { Pool, PoolClient } from 'pg';
import { readStreamsForExport } from '@app/event-store';
import type { CliIo } from './cli';
import { EXIT_OK, EXIT_PROBLEM } from './exit-codes';

/** The agreement's stream, its obligations' and its violations' (found by their first events). */
async function agreementStreamIds(client: PoolClient, agreementId: string): Promise<string[]> {
  const { rows } = await client.query<{ stream_id: string }>(
    `SELECT stream_id FROM events WHERE data->>'agreementId' = $1 AND stream_version = 1
      ORDER BY stream_id`,
    [agreementId],
  );
  return rows.map((r) => r.stream_id);
}

/** Writes lines to a file that only takes its name once it is complete. */
function fileSink(path: string) {
  const partial = `${path}.partial`;
  const stream = createWriteStream(partial, { encoding: 'utf8' });
  return {
    write: (line: string) =>
      new Promise<void>((done, fail) =>
        stream.write(`${line}\n`, (err) => (err ? fail(err) : done())),
      ),
    finish: async () => {
      await new Promise<void>((done, fail) =>
        stream.end((err?: Error | null) => (err ? fail(err) : done())),
      );
      await rename(partial, path);
    },
    abandon: async () => {
      stream.destroy();
      await rm(partial, { force: true });
    },
  };
}

export async function runExport(
  pool: Pool,
  command: { agreementId: string; out?: string },
  io: CliIo,
): Promise<number> {
  const client = await pool.connect();
  const sink = command.out ? fileSink(command.out) : null;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const streamIds = await agreementStreamIds(client, command.agreementId);
    if (streamIds.length === 0) {
      await client.query('COMMIT');
      await sink?.abandon();
      io.err(`No agreement ${command.agreementId}: no stream names it.`);
      return EXIT_PROBLEM;
    }
    let events = 0;
    for await (const page of readStreamsForExport(client, streamIds)) {
      for (const event of page) {
        const line = JSON.stringify(event);
        if (sink) await sink.write(line);
        else io.out(line);
      }
      events += page.length;
    }
    await client.query('COMMIT');
    await sink?.finish();
    const summary = `Exported ${events} events of ${streamIds.length} streams of agreement ${command.agreementId}`;
    // Without --out, stdout carries the events only.
    if (command.out) io.out(`${summary} to ${command.out}.`);
    else io.err(`${summary}.`);
    return EXIT_OK;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    await sink?.abandon();
    throw err;
  } finally {
    client.release();
  }
}
