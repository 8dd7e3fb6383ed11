// Boots the API in-process on a fresh database, with one API key per role, for e2e tests.
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import type { ActorRole } from '../../libs/domain/src';
import { PROJECTIONS, ProjectionRunner } from '../../libs/projections/src';
import { catchUpFully } from '../../libs/projections/src/testing/projection-fixtures';
import { createTestDatabase, TestDatabase } from './test-database';
import { queuePrefix, TEST_REDIS_URL } from './test-environment';

export const ROLES: ActorRole[] = [
  'reader',
  'monitor',
  'verifier',
  'coordinator',
  'auditor',
  'admin',
];
export const ADMIN_SECRET = 'e2e-admin-secret-0123456789';

export interface ApiHarness {
  app: NestFastifyApplication;
  db: TestDatabase;
  http: () => ReturnType<typeof request>;
  /** A bearer header value for a key of each role. */
  keys: Record<ActorRole, string>;
  keyIds: Record<ActorRole, string>;
  auth: (role: ActorRole) => { Authorization: string };
  eventCount: () => Promise<number>;
  /**
   * Brings every projection up to date with what has been written, as the worker would (the
   * e2e tests of reads call it after their writes instead of waiting for a worker).
   */
  project: (now?: () => Date) => Promise<void>;
  close: () => Promise<void>;
}

export async function startApi(env: Record<string, string> = {}): Promise<ApiHarness> {
  const db = await createTestDatabase(10);
  const saved = { ...process.env };
  Object.assign(process.env, {
    DATABASE_URL: db.url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: queuePrefix(),
    ADMIN_API_KEY: ADMIN_SECRET,
    DATABASE_POOL_SIZE: '30',
    ...env,
  });
  const { createApp } = await import('../../apps/api/src/create-app');
  const app = await createApp({ logger: false });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  process.env = saved;
  const http = () => request(app.getHttpServer());
  const keys = { admin: ADMIN_SECRET } as Record<ActorRole, string>;
  const keyIds = {} as Record<ActorRole, string>;
  for (const role of ROLES) {
    const res = await http()
      .post('/v1/admin/api-keys')
      .set('Authorization', `Bearer ${ADMIN_SECRET}`)
      .send({ name: `e2e ${role}`, role })
      .expect(201);
    keys[role] = res.body.key;
    keyIds[role] = res.body.id;
  }
  return {
    app,
    db,
    http,
    keys,
    keyIds,
    auth: (role) => ({ Authorization: `Bearer ${keys[role]}` }),
    eventCount: async () =>
      Number((await db.pool.query('SELECT count(*) FROM events')).rows[0].count),
    project: (now) => catchUpFully(new ProjectionRunner(db.pool, { now }), db.pool, PROJECTIONS),
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}

/** The October 2025 agreement as a registration body. */
export function october2025Agreement(id = 'gaza-2025-10') {
  return {
    id,
    title: 'Gaza ceasefire and hostage-prisoner exchange (October 2025)',
    effectiveAt: '2025-10-10T09:00:00Z',
    signedAt: '2025-10-09T00:00:00Z',
    parties: [
      { id: 'israel', name: 'Israel', role: 'signatory' },
      { id: 'hamas', name: 'Hamas', role: 'signatory' },
      { id: 'us', name: 'United States', role: 'guarantor' },
      { id: 'egypt', name: 'Egypt', role: 'mediator' },
    ],
    phases: [
      { key: 'phase-1', title: 'Phase 1: ceasefire, exchange, Rafah' },
      { key: 'phase-2', title: 'Phase 2: disarmament, withdrawal, stabilisation' },
    ],
    sources: ['Reuters', { name: 'Al Jazeera', kind: 'media', url: 'https://www.aljazeera.com/' }],
  };
}

/** The Gaza City airstrike of DOMAIN.md: one killed, four injured, two independent sources. */
export function gazaCityAirstrike(id?: string, agreementId = 'gaza-2025-10') {
  return {
    ...(id ? { id } : {}),
    agreementId,
    occurredAt: '2025-10-28T18:30:00Z',
    location: { name: 'Gaza City', lat: 31.5017, lon: 34.4668, precision: 'approximate' },
    category: 'airstrike',
    allegedPartyId: 'israel',
    description: 'Airstrike on a residential building in Gaza City; one killed and four injured.',
    casualties: { killed: 1, injured: 4 },
    sources: [
      { name: 'Gaza Health Ministry', kind: 'official' },
      { name: 'Reuters', kind: 'media', url: 'https://www.reuters.com/world/middle-east/' },
    ],
  };
}
