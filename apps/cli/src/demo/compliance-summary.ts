// After seeding: wait until the worker has projected the writes, then read each agreement's
// compliance answer (GET /v1/agreements/:id/compliance) and put it in a few lines of text.
import type { SeedOptions, SeedResult } from './seed-demo';

type Counts = { total: number } & Record<string, number>;
interface Tally {
  /** A Source object (API.md: read models always return them). */
  source: { name: string };
  asOf: string;
  killed: number;
  injured: number;
}

/** The parts of the compliance answer (API.md) the summary shows. */
export interface ComplianceAnswer {
  agreementId: string;
  asOf: string;
  lastPosition: number;
  parties: Array<{
    partyId: string;
    obligations: Counts;
    complianceRate: number | null;
    onTimeRate: number | null;
    rateObligations: Array<{ obligationId: string; windowComplianceRate: number | null }>;
    violations: Record<string, number>;
    casualties: { killed: number; injured: number };
    latestTallies: Tally[];
  }>;
  tallies: Tally[];
  phases: Array<{
    key: string;
    startedAt: string | null;
    obligations: Counts;
    progress: number | null;
  }>;
}

async function getCompliance(
  options: SeedOptions,
  agreementId: string,
): Promise<ComplianceAnswer | null> {
  const res = await fetch(new URL(`/v1/agreements/${agreementId}/compliance`, options.apiUrl), {
    headers: { Authorization: `Bearer ${options.apiKey}` },
  });
  if (res.status === 404) return null; // not projected yet
  if (!res.ok) throw new Error(`GET compliance of ${agreementId} answered ${res.status}`);
  return (await res.json()) as ComplianceAnswer;
}

/**
 * Each agreement's compliance once the projections have passed its last write; null for an
 * agreement still behind after `timeoutMs` (no worker running, or one far behind).
 */
export async function waitForCompliance(
  options: SeedOptions,
  results: readonly SeedResult[],
  timeoutMs: number,
): Promise<Array<ComplianceAnswer | null>> {
  const deadline = Date.now() + timeoutMs;
  return Promise.all(
    results.map(async ({ agreementId, lastPosition }) => {
      for (;;) {
        const answer = await getCompliance(options, agreementId);
        if (answer && answer.lastPosition >= lastPosition) return answer;
        if (Date.now() >= deadline) return null;
        await new Promise((r) => setTimeout(r, 250));
      }
    }),
  );
}

const rate = (value: number | null) => (value === null ? '-' : value.toFixed(2));
const nonZero = (counts: Record<string, number>, skip: string[] = []) =>
  Object.entries(counts)
    .filter(([key, n]) => n > 0 && !skip.includes(key))
    .map(([key, n]) => `${n} ${key}`)
    .join(', ');
const day = (iso: string) => iso.slice(0, 10);
const obligations = (n: number) => `${n} obligation${n === 1 ? '' : 's'}`;

export function formatCompliance(answer: ComplianceAnswer): string {
  const lines = [`${answer.agreementId}: compliance as of ${answer.asOf}`];
  const quiet: string[] = [];
  for (const p of answer.parties) {
    const violations = nonZero(p.violations);
    if (p.obligations.total === 0 && !violations && p.latestTallies.length === 0) {
      quiet.push(p.partyId);
      continue;
    }
    const pad = ' '.repeat(Math.max(1, 10 - p.partyId.length));
    const indent = ' '.repeat(12);
    lines.push(
      `  ${p.partyId}${pad}${obligations(p.obligations.total)}: ${nonZero(p.obligations, ['total']) || 'none'}`,
    );
    lines.push(
      `${indent}compliance ${rate(p.complianceRate)}, on time ${rate(p.onTimeRate)}` +
        p.rateObligations
          .map((r) => `; ${r.obligationId} windows met ${rate(r.windowComplianceRate)}`)
          .join(''),
    );
    if (violations) {
      lines.push(
        `${indent}violations: ${violations}; in incident reports ${p.casualties.killed} killed, ` +
          `${p.casualties.injured} injured`,
      );
    }
    for (const t of p.latestTallies) {
      lines.push(
        `${indent}latest tally: ${t.source.name}, ${t.killed} killed, ${t.injured} injured as of ${day(t.asOf)}`,
      );
    }
  }
  if (quiet.length) lines.push(`  (no obligations or reports: ${quiet.join(', ')})`);
  for (const t of answer.tallies) {
    lines.push(
      `  tally (no party): ${t.source.name}, ${t.killed} killed, ${t.injured} injured as of ${day(t.asOf)}`,
    );
  }
  for (const phase of answer.phases) {
    const pad = ' '.repeat(Math.max(1, 10 - phase.key.length));
    lines.push(
      `  ${phase.key}${pad}${phase.startedAt ? `started ${day(phase.startedAt)}` : 'not started'}, ` +
        `${obligations(phase.obligations.total)}, progress ${rate(phase.progress)}`,
    );
  }
  return lines.join('\n');
}
