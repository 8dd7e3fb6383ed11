// `cli import <file>`: loads an export into this database, keeping ids, versions, times and
// hashes; a file that does not verify, or streams that exist here already, are refused whole.
import { readFile } from 'node:fs/promises';
import type { Pool } from 'pg';
import { ImportProblem, ImportRefused, importEvents, parseExportedEvents } from '@app/event-store';
import type { CliIo } from './cli';
import { EXIT_ERROR, EXIT_OK, EXIT_PROBLEM } from './exit-codes';

export function formatImportProblems(problems: readonly ImportProblem[]): string {
  const lines = [
    `Import refused, nothing written: ${problems.length} problem${problems.length === 1 ? '' : 's'}`,
  ];
  for (const p of problems) {
    const where = [
      p.line !== undefined ? `line ${p.line}` : null,
      p.streamId !== undefined
        ? `${p.streamId}${p.streamVersion !== undefined ? ` version ${p.streamVersion}` : ''}`
        : null,
    ].filter(Boolean);
    lines.push(`  ${where.length ? `${where.join(', ')}: ` : ''}${p.kind}: ${p.detail}`);
  }
  return lines.join('\n');
}

export async function runImport(
  pool: Pool,
  command: { file: string; json: boolean },
  io: CliIo,
): Promise<number> {
  let text: string;
  try {
    text = await readFile(command.file, 'utf8');
  } catch (err) {
    io.err(`error: cannot read ${command.file}: ${(err as Error).message}`);
    return EXIT_ERROR;
  }
  const refuse = (problems: readonly ImportProblem[]) => {
    if (command.json) io.out(JSON.stringify({ ok: false, problems }, null, 2));
    else io.out(formatImportProblems(problems));
    return EXIT_PROBLEM;
  };
  const { entries, problems } = parseExportedEvents(text);
  if (problems.length > 0) return refuse(problems);
  try {
    const result = await importEvents(pool, entries);
    if (command.json) {
      io.out(JSON.stringify({ ok: true, ...result }, null, 2));
    } else {
      io.out(
        `Imported ${result.events} events in ${result.streams} streams (positions ` +
          `${result.firstPosition}-${result.lastPosition}); every hash verified. A running worker ` +
          'projects them within its next sweep.',
      );
    }
    return EXIT_OK;
  } catch (err) {
    if (err instanceof ImportRefused) return refuse(err.problems);
    throw err;
  }
}
