import { EventStore } from '@app/event-store';
import { waitForVisibleFeed } from '../../../../libs/projections/src/testing/projection-fixtures';
import { tamperWithLedger } from '../../../../test/support/tamper';
import { ApiHarness, october2025Agreement, startApi } from '../../../../test/support/api-harness';

interface SealItem {
  sealNo: number;
  toPosition: number;
  eventCount: number;
  digest: string;
  prevSealHash: string;
  sealHash: string;
  sealedAt: string;
}

describe('integrity verification and seals (HTTP)', () => {
  let api: ApiHarness;

  const register = (id: string) =>
    api
      .http()
      .post('/v1/agreements')
      .set(api.auth('coordinator'))
      .send(october2025Agreement(id))
      .expect(201);

  beforeAll(async () => {
    api = await startApi();
    await register('verify-a');
    await register('verify-b');
    await api
      .http()
      .post('/v1/agreements/verify-a/casualty-tallies')
      .set(api.auth('monitor'))
      .send({ source: 'Gaza Health Ministry', asOf: '2025-11-01T00:00:00Z', killed: 3, injured: 9 })
      .expect(201);
  });
  afterAll(() => api.close());

  const verify = (query = '') =>
    api.http().get(`/v1/audit/verify${query}`).set(api.auth('auditor')).expect(200);
  const seals = (query = '') =>
    api.http().get(`/v1/audit/seals${query}`).set(api.auth('auditor')).expect(200);

  it('reports a clean ledger as ok, whole or one stream', async () => {
    const all = await verify();
    expect(all.body).toEqual({
      ok: true,
      streamsChecked: 2,
      eventsChecked: await api.eventCount(),
      sealsChecked: 0,
      problems: [],
    });
    const one = await verify('?streamId=agreement-verify-a');
    expect(one.body).toEqual({
      ok: true,
      streamsChecked: 1,
      eventsChecked: 2,
      sealsChecked: 0,
      problems: [],
    });
  });

  it('lists seals newest first, chained, in pages, and verifies them', async () => {
    expect((await seals()).body).toEqual({ items: [], nextCursor: null });
    const store = new EventStore(api.db.pool);
    // Seals cover the commit-safe prefix, which any open transaction on the server (another
    // suite's) holds back for a moment: seal once every written event has passed it.
    const seal = async () => {
      await waitForVisibleFeed(api.db.pool);
      return store.sealCommitted();
    };
    expect(await seal()).toHaveLength(1);
    await register('verify-c');
    expect(await seal()).toHaveLength(1);
    await register('verify-d');
    expect(await seal()).toHaveLength(1);
    expect(await seal()).toHaveLength(0);

    const all = await seals();
    const items = all.body.items as SealItem[];
    expect(items.map((s) => s.sealNo)).toEqual([3, 2, 1]);
    expect(all.body.nextCursor).toBeNull();
    expect(items[0]).toEqual({
      sealNo: 3,
      toPosition: expect.any(Number),
      eventCount: 1,
      digest: expect.stringMatching(/^[0-9a-f]{64}$/),
      prevSealHash: items[1].sealHash,
      sealHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      sealedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.*Z$/),
      fromCursor: expect.any(String),
      toCursor: expect.any(String),
    });
    expect(items[1].prevSealHash).toBe(items[2].sealHash);
    expect(items[2].prevSealHash).toBe('0'.repeat(64));
    expect(items.reduce((n, s) => n + s.eventCount, 0)).toBe(await api.eventCount());
    const { rows } = await api.db.pool.query('SELECT max(global_position)::int AS max FROM events');
    expect(items[0].toPosition).toBe(rows[0].max);

    const first = await seals('?limit=2');
    expect(first.body.items.map((s: SealItem) => s.sealNo)).toEqual([3, 2]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await seals(`?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((s: SealItem) => s.sealNo)).toEqual([1]);
    expect(second.body.nextCursor).toBeNull();
    expect(second.body.items[0]).toEqual(items[2]);

    const report = await verify();
    expect(report.body).toMatchObject({ ok: true, streamsChecked: 4, sealsChecked: 3 });
  });

  it('is for auditors and admins only', async () => {
    for (const path of ['/v1/audit/verify', '/v1/audit/seals']) {
      await api.http().get(path).expect(401);
      await api.http().get(path).set('Authorization', 'Bearer cfl_nonsense').expect(401);
      for (const role of ['reader', 'monitor', 'verifier', 'coordinator'] as const) {
        const res = await api.http().get(path).set(api.auth(role)).expect(403);
        expect(res.body).toMatchObject({ statusCode: 403, code: 'FORBIDDEN' });
      }
      await api.http().get(path).set(api.auth('auditor')).expect(200);
      await api.http().get(path).set(api.auth('admin')).expect(200);
    }
  });

  it('refuses bad query parameters with 400 and an unknown stream with 404', async () => {
    for (const query of [
      '/v1/audit/verify?streamId=nonsense',
      '/v1/audit/verify?streamId=agreement-',
      `/v1/audit/verify?streamId=agreement-${'x'.repeat(65)}`,
      '/v1/audit/verify?streamId=agreement-a&streamId=agreement-b',
      '/v1/audit/verify?bogus=1',
      '/v1/audit/seals?limit=0',
      '/v1/audit/seals?limit=501',
      '/v1/audit/seals?limit=ten',
      '/v1/audit/seals?cursor=forged',
      '/v1/audit/seals?cursor=Zm9yZ2Vk',
      '/v1/audit/seals?bogus=1',
    ]) {
      const res = await api.http().get(query).set(api.auth('auditor'));
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
    }
    const res = await api
      .http()
      .get('/v1/audit/verify?streamId=agreement-nothing-here')
      .set(api.auth('auditor'))
      .expect(404);
    expect(res.body).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('is documented in the OpenAPI document', async () => {
    const doc = await api.http().get('/docs-json').expect(200);
    expect(doc.body.paths['/v1/audit/verify'].get.parameters).toContainEqual(
      expect.objectContaining({ name: 'streamId', in: 'query', required: false }),
    );
    expect(
      doc.body.paths['/v1/audit/seals'].get.parameters.map((p: { name: string }) => p.name),
    ).toEqual(expect.arrayContaining(['limit', 'cursor']));
    expect(doc.body.components.schemas.VerifyReportView).toBeDefined();
    expect(doc.body.components.schemas.SealPageView).toBeDefined();
  });

  it('names the stream, version and position of an event altered in the database', async () => {
    const { rows } = await api.db.pool.query<{ global_position: string }>(
      `SELECT global_position FROM events WHERE stream_id = 'agreement-verify-b' AND stream_version = 1`,
    );
    const position = Number(rows[0].global_position);
    await tamperWithLedger(
      api.db.pool,
      `UPDATE events SET data = jsonb_set(data, '{title}', '"a forged title"')
          WHERE stream_id = 'agreement-verify-b' AND stream_version = 1`,
    );

    const all = await verify();
    expect(all.body.ok).toBe(false);
    expect(all.body.problems).toContainEqual({
      kind: 'hash_mismatch',
      streamId: 'agreement-verify-b',
      streamVersion: 1,
      position,
      detail: expect.any(String),
    });
    // Seals cover the stored hashes, which the forger left alone: only the event is named.
    expect(all.body.problems).toHaveLength(1);
    expect(all.body.sealsChecked).toBe(3);

    const one = await verify('?streamId=agreement-verify-b');
    expect(one.body).toMatchObject({ ok: false, streamsChecked: 1, sealsChecked: 0 });
    expect(one.body.problems).toEqual([
      expect.objectContaining({ kind: 'hash_mismatch', streamVersion: 1, position }),
    ]);
    expect((await verify('?streamId=agreement-verify-a')).body.ok).toBe(true);
  });
});
