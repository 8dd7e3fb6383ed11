// `cli rebuild <projection>... | all` and the projection half of `cli verify --compare-projections`.
import type { Pool } from 'pg';
import {
  ProjectionComparison,
  ProjectionRebuilder,
  projectionsNamed,
  RebuildInProgress,
} from '@app/projections';
import type { CliIo } from './cli';
import { EXIT_OK, EXIT_PROBLEM } from './exit-codes';

/** Progress lines at most this often (the last one is always printed). */
const PROGRESS_EVERY_MS = 2000;

export async function runRebuild(
  pool: Pool,
  command: { projections: string[]; json: boolean },
  io: CliIo,
): Promise<number> {
  const projections = projectionsNamed(command.projections);
  const started = Date.now();
  let printed = 0;
  try {
    const done = await new ProjectionRebuilder(pool).rebuildTogether(projections, {
      onProgress: (p) => {
        if (command.json || Date.now() - printed < PROGRESS_EVERY_MS) return;
        printed = Date.now();
        io.err(
          `${p.name}: ${p.percent}% (${p.eventsRead} of about ${p.eventsTotal} events of its types)`,
        );
      },
    });
    const seconds = (Date.now() - started) / 1000;
    if (command.json) {
      const answers = done.map((p) => ({ ...p, seconds }));
      io.out(JSON.stringify(answers.length === 1 ? answers[0] : answers, null, 2));
    } else {
      for (const p of done) {
        io.out(
          `Rebuilt ${p.name}: ${p.eventsRead} events of its types in ${seconds.toFixed(1)} s, swapped in at position ${p.position}.`,
        );
      }
    }
    return EXIT_OK;
  } catch (err) {
    if (!(err instanceof RebuildInProgress)) throw err;
    io.err(`${err.message}; try again when it has finished.`);
    return EXIT_PROBLEM;
  }
}

export function formatComparison(c: ProjectionComparison): string {
  const lines = [
    `Compared ${c.projectionsCompared} projections (${c.rowsCompared} live rows) with a replay of ${c.eventsReplayed} events.`,
  ];
  if (c.ok) {
    lines.push('OK: every projection row is what the events say.');
    return lines.join('\n');
  }
  lines.push(`${c.differences.length} rows differ:`);
  for (const d of c.differences) {
    lines.push(`  ${d.projection} ${d.table} ${d.key}: ${d.kind}`);
    if (d.live) lines.push(`    live:     ${JSON.stringify(d.live)}`);
    if (d.expected) lines.push(`    expected: ${JSON.stringify(d.expected)}`);
  }
  return lines.join('\n');
}
