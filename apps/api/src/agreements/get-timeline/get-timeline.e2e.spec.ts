// The timeline through the API as a human account: a casualty revision and a dispute written
// through the write API appear beside the report they answer, with who recorded them and on
// which sources.
import type { ActorRole } from '@app/domain';
import {
  ApiHarness,
  october2025Agreement,
  startApi,
} from '../../../../../test/support/api-harness';

const AGREEMENT = 'gaza-2025-10';

interface Item {
  position: number;
  type: string;
  streamId: string;
  summary: string;
  recordedBy: { name: string; role: string } | null;
  sources: Array<{ name: string; kind?: string }>;
  subject: { kind: string; id: string; title?: string };
  corrects: { position: number; type: string } | null;
}

describe('GET /v1/agreements/:id/timeline (the account of a report and its corrections)', () => {
  let api: ApiHarness;
  let items: Item[];
  const post = (path: string, role: ActorRole, body: object) =>
    api.http().post(path).set(api.auth(role)).send(body);
  const one = (type: string) => {
    const found = items.filter((i) => i.type === type);
    expect(found).toHaveLength(1);
    return found[0];
  };

  beforeAll(async () => {
    api = await startApi();
    await post('/v1/agreements', 'coordinator', october2025Agreement(AGREEMENT)).expect(201);
    await post('/v1/violations', 'monitor', {
      id: 'v-1',
      agreementId: AGREEMENT,
      occurredAt: '2025-10-28T18:30:00Z',
      location: { name: 'Gaza City', precision: 'approximate' },
      category: 'airstrike',
      allegedPartyId: 'israel',
      description: 'Airstrike on a residential building',
      casualties: { killed: 1, injured: 4 },
      sources: [{ name: 'Gaza Health Ministry', kind: 'official' }, 'Reuters'],
    }).expect(201);
    await post('/v1/violations/v-1/casualties', 'monitor', {
      killed: 3,
      injured: 4,
      reason: 'two died of wounds',
      source: { name: 'Gaza Health Ministry', kind: 'official' },
    }).expect(200);
    await post('/v1/violations/v-1/disputes', 'verifier', {
      partyId: 'israel',
      statement: 'no strike took place there',
      source: 'IDF statement',
    }).expect(200);
    await api.project();
    const res = await api
      .http()
      .get(`/v1/agreements/${AGREEMENT}/timeline?limit=500`)
      .set(api.auth('reader'))
      .expect(200);
    items = res.body.items;
  });
  afterAll(() => api.close());

  it('shows the casualty revision pointing at the report, with the old and new figures', () => {
    const report = one('ViolationReported');
    expect(report).toMatchObject({
      streamId: 'violation-v-1',
      recordedBy: { name: 'e2e monitor', role: 'monitor' },
      sources: [{ name: 'Gaza Health Ministry', kind: 'official' }, { name: 'Reuters' }],
      subject: { kind: 'violation', id: 'v-1', title: 'airstrike by israel at Gaza City' },
      corrects: null,
    });
    expect(one('CasualtiesRevised')).toEqual({
      position: expect.any(Number),
      recordedAt: expect.any(String),
      occurredAt: null,
      type: 'CasualtiesRevised',
      streamId: 'violation-v-1',
      summary:
        'e2e monitor (monitor) revised the casualties of report v-1 from 1 killed and 4 injured to 3 killed and 4 injured, citing Gaza Health Ministry (official): two died of wounds.',
      recordedBy: { name: 'e2e monitor', role: 'monitor' },
      sources: [{ name: 'Gaza Health Ministry', kind: 'official' }],
      subject: { kind: 'violation', id: 'v-1', title: 'airstrike by israel at Gaza City' },
      corrects: { position: report.position, type: 'ViolationReported' },
    });
  });

  it('shows the dispute pointing at the report it disputes, with the verifier and the source', () => {
    expect(one('ViolationDisputed')).toMatchObject({
      summary:
        'e2e verifier (verifier) recorded that israel disputes report v-1, citing IDF statement: "no strike took place there".',
      recordedBy: { name: 'e2e verifier', role: 'verifier' },
      sources: [{ name: 'IDF statement' }],
      corrects: { position: one('ViolationReported').position, type: 'ViolationReported' },
    });
  });

  it('opens with the registration, said by the coordinator, and never shows a key id', () => {
    expect(items[0]).toMatchObject({
      type: 'AgreementRegistered',
      recordedBy: { name: 'e2e coordinator', role: 'coordinator' },
      subject: { kind: 'agreement', id: AGREEMENT },
      sources: [
        { name: 'Reuters' },
        { name: 'Al Jazeera', kind: 'media', url: 'https://www.aljazeera.com/' },
      ],
    });
    const body = JSON.stringify(items);
    for (const keyId of Object.values(api.keyIds)) expect(body).not.toContain(keyId);
  });

  it('describes every field of an item in the OpenAPI document', async () => {
    const res = await api.http().get('/docs-json').expect(200);
    const schemas = res.body.components.schemas;
    expect(Object.keys(schemas.TimelineItemView.properties).sort()).toEqual(
      [
        'position',
        'recordedAt',
        'occurredAt',
        'type',
        'streamId',
        'summary',
        'recordedBy',
        'sources',
        'subject',
        'corrects',
      ].sort(),
    );
    expect(Object.keys(schemas.TimelineSubjectView.properties).sort()).toEqual([
      'id',
      'kind',
      'title',
    ]);
    expect(Object.keys(schemas.TimelineLinkView.properties).sort()).toEqual(['position', 'type']);
    expect(Object.keys(schemas.TimelineRecorderView.properties).sort()).toEqual(['name', 'role']);
  });
});
