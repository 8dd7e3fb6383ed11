// The operator CLI: verify the ledger (and the projections and replay snapshots against it), seal
// it, show the latest seal, manage API keys, rebuild a projection, export and import an
// agreement's events. Plain Node over a pg pool, configured by the same environment variables as
// the service.
import type { Pool } from 'pg';
import { ConfigError, validateConfig } from '@app/shared/config';
import { createPool, describeDatabaseUrl } from '@app/shared/database/connection';
import { EventStore, IntegrityProblem, Seal, VerifyReport } from '@app/event-store';
import {
  compareProjections,
  PROJECTIONS,
  SnapshotProblem,
  verifySnapshotEvents,
  verifySnapshotRows,
} from '@app/projections';
import { createApiKey, listApiKeys, revokeApiKey } from '@app/shared/api-keys/api-keys.store';
import { Command, parseCommand, USAGE, UsageError } from './args';
import { EXIT_ERROR, EXIT_OK, EXIT_PROBLEM } from './exit-codes';
import { runExport } from './export-command';
import { runImport } from './import-command';
import { formatComparison, runRebuild } from './projections-command';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

const processIo: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

/** Runs one command and answers its exit code; never throws. */
export async function runCli(
  argv: string[],
  env: Record<string, string | undefined> = process.env,
  io: CliIo = processIo,
): Promise<number> {
  let command: Command;
  try {
    command = parseCommand(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.err(`error: ${err.message}\n`);
    io.err(USAGE);
    return EXIT_ERROR;
  }
  if (command.name === 'help') {
    io.out(USAGE);
    return EXIT_ERROR;
  }

  let url: string;
  try {
    url = validateConfig(env).DATABASE_URL;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.err(`error: ${err.message}`);
    return EXIT_ERROR;
  }
  const { host, port, database } = describeDatabaseUrl(url);
  const where = `database "${database}" at ${host}:${port}`;
  // A rebuild of every projection holds a connection per projection and one to read the feed.
  const pool = createPool(url, {
    max: PROJECTIONS.length + 1,
    applicationName: 'ceasefire-ledger cli',
  });
  try {
    try {
      await pool.query('SELECT 1');
    } catch (err) {
      io.err(
        `error: cannot connect to ${where} (${reason(err)}). Start PostgreSQL or point DATABASE_URL at it.`,
      );
      return EXIT_ERROR;
    }
    return await execute(command, pool, io);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === '42P01' || code === '42883') {
      io.err(
        `error: ${where} has no ledger tables (${reason(err)}); run the migrations first (npm start does).`,
      );
    } else {
      io.err(`error: ${command.name} failed: ${reason(err)}`);
    }
    return EXIT_ERROR;
  } finally {
    await pool.end().catch(() => undefined);
  }
}

function reason(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length) return reason(err.errors[0]);
  const e = err as { code?: string; message?: string };
  if (e.message && e.code && !/^[0-9A-Z]{5}$/.test(e.code)) return `${e.code}: ${e.message}`;
  return e.message || e.code || String(err);
}

async function execute(command: Command, pool: Pool, io: CliIo): Promise<number> {
  const store = new EventStore(pool);
  switch (command.name) {
    case 'help':
      io.out(USAGE);
      return EXIT_ERROR;

    case 'verify': {
      const ledger = await store.verify({ streamId: command.streamId });
      const missing = command.streamId !== undefined && ledger.streamsChecked === 0;
      // Snapshots summarise whole agreements: checked with the whole ledger, like seals.
      const snapshots =
        command.streamId === undefined
          ? await verifySnapshotEvents(pool, { ledgerProblems: ledger.problems })
          : null;
      const refold = command.snapshots ? await verifySnapshotRows(pool) : null;
      const report = withSnapshots(ledger, snapshots?.snapshotsChecked ?? 0, [
        ...(snapshots?.problems ?? []),
        ...(refold?.problems ?? []),
      ]);
      const projections = command.compareProjections ? await compareProjections(pool) : null;
      if (command.json) {
        io.out(
          JSON.stringify(
            {
              ...report,
              ...(refold ? { snapshotsRefolded: refold.snapshotsChecked } : {}),
              ...(projections ? { projections } : {}),
            },
            null,
            2,
          ),
        );
      } else {
        io.out(formatReport(report));
        if (refold) {
          io.out(
            `Folded ${plural(refold.snapshotsChecked, 'replay snapshot')} again from ` +
              `${plural(refold.eventsFolded, 'event')}` +
              (refold.snapshotsSkipped > 0
                ? ` (${refold.snapshotsSkipped} made by other projection versions skipped).`
                : '.'),
          );
        }
        if (missing) io.out(`No stream ${command.streamId}: no events and no stream head.`);
        if (projections) io.out(formatComparison(projections));
      }
      return report.ok && !missing && (projections?.ok ?? true) ? EXIT_OK : EXIT_PROBLEM;
    }

    case 'rebuild':
      return runRebuild(pool, command, io);

    case 'seal': {
      const sealed = await store.sealCommitted();
      if (command.json) {
        io.out(JSON.stringify({ sealed: sealed.map(sealJson) }, null, 2));
      } else if (sealed.length === 0) {
        io.out('Nothing to seal: every committed event is sealed already.');
      } else {
        for (const s of sealed) {
          io.out(
            `Sealed seal ${s.sealNo}: ${s.eventCount} events up to position ${s.toPosition}, ` +
              `hash ${s.sealHash}`,
          );
        }
      }
      return EXIT_OK;
    }

    case 'latest-seal': {
      const [latest] = await store.listSeals(1);
      if (!latest) {
        if (command.json) io.out('null');
        else io.out('No seal yet: run `seal` (or let the worker seal) once events exist.');
        return EXIT_PROBLEM;
      }
      if (command.json) io.out(JSON.stringify(sealJson(latest), null, 2));
      else io.out(formatSeal(latest));
      return EXIT_OK;
    }

    case 'api-keys create': {
      const key = await createApiKey(pool, command.keyName, command.role);
      if (command.json) {
        io.out(JSON.stringify(key, null, 2));
      } else {
        io.out(`Created API key ${key.id} (${key.role}, "${key.name}").`);
        io.out(`Secret (shown once, store it now):`);
        io.out(key.key);
      }
      return EXIT_OK;
    }

    case 'api-keys list': {
      const keys = await listApiKeys(pool);
      if (command.json) {
        io.out(JSON.stringify({ items: keys }, null, 2));
      } else if (keys.length === 0) {
        io.out('No API keys.');
      } else {
        io.out(
          table(
            ['id', 'role', 'name', 'prefix', 'created', 'revoked'],
            keys.map((k) => [k.id, k.role, k.name, k.keyPrefix, k.createdAt, k.revokedAt ?? '-']),
          ),
        );
      }
      return EXIT_OK;
    }

    case 'api-keys revoke': {
      const key = await revokeApiKey(pool, command.id);
      if (!key) {
        if (command.json) io.out('null');
        io.err(`No API key ${command.id}.`);
        return EXIT_PROBLEM;
      }
      if (command.json) io.out(JSON.stringify(key, null, 2));
      else io.out(`Revoked API key ${key.id} (${key.role}, "${key.name}") at ${key.revokedAt}.`);
      return EXIT_OK;
    }

    case 'export':
      return runExport(pool, command, io);

    case 'import':
      return runImport(pool, command, io);
  }
}

const sealJson = (s: Seal) => ({
  sealNo: s.sealNo,
  sealHash: s.sealHash,
  toPosition: s.toPosition,
  eventCount: s.eventCount,
  sealedAt: s.sealedAt.toISOString(),
  digest: s.digest,
  prevSealHash: s.prevSealHash,
});

export function formatSeal(s: Seal): string {
  return [
    `seal hash:   ${s.sealHash}`,
    `seal no:     ${s.sealNo}`,
    `to position: ${s.toPosition}`,
    `events:      ${s.eventCount}`,
    `sealed at:   ${s.sealedAt.toISOString()}`,
  ].join('\n');
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The ledger's report with the replay snapshots' problems; snapshotsChecked when there were any. */
export interface FullVerifyReport extends Omit<VerifyReport, 'problems'> {
  snapshotsChecked?: number;
  problems: Array<IntegrityProblem | SnapshotProblem>;
}

export function withSnapshots(
  ledger: VerifyReport,
  snapshotsChecked: number,
  snapshotProblems: readonly SnapshotProblem[],
): FullVerifyReport {
  return {
    ...ledger,
    ok: ledger.ok && snapshotProblems.length === 0,
    ...(snapshotsChecked > 0 ? { snapshotsChecked } : {}),
    problems: [...ledger.problems, ...snapshotProblems],
  };
}

const isSnapshotProblem = (p: IntegrityProblem | SnapshotProblem): p is SnapshotProblem =>
  p.kind === 'snapshot_mismatch';

/**
 * The report as text: a summary line, then the problems grouped by stream (seals, then replay
 * snapshots, last).
 */
export function formatReport(report: VerifyReport | FullVerifyReport): string {
  const lines = [
    `Checked ${plural(report.streamsChecked, 'stream')}, ${plural(report.eventsChecked, 'event')}, ` +
      `${plural(report.sealsChecked, 'seal')}.`,
  ];
  const snapshotsChecked = 'snapshotsChecked' in report ? (report.snapshotsChecked ?? 0) : 0;
  if (snapshotsChecked > 0) {
    lines.push(`Checked ${plural(snapshotsChecked, 'replay snapshot')} against their events.`);
  }
  if (report.ok) {
    lines.push(
      snapshotsChecked > 0
        ? 'OK: every hash chain, seal and replay snapshot verifies.'
        : 'OK: every hash chain and seal verifies.',
    );
    return lines.join('\n');
  }
  lines.push(`${plural(report.problems.length, 'problem')} found:`);
  const groups = new Map<string, Array<IntegrityProblem | SnapshotProblem>>();
  for (const p of report.problems) {
    const group = isSnapshotProblem(p)
      ? 'replay snapshots'
      : (p.streamId ?? (p.sealNo !== undefined ? 'ledger seals' : 'ledger'));
    groups.set(group, [...(groups.get(group) ?? []), p]);
  }
  for (const [group, problems] of groups) {
    lines.push(group);
    for (const p of problems) {
      const where = isSnapshotProblem(p)
        ? [`snapshot ${p.snapshotId}`, `position ${p.position}`]
        : [
            p.sealNo !== undefined ? `seal ${p.sealNo}` : null,
            p.streamVersion !== undefined ? `version ${p.streamVersion}` : null,
            p.position !== undefined ? `position ${p.position}` : null,
          ].filter(Boolean);
      lines.push(`  ${where.length ? `${where.join(', ')}: ` : ''}${p.kind}: ${p.detail}`);
    }
  }
  return lines.join('\n');
}

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}
