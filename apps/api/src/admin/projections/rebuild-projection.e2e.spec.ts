// POST /v1/admin/projections/:name/rebuild against API.md: no body fields, no query parameters,
// and an Idempotency-Key answers a retry with the first job id without queueing anything.
import type { Queue } from 'bullmq';
import { QUEUES } from '@app/shared';
import { ApiHarness, startApi } from '../../../../../test/support/api-harness';
import { queuePrefix } from '../../../../../test/support/test-environment';
import { MonitoredQueues } from '../../observability/queues/monitored-queues';

describe('rebuilding a projection (HTTP)', () => {
  let api: ApiHarness;
  let queue: Queue;
  beforeAll(async () => {
    // A queue prefix of its own: other suites of the run queue rebuilds too.
    api = await startApi({ QUEUE_PREFIX: `${queuePrefix()}_rebuild_api` });
    queue = api.app.get(MonitoredQueues).all.find((q) => q.name === QUEUES.projections)!;
  });
  afterEach(async () => {
    for (const job of await rebuildJobs()) await job.remove();
  });
  afterAll(() => api.close());

  const rebuildJobs = async () =>
    (
      await queue.getJobs(['waiting', 'delayed', 'prioritized', 'active', 'completed', 'failed'])
    ).filter((j) => j.name === 'rebuild');
  const rebuild = (path = '/v1/admin/projections/violations/rebuild', idempotencyKey?: string) => {
    const req = api.http().post(path).set(api.auth('admin'));
    return idempotencyKey ? req.set('Idempotency-Key', idempotencyKey) : req;
  };

  it('refuses body fields and query parameters with 400 and queues nothing', async () => {
    const withField = await rebuild().send({ foo: 1 }).expect(400);
    expect(withField.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: ['foo: unknown field'],
    });
    await rebuild().send([1]).expect(400);
    const withQuery = await api
      .http()
      .post('/v1/admin/projections/violations/rebuild?x=1')
      .set(api.auth('admin'))
      .expect(400);
    expect(withQuery.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: ['x: unknown field'],
    });
    expect(await rebuildJobs()).toHaveLength(0);
  });

  it('accepts no body or an empty object', async () => {
    const { jobId } = (await rebuild().expect(202)).body;
    expect(jobId).toMatch(/^rebuild-violations-/);
    expect((await rebuild().send({}).expect(202)).body).toEqual({ jobId });
    expect(await rebuildJobs()).toHaveLength(1);
  });

  it('answers a retry with the same Idempotency-Key with the first job id and queues nothing more', async () => {
    const first = await rebuild(undefined, 'rebuild-1').expect(202);
    const { jobId } = first.body;
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    // Without the job a plain request would queue a new one: the retry must not.
    for (const job of await rebuildJobs()) await job.remove();
    const again = await rebuild(undefined, 'rebuild-1').expect(202);
    expect(again.body).toEqual({ jobId });
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await rebuildJobs()).toHaveLength(0);
    const fresh = await rebuild().expect(202);
    expect(fresh.body.jobId).not.toBe(jobId);
  });

  it('refuses the same Idempotency-Key for another projection with 422 and queues nothing', async () => {
    await rebuild(undefined, 'rebuild-2').expect(202);
    for (const job of await rebuildJobs()) await job.remove();
    const res = await rebuild('/v1/admin/projections/obligations/rebuild', 'rebuild-2').expect(422);
    expect(res.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(await rebuildJobs()).toHaveLength(0);
  });

  it('records nothing for an unknown projection: 404, and the key stays free', async () => {
    await rebuild('/v1/admin/projections/nothing/rebuild', 'rebuild-3').expect(404);
    await rebuild(undefined, 'rebuild-3').expect(202);
  });
});
