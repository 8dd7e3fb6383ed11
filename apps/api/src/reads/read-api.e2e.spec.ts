// The read API's contract: who may read, how bad queries and unknown ids are answered, cursor
// pagination while writes go on, the CSV and GeoJSON exports, and the projections' status.
import type { ActorRole } from '@app/domain';
import {
  ApiHarness,
  gazaCityAirstrike,
  october2025Agreement,
  startApi,
} from '../../../../test/support/api-harness';

const AGREEMENT = 'gaza-2025-10';
const forgedCursor = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/** The Gaza City airstrike with one source, changed by `change`. */
const report = (id: string, change: Record<string, unknown> = {}) => ({
  ...gazaCityAirstrike(id, AGREEMENT),
  sources: [{ name: 'Gaza Health Ministry', kind: 'official' }],
  ...change,
});

const obligation = (id: string) => ({
  id,
  phaseKey: 'phase-1',
  kind: 'hostage_release',
  title: `Hostage release ${id}`,
  responsiblePartyId: 'hamas',
  dueWithin: { hours: 72, after: 'agreement_effective' },
  target: { quantity: 1, unit: 'hostages' },
});

interface ListPage {
  items: Array<{ id?: string; position?: number }>;
  nextCursor: string | null;
}

interface Endpoint {
  path: string;
  /** A query that makes it a 400, and why. */
  bad: Array<[string, string]>;
  /** The same endpoint with an id that does not exist. */
  unknown?: string;
}

/** The 400s of every list; `otherList` names a list whose cursors this one must refuse. */
const listBad = (otherList: string): Array<[string, string]> => [
  ['limit=0', 'limit below 1'],
  ['limit=501', 'limit above 500'],
  ['limit=ten', 'limit not a number'],
  ['limit=1&limit=2', 'limit given twice'],
  ['cursor=not%20a%20cursor', 'an unparsable cursor'],
  [`cursor=${forgedCursor(`l1.${otherList}.1`)}`, "another list's cursor"],
  [`cursor=${forgedCursor('l1.agreements.x1')}`, 'a forged cursor'],
  ['colour=red', 'an unknown parameter'],
];

const ENDPOINTS: Endpoint[] = [
  { path: '/v1/agreements', bad: listBad('violations') },
  {
    path: `/v1/agreements/${AGREEMENT}`,
    bad: [['asOf=2025-11-01T00:00:00Z', 'no replay of this read']],
    unknown: '/v1/agreements/no-such-agreement',
  },
  {
    path: `/v1/agreements/${AGREEMENT}/compliance`,
    bad: [
      ['asOf=2025-11-01', 'a date without time and zone'],
      ['occurredBefore=yesterday', 'not a time'],
      ['colour=red', 'unknown'],
    ],
    unknown: '/v1/agreements/no-such-agreement/compliance',
  },
  {
    path: `/v1/agreements/${AGREEMENT}/timeline`,
    bad: listBad('agreements'),
    unknown: '/v1/agreements/no-such-agreement/timeline',
  },
  {
    path: `/v1/agreements/${AGREEMENT}/violations/stats`,
    bad: [
      ['bucket=month', 'an unknown bucket'],
      ['from=2025-10-10T00:00:00', 'a time without zone'],
      ['to=2025-02-30T00:00:00Z', 'an impossible date'],
      ['partyId=Not%20A%20Slug', 'a malformed party id'],
      ['limit=10', 'an unknown parameter'],
    ],
    unknown: '/v1/agreements/no-such-agreement/violations/stats',
  },
  {
    path: '/v1/obligations',
    bad: [
      ...listBad('violations'),
      ['status=late', 'an unknown status'],
      ['kind=ransom', 'an unknown kind'],
      ['agreementId=UPPER_case', 'a malformed agreement id'],
    ],
  },
  {
    path: '/v1/obligations/hostages-1',
    bad: [
      ['asOf=2025-11-01T00:00:00', 'a time without zone'],
      ['asOf=2025-11-01T00:00:00Z&asOf=2025-11-02T00:00:00Z', 'asOf given twice'],
    ],
    unknown: '/v1/obligations/no-such-obligation',
  },
  {
    path: '/v1/violations',
    bad: [
      ...listBad('obligations'),
      ['category=looting', 'an unknown category'],
      ['verification=maybe', 'an unknown level'],
      ['from=2025-10-10T00:00:00', 'a time without zone'],
      ['to=yesterday', 'not a time'],
    ],
  },
  {
    path: '/v1/violations/v-1',
    bad: [
      ['occurredBefore=2025-02-30T00:00:00Z', 'an impossible date'],
      ['since=2025-11-01T00:00:00Z', 'an unknown parameter'],
    ],
    unknown: '/v1/violations/no-such-violation',
  },
  {
    path: '/v1/violations/export.csv',
    bad: [
      ['from=2025-10-10', 'a date without time and zone'],
      ['limit=10', 'an unknown parameter'],
    ],
  },
  {
    path: '/v1/violations/export.geojson',
    bad: [
      ['to=2025-10-10T00:00:00', 'a time without zone'],
      ['category=airstrike', 'an unknown parameter'],
    ],
  },
];

describe('the read API (HTTP)', () => {
  let api: ApiHarness;
  const post = (path: string, role: ActorRole, body: object) =>
    api.http().post(path).set(api.auth(role)).send(body);
  const get = (path: string, role: ActorRole = 'reader') =>
    api.http().get(path).set(api.auth(role));

  /** Walks a list page by page; `between` runs after each page (to write meanwhile). */
  async function walk(path: string, limit: number, between: (page: number) => Promise<void>) {
    const ids: string[] = [];
    let cursor: string | null = null;
    let page = 0;
    do {
      const sep = path.includes('?') ? '&' : '?';
      const query = `limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const body: ListPage = (await get(`${path}${sep}${query}`).expect(200)).body;
      expect(body.items.length).toBeLessThanOrEqual(limit);
      ids.push(...body.items.map((item) => String(item.id ?? item.position)));
      cursor = body.nextCursor;
      await between(++page);
    } while (cursor !== null);
    return ids;
  }

  beforeAll(async () => {
    api = await startApi();
    await post('/v1/agreements', 'coordinator', october2025Agreement(AGREEMENT)).expect(201);
    for (let i = 1; i <= 5; i++) {
      await post(
        `/v1/agreements/${AGREEMENT}/obligations`,
        'coordinator',
        obligation(`hostages-${i}`),
      ).expect(201);
    }
    for (let i = 1; i <= 5; i++)
      await post('/v1/violations', 'monitor', report(`v-${i}`)).expect(201);
    await api.project();
  });
  afterAll(() => api.close());

  describe.each(ENDPOINTS)('GET $path', ({ path, bad, unknown }) => {
    it('answers a reader with 200', async () => {
      await get(path).expect(200);
    });

    it('answers 401 without a key, or with an unknown one', async () => {
      const res = await api.http().get(path).expect(401);
      expect(res.body).toMatchObject({ statusCode: 401, code: 'UNAUTHENTICATED' });
      await api.http().get(path).set('Authorization', 'Bearer not-a-key').expect(401);
    });

    it.each(bad)('answers 400 VALIDATION_FAILED for ?%s (%s)', async (query) => {
      const res = await get(`${path}?${query}`).expect(400);
      expect(res.body).toMatchObject({
        statusCode: 400,
        error: 'Bad Request',
        code: 'VALIDATION_FAILED',
      });
    });

    if (unknown) {
      it('answers 404 NOT_FOUND for an unknown id', async () => {
        const res = await get(unknown).expect(404);
        expect(res.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
      });
    }
  });

  it('an id that cannot exist is 404 too, not 400', async () => {
    await get('/v1/obligations/Not_An_Id').expect(404);
    await get('/v1/agreements/Not_An_Id/compliance').expect(404);
  });

  describe('cursor pagination', () => {
    it('walks the agreements in registration order, each once, while more are registered', async () => {
      for (let i = 1; i <= 4; i++) {
        await post('/v1/agreements', 'coordinator', october2025Agreement(`page-a-${i}`)).expect(
          201,
        );
      }
      await api.project();
      const before = (await get('/v1/agreements?limit=500').expect(200)).body.items.map(
        (a: { id: string }) => a.id,
      );
      const seen = await walk('/v1/agreements', 2, async (page) => {
        await post('/v1/agreements', 'coordinator', october2025Agreement(`page-b-${page}`)).expect(
          201,
        );
        await api.project();
      });
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.slice(0, before.length)).toEqual(before);
      // Registered while walking: after the walk's start, in order, none skipped before the end.
      expect(seen.slice(before.length).every((id) => id.startsWith('page-b-'))).toBe(true);
    });

    it('walks the obligations of an agreement, each once, while more are registered', async () => {
      const path = `/v1/obligations?agreementId=${AGREEMENT}&partyId=hamas&phaseKey=phase-1&kind=hostage_release`;
      const seen = await walk(path, 2, async (page) => {
        await post(
          `/v1/agreements/${AGREEMENT}/obligations`,
          'coordinator',
          obligation(`late-${page}`),
        ).expect(201);
        await api.project();
      });
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.slice(0, 5)).toEqual([1, 2, 3, 4, 5].map((i) => `hostages-${i}`));
    });

    it('walks the violations newest first, each once; reports made meanwhile wait for the next walk', async () => {
      const path = `/v1/violations?agreementId=${AGREEMENT}`;
      const before = (await get(`${path}&limit=500`).expect(200)).body.items.map(
        (v: { id: string }) => v.id,
      );
      const seen = await walk(path, 2, async (page) => {
        await post('/v1/violations', 'monitor', report(`v-meanwhile-${page}`)).expect(201);
        await api.project();
      });
      expect(seen).toEqual(before);
      const after = (await get(`${path}&limit=500`).expect(200)).body.items;
      expect(after[0].id).toMatch(/^v-meanwhile-/);
    });

    it('walks the timeline in feed order, each event once', async () => {
      const path = `/v1/agreements/${AGREEMENT}/timeline`;
      const all = (await get(`${path}?limit=500`).expect(200)).body;
      expect(all.nextCursor).toBeNull();
      const positions = all.items.map((e: { position: number }) => e.position);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
      expect(all.items[0]).toMatchObject({
        type: 'AgreementRegistered',
        streamId: `agreement-${AGREEMENT}`,
      });
      const seen = await walk(path, 3, async () => undefined);
      expect(seen).toEqual(positions.map(String));
    });

    it('answers the last page with nextCursor null', async () => {
      const res = await get('/v1/agreements?limit=500').expect(200);
      expect(res.body.nextCursor).toBeNull();
      const first = await get('/v1/agreements?limit=1').expect(200);
      expect(typeof first.body.nextCursor).toBe('string');
    });
  });

  describe('filters', () => {
    it('lists violations by level, category, party and occurrence time', async () => {
      await post(
        '/v1/violations',
        'monitor',
        report('v-filtered', {
          occurredAt: '2025-11-05T10:00:00Z',
          category: 'shooting',
          allegedPartyId: 'hamas',
        }),
      ).expect(201);
      await api.project();
      const ids = async (query: string) =>
        (await get(`/v1/violations?${query}`).expect(200)).body.items.map(
          (v: { id: string }) => v.id,
        );
      expect(await ids('category=shooting')).toEqual(['v-filtered']);
      expect(await ids('partyId=hamas&verification=reported')).toEqual(['v-filtered']);
      expect(await ids('from=2025-11-01T00:00:00Z')).toEqual(['v-filtered']);
      expect(await ids('from=2025-11-05T10:00:00Z&to=2025-11-05T10:00:01Z')).toEqual([
        'v-filtered',
      ]);
      expect(await ids('to=2025-11-05T10:00:00%2B00:00')).not.toContain('v-filtered');
    });

    it('lists obligations by status', async () => {
      await post('/v1/obligations/hostages-1/progress', 'monitor', {
        quantity: 1,
        occurredAt: '2025-10-11T10:00:00Z',
        source: 'ICRC',
      }).expect(200);
      await api.project(() => new Date('2026-02-01T00:00:00Z'));
      const res = await get(`/v1/obligations?agreementId=${AGREEMENT}&status=fulfilled`).expect(
        200,
      );
      expect(res.body.items.map((o: { id: string }) => o.id)).toEqual(['hostages-1']);
      const one = await get('/v1/obligations/hostages-1').expect(200);
      expect(one.body).toMatchObject({ id: 'hostages-1', status: 'fulfilled', delivered: 1 });
    });
  });

  describe('GET /v1/violations/export.csv', () => {
    const EXPORT = 'csv-agreement';
    beforeAll(async () => {
      await post('/v1/agreements', 'coordinator', october2025Agreement(EXPORT)).expect(201);
      await post('/v1/violations', 'monitor', {
        ...report('csv-formula', { agreementId: EXPORT }),
        description: '=HYPERLINK("http://evil.example","click me")',
        sources: [{ name: '@wire, "quoted"', kind: 'media' }],
        casualties: { killed: 2, injured: 3 },
      }).expect(201);
      await post('/v1/violations', 'monitor', {
        ...report('csv-region', { agreementId: EXPORT }),
        occurredAt: '2025-10-30T06:00:00Z',
        location: { name: 'Rafah', precision: 'region' },
        category: 'demolition',
        allegedPartyId: 'hamas',
        description: 'Line one\nline two',
      }).expect(201);
      await api.project();
    });

    it('streams a header row and one RFC 4180 row per report, formulas neutralised', async () => {
      const res = await get(`/v1/violations/export.csv?agreementId=${EXPORT}`)
        .buffer(true)
        .parse((response, callback) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (text += chunk));
          response.on('end', () => callback(null, text));
        })
        .expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      const text = res.body as string;
      const [header] = text.split('\r\n');
      expect(header).toBe(
        'event_id_cnty,event_date,event_type,sub_event_type,actor1,country,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,injuries,verification',
      );
      expect(text.endsWith('\r\n')).toBe(true);
      // Newest recorded first.
      expect(text).toBe(
        [
          header,
          'csv-region,2025-10-30,Strategic developments,demolition,Hamas,,Rafah,,,3,Gaza Health Ministry,official,"Line one\nline two",1,4,reported',
          `csv-formula,2025-10-28,Explosions/Remote violence,airstrike,Israel,,Gaza City,31.5017,34.4668,2,"'@wire, ""quoted""",media,"'=HYPERLINK(""http://evil.example"",""click me"")",2,3,reported`,
          '',
        ].join('\r\n'),
      );
    });

    it('exports every matching report in list order, and only those in the time range', async () => {
      const all = await get('/v1/violations/export.csv').expect(200);
      const rows = all.text.trim().split('\r\n').slice(1);
      const listed = (await get('/v1/violations?limit=500').expect(200)).body.items;
      expect(rows.map((r) => r.split(',')[0])).toEqual(listed.map((v: { id: string }) => v.id));
      const ranged = await get(
        `/v1/violations/export.csv?agreementId=${EXPORT}&from=2025-10-29T00:00:00Z&to=2025-11-01T00:00:00Z`,
      ).expect(200);
      expect(
        ranged.text
          .trim()
          .split('\r\n')
          .slice(1)
          .map((r) => r.split(',')[0]),
      ).toEqual(['csv-region']);
    });
  });

  it('exports more reports than one list page holds, each once (the cursor walk)', async () => {
    const BULK = 'bulk-agreement';
    await post('/v1/agreements', 'coordinator', october2025Agreement(BULK)).expect(201);
    const ids = Array.from({ length: 520 }, (_, i) => `bulk-${i}`);
    for (let i = 0; i < ids.length; i += 20) {
      await Promise.all(
        ids
          .slice(i, i + 20)
          .map((id) =>
            post('/v1/violations', 'monitor', report(id, { agreementId: BULK })).expect(201),
          ),
      );
    }
    await api.project();
    const csv = await get(`/v1/violations/export.csv?agreementId=${BULK}`).expect(200);
    const rows = csv.text.trim().split('\r\n').slice(1);
    expect(rows).toHaveLength(520);
    expect(new Set(rows.map((r) => r.split(',')[0]))).toEqual(new Set(ids));
    const geojson = JSON.parse(
      (await get(`/v1/violations/export.geojson?agreementId=${BULK}`).expect(200)).text,
    );
    expect(geojson.features).toHaveLength(520);
  });

  describe('GET /v1/violations/export.geojson', () => {
    it('is a FeatureCollection of the reports with coordinates, as [lon, lat]', async () => {
      const res = await get('/v1/violations/export.geojson?agreementId=csv-agreement').expect(200);
      expect(res.headers['content-type']).toMatch(/^application\/geo\+json/);
      const collection = JSON.parse(res.text);
      expect(collection).toEqual({
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            id: 'csv-formula',
            geometry: { type: 'Point', coordinates: [34.4668, 31.5017] },
            properties: expect.objectContaining({
              agreementId: 'csv-agreement',
              occurredAt: '2025-10-28T18:30:00.000Z',
              category: 'airstrike',
              allegedPartyId: 'israel',
              killed: 2,
              injured: 3,
              verification: 'reported',
            }),
          },
        ],
      });
    });

    it('is an empty FeatureCollection when nothing matches', async () => {
      const res = await get('/v1/violations/export.geojson?agreementId=nothing-here').expect(200);
      expect(JSON.parse(res.text)).toEqual({ type: 'FeatureCollection', features: [] });
    });
  });

  describe('GET /v1/admin/projections', () => {
    it.each(['reader', 'monitor', 'auditor'] as ActorRole[])(
      'is refused to a %s with 403',
      async (role) => {
        const res = await get('/v1/admin/projections', role).expect(403);
        expect(res.body).toMatchObject({ statusCode: 403, code: 'FORBIDDEN' });
      },
    );

    it('answers 401 without a key', async () => {
      await api.http().get('/v1/admin/projections').expect(401);
    });

    it('shows every projection live and caught up after project()', async () => {
      await post('/v1/violations', 'monitor', report('v-lag')).expect(201);
      await api.project();
      const res = await get('/v1/admin/projections', 'admin').expect(200);
      const items = res.body.items;
      expect(items.map((p: { name: string }) => p.name).sort()).toEqual(
        ['agreements', 'casualty-tallies', 'obligations', 'timeline', 'violations'].sort(),
      );
      for (const p of items) {
        expect(p).toMatchObject({ state: 'live', lagEvents: 0, lagSeconds: 0 });
        expect(p.position).toBeGreaterThan(0);
        expect(Number.isNaN(Date.parse(p.updatedAt))).toBe(false);
      }
    });

    it('shows the lag while events wait to be projected', async () => {
      await post('/v1/violations', 'monitor', report('v-lag-2')).expect(201);
      // The feed counts an event once no older transaction of the server is still running (any
      // database's: other suites may hold the horizon back for a moment), so ask until it shows.
      let lag = 0;
      for (let tries = 0; lag === 0 && tries < 100; tries++) {
        if (tries > 0) await new Promise((r) => setTimeout(r, 100));
        const res = await get('/v1/admin/projections', 'admin').expect(200);
        lag = res.body.items.find((p: { name: string }) => p.name === 'violations').lagEvents;
      }
      expect(lag).toBeGreaterThanOrEqual(1);
      await api.project();
    });
  });

  it('documents every read in the OpenAPI document', async () => {
    const res = await api.http().get('/docs-json').expect(200);
    const paths = res.body.paths;
    for (const path of [
      '/v1/agreements',
      '/v1/agreements/{id}',
      '/v1/agreements/{id}/compliance',
      '/v1/agreements/{id}/timeline',
      '/v1/agreements/{id}/violations/stats',
      '/v1/obligations',
      '/v1/obligations/{id}',
      '/v1/violations',
      '/v1/violations/{id}',
      '/v1/violations/export.csv',
      '/v1/violations/export.geojson',
      '/v1/admin/projections',
    ]) {
      expect(paths[path]?.get?.responses?.['200']).toBeDefined();
    }
    const schemas = res.body.components.schemas;
    for (const page of ['Agreement', 'Obligation', 'Violation', 'Timeline']) {
      expect(schemas[`${page}PageView`].properties.items.items.$ref).toBe(
        `#/components/schemas/${page === 'Timeline' ? 'TimelineItem' : page}View`,
      );
    }
    expect(paths['/v1/obligations'].get.parameters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: 'status',
          schema: expect.objectContaining({ enum: expect.arrayContaining(['overdue']) }),
        }),
      ]),
    );
  });
});
