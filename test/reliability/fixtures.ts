// What the reliability suites find in the database: two agreements, obligations and violation
// reports (every id the endpoint list names exists), written through the API as a client would.
// They are not projected: catching up waits for every transaction open on the PostgreSQL server,
// and other suites of the same run hold some open for long. Reads answer from empty projections,
// through the same validation and queries.
import type { ActorRole } from '../../libs/domain/src';
import { ApiHarness, october2025Agreement } from '../support/api-harness';

export const FIXTURE = {
  agreement: 'rel',
  otherAgreement: 'rel-2',
  obligation: 'rel-ob',
  otherObligation: 'rel-ob-2',
  violation: 'rel-v',
  otherViolation: 'rel-v-2',
} as const;

export async function seedFixture(api: ApiHarness): Promise<void> {
  const post = async (role: ActorRole, path: string, body: object) => {
    const res = await api.http().post(path).set(api.auth(role)).send(body);
    if (res.status >= 300) throw new Error(`seeding ${path}: ${res.status} ${res.text}`);
  };
  await post('coordinator', '/v1/agreements', october2025Agreement(FIXTURE.agreement));
  await post('coordinator', '/v1/agreements', october2025Agreement(FIXTURE.otherAgreement));
  await post('coordinator', `/v1/agreements/${FIXTURE.agreement}/phases/phase-1/start`, {
    startedAt: '2025-10-10T09:00:00Z',
  });
  for (const id of [FIXTURE.obligation, FIXTURE.otherObligation]) {
    await post('coordinator', `/v1/agreements/${FIXTURE.agreement}/obligations`, {
      id,
      phaseKey: 'phase-1',
      kind: 'remains_return',
      title: 'Return of the remains of deceased hostages',
      responsiblePartyId: 'hamas',
      dueWithin: { hours: 72, after: 'agreement_effective' },
      target: { quantity: 28, unit: 'remains' },
    });
  }
  for (const id of [FIXTURE.violation, FIXTURE.otherViolation]) {
    await post('monitor', '/v1/violations', { ...violationReport(), id });
  }
}

/** A valid violation report under the fixture agreement (without an id: the service makes one). */
export function violationReport(): Record<string, unknown> {
  return {
    agreementId: FIXTURE.agreement,
    occurredAt: '2025-10-28T14:30:00Z',
    location: { name: 'Gaza City', lat: 31.5, lon: 34.45, precision: 'approximate' },
    category: 'airstrike',
    allegedPartyId: 'israel',
    description: 'Strike on a residential building',
    casualties: { killed: 1, injured: 4 },
    sources: [{ name: 'Gaza Health Ministry', kind: 'official' }],
  };
}
