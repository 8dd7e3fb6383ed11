// The operator CLI as a process, against the database of a running API (started in-process).
import { spawn } from 'node:child_process';
import { tamperWithLedger } from '../../../test/support/tamper';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import request from 'supertest';
import { ApiHarness, october2025Agreement, startApi } from '../../../test/support/api-harness';
import { PROJECTIONS } from '@app/projections';
import { TS_NODE_ARGS } from '../../../test/support/ts-node';

const ROOT = resolve(__dirname, '../../..');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('operator CLI (process)', () => {
  let api: ApiHarness;

  function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
    return new Promise((done, fail) => {
      const child = spawn(process.execPath, [...TS_NODE_ARGS, 'apps/cli/src/main.ts', ...args], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: api.db.url, ...env },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', fail);
      child.on('close', (code) => done({ code, stdout, stderr }));
    });
  }

  const register = (id: string) =>
    api
      .http()
      .post('/v1/agreements')
      .set(api.auth('coordinator'))
      .send(october2025Agreement(id))
      .expect(201);

  beforeAll(async () => {
    api = await startApi();
    await register('cli-a');
    await register('cli-b');
  });
  afterAll(() => api.close());

  it('prints usage with exit code 2 for help, an unknown command or bad options', async () => {
    const help = await cli(['help']);
    expect(help.code).toBe(2);
    expect(help.stdout).toContain('Usage: npm run cli -- <command>');
    expect(help.stdout).toContain('api-keys create --name <name> --role <role>');

    for (const args of [
      ['frobnicate'],
      ['verify', '--stream', 'nonsense'],
      ['verify', '--bogus'],
      ['seal', 'extra'],
      ['api-keys'],
      ['api-keys', 'create', '--name', 'x', '--role', 'emperor'],
      ['api-keys', 'create', '--role', 'reader'],
      ['api-keys', 'revoke', 'not-a-uuid'],
    ]) {
      const run = await cli(args);
      expect({ args, code: run.code }).toEqual({ args, code: 2 });
      expect(run.stderr).toContain('error: ');
      expect(run.stderr).toContain('Usage:');
    }
  });

  it('exits 2 naming the problem when it cannot connect or the configuration is bad', async () => {
    const down = await cli(['verify'], { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nothing' });
    expect(down.code).toBe(2);
    expect(down.stderr).toContain('cannot connect to database "nothing" at 127.0.0.1:1');
    const bad = await cli(['verify'], { DATABASE_URL: 'mysql://somewhere/db' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('DATABASE_URL must look like');
  });

  it('verifies a clean ledger with exit code 0, as text and as JSON', async () => {
    const text = await cli(['verify']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`Checked 2 streams, ${await api.eventCount()} events, 0 seals.`);
    expect(text.stdout).toContain('OK');
    const json = await cli(['verify', '--stream', 'agreement-cli-a', '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      ok: true,
      streamsChecked: 1,
      eventsChecked: 1,
      sealsChecked: 0,
      problems: [],
    });
    const missing = await cli(['verify', '--stream', 'agreement-nothing']);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain('No stream agreement-nothing');
  });

  it('seals on demand and shows the latest seal (exit 1 before the first)', async () => {
    const none = await cli(['latest-seal']);
    expect(none.code).toBe(1);
    expect(none.stdout).toContain('No seal yet');

    const sealed = await cli(['seal']);
    expect(sealed.code).toBe(0);
    expect(sealed.stdout).toMatch(/Sealed seal 1: 2 events up to position \d+, hash [0-9a-f]{64}/);
    const again = await cli(['seal', '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({ sealed: [] });

    const { rows } = await api.db.pool.query(
      `SELECT encode(seal_hash, 'hex') AS hash, to_position::int AS to FROM ledger_seals`,
    );
    expect(rows).toHaveLength(1);
    const latest = await cli(['latest-seal']);
    expect(latest.code).toBe(0);
    expect(latest.stdout).toContain(`seal hash:   ${rows[0].hash}`);
    expect(latest.stdout).toContain('seal no:     1');
    expect(latest.stdout).toContain(`to position: ${rows[0].to}`);
    expect(latest.stdout).toContain('events:      2');
    const json = await cli(['latest-seal', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({
      sealNo: 1,
      sealHash: rows[0].hash,
      toPosition: rows[0].to,
      eventCount: 2,
      sealedAt: expect.stringMatching(/Z$/),
    });
    const viaApi = await api.http().get('/v1/audit/seals').set(api.auth('auditor')).expect(200);
    expect(viaApi.body.items[0].sealHash).toBe(rows[0].hash);

    const verify = await cli(['verify']);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toContain('1 seal.');
  });

  it('creates, lists and revokes API keys the running API honours', async () => {
    const created = await cli([
      'api-keys',
      'create',
      '--name',
      'CLI audit desk',
      '--role',
      'auditor',
      '--json',
    ]);
    expect(created.code).toBe(0);
    const key = JSON.parse(created.stdout);
    expect(key).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'CLI audit desk',
      role: 'auditor',
      key: expect.stringMatching(/^cfl_[A-Za-z0-9_-]{43}$/),
      revokedAt: null,
    });
    const { rows } = await api.db.pool.query('SELECT * FROM api_keys WHERE id = $1', [key.id]);
    expect(rows[0].secret_hash).toEqual(createHash('sha256').update(key.key).digest());
    expect(rows[0].key_prefix).toBe(key.key.slice(0, 10));

    const asKey = () =>
      request(api.app.getHttpServer())
        .get('/v1/events?limit=1')
        .set('Authorization', `Bearer ${key.key}`);
    await asKey().expect(200);
    await asKey().expect(200); // cached by the API now

    const text = await cli(['api-keys', 'create', '--name', 'reader desk', '--role', 'reader']);
    expect(text.code).toBe(0);
    const secret = text.stdout.split('\n').find((l) => l.startsWith('cfl_'));
    expect(secret).toMatch(/^cfl_/);
    await request(api.app.getHttpServer())
      .get('/v1/agreements')
      .set('Authorization', `Bearer ${secret}`)
      .expect(200);

    const list = await cli(['api-keys', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^id\s+role\s+name\s+prefix\s+created\s+revoked$/m);
    expect(list.stdout).toContain('CLI audit desk');
    expect(list.stdout).not.toContain(key.key);
    const listJson = JSON.parse((await cli(['api-keys', 'list', '--json'])).stdout);
    expect(listJson.items).toContainEqual(
      expect.objectContaining({ id: key.id, role: 'auditor', revokedAt: null }),
    );
    expect(JSON.stringify(listJson)).not.toContain(key.key);

    const revoked = await cli(['api-keys', 'revoke', key.id]);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toContain(`Revoked API key ${key.id}`);
    // The API cached the key; the notification sent with the revocation drops it.
    const started = Date.now();
    let status = 200;
    while (status !== 401 && Date.now() - started < 3000) {
      status = (await asKey()).status;
      if (status !== 401) await new Promise((r) => setTimeout(r, 10));
    }
    expect(status).toBe(401);

    const listed = JSON.parse((await cli(['api-keys', 'list', '--json'])).stdout);
    expect(listed.items).toContainEqual(
      expect.objectContaining({ id: key.id, revokedAt: expect.any(String) }),
    );
    const twice = await cli(['api-keys', 'revoke', key.id, '--json']);
    expect(twice.code).toBe(0);
    expect(JSON.parse(twice.stdout).revokedAt).toBe(
      listed.items.find((k: { id: string }) => k.id === key.id).revokedAt,
    );
    const unknown = await cli(['api-keys', 'revoke', '00000000-0000-4000-8000-000000000000']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No API key');
  });

  it('compares the projections with the events, and rebuilds one that drifted', async () => {
    await api.project();
    const clean = await cli(['verify', '--compare-projections']);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('OK: every projection row is what the events say.');

    await api.db.pool.query(
      `UPDATE proj_agreements SET title = 'drifted' WHERE agreement_id = 'cli-a'`,
    );
    const drifted = await cli(['verify', '--compare-projections', '--json']);
    expect(drifted.code).toBe(1);
    const report = JSON.parse(drifted.stdout);
    expect(report.ok).toBe(true);
    expect(report.projections.ok).toBe(false);
    expect(report.projections.differences).toMatchObject([
      {
        projection: 'agreements',
        table: 'proj_agreements',
        key: 'agreement_id=cli-a',
        kind: 'different',
      },
    ]);

    const rebuilt = await cli(['rebuild', 'agreements']);
    expect(rebuilt.code).toBe(0);
    expect(rebuilt.stdout).toMatch(/^Rebuilt agreements: \d+ events of its types in [\d.]+ s/);
    expect((await cli(['verify', '--compare-projections'])).code).toBe(0);
    const all = await cli(['rebuild', 'all']);
    expect(all.code).toBe(0);
    expect(all.stdout.match(/^Rebuilt [a-z-]+:/gm)).toHaveLength(PROJECTIONS.length);
    expect((await cli(['verify', '--compare-projections'])).code).toBe(0);
    expect((await cli(['rebuild', 'nothing'])).code).toBe(2);
  });
  it('exits 1 and names the stream, version and position after an event is altered', async () => {
    const { rows } = await api.db.pool.query<{ global_position: string }>(
      `SELECT global_position FROM events WHERE stream_id = 'agreement-cli-b' AND stream_version = 1`,
    );
    const position = Number(rows[0].global_position);
    await tamperWithLedger(
      api.db.pool,
      `UPDATE events SET data = jsonb_set(data, '{title}', '"a forged title"')
          WHERE stream_id = 'agreement-cli-b' AND stream_version = 1`,
    );

    const text = await cli(['verify']);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('1 problem found:');
    expect(text.stdout).toContain(
      `agreement-cli-b\n  version 1, position ${position}: hash_mismatch: `,
    );
    const json = await cli(['verify', '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      sealsChecked: 1,
      problems: [
        {
          kind: 'hash_mismatch',
          streamId: 'agreement-cli-b',
          streamVersion: 1,
          position,
        },
      ],
    });
    expect((await cli(['verify', '--stream', 'agreement-cli-a'])).code).toBe(0);
    expect((await cli(['verify', '--stream', 'agreement-cli-b'])).code).toBe(1);
  });
});
