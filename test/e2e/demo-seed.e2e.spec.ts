// `npm run seed:demo` against the API on its own database: both Gaza agreements of DOMAIN.md
// written over HTTP, a second run (as the npm script's process) that writes nothing, and the
// compliance answers that follow from what DOMAIN.md reports.
import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { DEMO_AGREEMENTS, seedDemo, SeedResult } from '../../apps/cli/src/demo/seed-demo';
import { ADMIN_SECRET, ApiHarness, startApi } from '../support/api-harness';
import { TS_NODE_ARGS } from '../support/ts-node';

const ROOT = resolve(__dirname, '../..');

const STATUSES = {
  total: 0,
  pending: 0,
  blocked: 0,
  in_progress: 0,
  overdue: 0,
  disputed: 0,
  fulfilled: 0,
  fulfilled_late: 0,
  breached: 0,
  suspended: 0,
  waived: 0,
};
const LEVELS = {
  reported: 0,
  corroborated: 0,
  confirmed: 0,
  contested: 0,
  discounted: 0,
  retracted: 0,
};
const quietParty = (partyId: string) => ({
  partyId,
  obligations: STATUSES,
  complianceRate: null,
  onTimeRate: null,
  rateObligations: [],
  violations: LEVELS,
  casualties: { killed: 0, injured: 0 },
  latestTallies: [],
});

function runSeedScript(
  apiUrl: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [...TS_NODE_ARGS, 'apps/cli/src/demo/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, API_URL: apiUrl, SEED_API_KEY: ADMIN_SECRET },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe('demo data (npm run seed:demo)', () => {
  let api: ApiHarness;
  let apiUrl: string;
  let firstRun: SeedResult[];

  const compliance = async (agreementId: string) =>
    (
      await api
        .http()
        .get(`/v1/agreements/${agreementId}/compliance`)
        .set(api.auth('reader'))
        .expect(200)
    ).body;

  beforeAll(async () => {
    api = await startApi();
    // The seeder is an HTTP client: the API listens on a free port of its own.
    await api.app.listen(0, '127.0.0.1');
    apiUrl = `http://127.0.0.1:${(api.app.getHttpServer().address() as AddressInfo).port}`;
    firstRun = await seedDemo({ apiUrl, apiKey: ADMIN_SECRET });
    await api.project();
  });
  afterAll(() => api.close());

  it('writes both agreements through the API, one event per request', async () => {
    expect(firstRun).toEqual(
      DEMO_AGREEMENTS.map((demo) => ({
        agreementId: demo.agreement.id,
        written: demo.steps.length + 1,
        replayed: 0,
        lastPosition: expect.any(Number),
      })),
    );
    expect(firstRun.map((r) => r.written)).toEqual([29, 28]);
    expect(await api.eventCount()).toBe(57);
    const { body } = await api.http().get('/v1/agreements').set(api.auth('reader')).expect(200);
    expect(body.items.map((a: { id: string }) => a.id).sort()).toEqual([
      'gaza-2025-01',
      'gaza-2025-10',
    ]);
  });

  it('records every figure with its source, and every write with its idempotency key', async () => {
    const { rows } = await api.db.pool.query<{
      event_type: string;
      data: Record<string, unknown>;
      metadata: { idempotencyKey?: string; actor: { role: string } };
    }>('SELECT event_type, data, metadata FROM events ORDER BY global_position');
    for (const { event_type, data, metadata } of rows) {
      expect(metadata.idempotencyKey).toMatch(/^seed-demo:gaza-2025-(01|10):[a-z0-9-]+$/);
      expect(metadata.actor.role).toBe('admin');
      if (['ProgressReported', 'CasualtyTallyRecorded'].includes(event_type)) {
        expect({ event_type, source: data.source }).toEqual({
          event_type,
          source: expect.objectContaining({ name: expect.any(String) }),
        });
      }
      if (
        ['AgreementRegistered', 'ObligationRegistered', 'ViolationReported'].includes(event_type)
      ) {
        expect((data.sources as unknown[]).length).toBeGreaterThan(0);
      }
    }
    const figures = rows
      .filter((r) => r.event_type === 'CasualtyTallyRecorded')
      .map((r) => [r.data.killed, r.data.injured, (r.data.source as { name: string }).name]);
    expect(figures).toEqual([
      [242, 0, 'Gaza Health Ministry'],
      [484, 1321, 'Gaza Health Ministry'],
    ]);
  });

  it('runs again as the npm script without failing and without writing anything', async () => {
    const before = await api.eventCount();
    const run = await runSeedScript(apiUrl);
    expect(run.stderr).toContain('gaza-2025-01: 29 requests, 0 written, 29 already there');
    expect(run.stderr).toContain('gaza-2025-10: 28 requests, 0 written, 28 already there');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('gaza-2025-10: compliance as of ');
    expect(run.stdout).toContain(
      'latest tally: Gaza Health Ministry, 484 killed, 1321 injured as of 2026-01-25',
    );
    expect(await api.eventCount()).toBe(before);
  });

  it('answers the January 2025 compliance: releases suspended at 18 of 33, aid halted', async () => {
    const body = await compliance('gaza-2025-01');
    expect(body.parties.map((p: { partyId: string }) => p.partyId)).toEqual([
      'israel',
      'hamas',
      'qatar',
      'egypt',
      'us',
    ]);
    const [israel, hamas, ...mediators] = body.parties;
    // Judged (D = 5): Rashid Street a day late, Salah al-Din and Rafah on time, the prisoner
    // releases never verified and the Philadelphi withdrawal past day 50. The aid rate is left
    // out of D; the perimeter and phase 2 have no running deadline.
    expect(israel).toEqual({
      partyId: 'israel',
      obligations: {
        ...STATUSES,
        total: 8,
        fulfilled: 2,
        fulfilled_late: 1,
        overdue: 2,
        suspended: 1,
        pending: 2,
      },
      complianceRate: 0.6,
      onTimeRate: 0.4,
      rateObligations: [{ obligationId: 'jan25-aid-trucks', windowComplianceRate: 0 }],
      violations: { ...LEVELS, reported: 1 },
      casualties: { killed: 0, injured: 0 },
      latestTallies: [],
    });
    // Judged (D = 2): the women first (fulfilled) and the 33 (suspended in February).
    expect(hamas).toEqual({
      partyId: 'hamas',
      obligations: { ...STATUSES, total: 4, fulfilled: 1, suspended: 1, pending: 2 },
      complianceRate: 0.5,
      onTimeRate: 0.5,
      rateObligations: [],
      violations: LEVELS,
      casualties: { killed: 0, injured: 0 },
      latestTallies: [],
    });
    expect(mediators).toEqual(['qatar', 'egypt', 'us'].map(quietParty));
    expect(body.tallies).toEqual([]);
    expect(body.phases).toEqual([
      {
        key: 'phase-1',
        startedAt: '2025-01-19T09:15:00.000Z',
        obligations: {
          ...STATUSES,
          total: 9,
          fulfilled: 3,
          fulfilled_late: 1,
          overdue: 2,
          suspended: 2,
          pending: 1,
        },
        progress: 4 / 9,
      },
      {
        key: 'phase-2',
        startedAt: null,
        obligations: { ...STATUSES, total: 2, pending: 2 },
        progress: 0,
      },
      {
        key: 'phase-3',
        startedAt: null,
        obligations: { ...STATUSES, total: 1, pending: 1 },
        progress: 0,
      },
    ]);

    const hostages = await api
      .http()
      .get('/v1/obligations/jan25-hostages')
      .set(api.auth('reader'))
      .expect(200);
    expect(hostages.body).toMatchObject({
      status: 'suspended',
      delivered: 18,
      target: { quantity: 33, unit: 'hostages' },
      dueAt: '2025-03-02T09:15:00.000Z',
    });
  });

  it('answers the October 2025 compliance: remains overdue, Rafah waiting on them', async () => {
    const body = await compliance('gaza-2025-10');
    expect(body.parties.map((p: { partyId: string }) => p.partyId)).toEqual([
      'israel',
      'hamas',
      'us',
      'egypt',
      'qatar',
      'turkiye',
      'eubam',
    ]);
    const [israel, hamas, us, ...others] = body.parties;
    // Judged (D = 3): the withdrawal and the prisoners fulfilled, Rafah overdue; the Gazan
    // remains have no deadline, the trucks are a rate (no daily counts in DOMAIN.md).
    expect(israel).toEqual({
      partyId: 'israel',
      obligations: {
        ...STATUSES,
        total: 6,
        fulfilled: 2,
        in_progress: 1,
        overdue: 2,
        pending: 1,
      },
      complianceRate: 2 / 3,
      onTimeRate: 2 / 3,
      rateObligations: [{ obligationId: 'oct25-aid-trucks', windowComplianceRate: 0 }],
      violations: { ...LEVELS, reported: 2 },
      // The two incident reports (1 + 5 killed), never added to the ministry's tally beside them.
      casualties: { killed: 6, injured: 4 },
      latestTallies: [
        {
          source: {
            name: 'Gaza Health Ministry',
            kind: 'official',
            publishedAt: '2026-01-25T00:00:00.000Z',
          },
          asOf: '2026-01-25T00:00:00.000Z',
          killed: 484,
          injured: 1321,
        },
      ],
    });
    // Judged (D = 2): all 20 living hostages within the 72 hours; 27 of 28 remains, overdue.
    expect(hamas).toEqual({
      partyId: 'hamas',
      obligations: { ...STATUSES, total: 3, fulfilled: 1, overdue: 1, pending: 1 },
      complianceRate: 0.5,
      onTimeRate: 0.5,
      rateObligations: [],
      violations: { ...LEVELS, reported: 1, contested: 1 },
      casualties: { killed: 0, injured: 0 },
      latestTallies: [],
    });
    expect(us).toEqual({
      ...quietParty('us'),
      obligations: { ...STATUSES, total: 3, pending: 3 },
    });
    expect(others).toEqual(['egypt', 'qatar', 'turkiye', 'eubam'].map(quietParty));
    expect(body.tallies).toEqual([]);
    expect(body.phases).toEqual([
      {
        key: 'phase-1',
        startedAt: '2025-10-10T09:00:00.000Z',
        obligations: { ...STATUSES, total: 7, fulfilled: 3, overdue: 3, in_progress: 1 },
        progress: 3 / 7,
      },
      {
        key: 'phase-2',
        startedAt: null,
        obligations: { ...STATUSES, total: 5, pending: 5 },
        progress: 0,
      },
    ]);

    const rafah = await api.http().get('/v1/obligations/oct25-rafah').set(api.auth('reader'));
    expect(rafah.body).toMatchObject({
      status: 'overdue',
      dueAt: '2025-10-31T23:59:59.000Z',
      conditions: [{ obligationId: 'oct25-hostage-remains', status: 'overdue' }],
    });
    const remains = await api
      .http()
      .get('/v1/obligations/oct25-hostage-remains')
      .set(api.auth('reader'));
    expect(remains.body).toMatchObject({ delivered: 27, target: { quantity: 28 } });
  });
});
