// Every endpoint of API.md, once: the role it requires, a valid request (the access table sends
// it), and what its inputs are (the hostile campaign makes them wrong).
import type { ActorRole } from '../../libs/domain/src';
import { october2025Agreement } from '../support/api-harness';
import { FIXTURE, violationReport } from './fixtures';

/** 'public': no key needed. */
export type RequiredRole = ActorRole | 'public';

/** What a body field or query parameter holds, so that a generator can make it wrong. */
export type InputKind =
  | 'string'
  | 'id'
  | 'time'
  | 'int'
  | 'enum'
  | 'array'
  | 'object'
  | 'source'
  | 'limit'
  | 'cursor'
  | 'streamId';

export interface BodySpec {
  /** A valid body (a fresh one each call: bodies without an id create a new resource). */
  sample: () => Record<string, unknown>;
  required: string[];
  fields: Record<string, InputKind>;
  /** Nested objects whose own fields are whitelisted too. */
  nested?: string[];
}

export interface Endpoint {
  method: 'GET' | 'POST' | 'DELETE';
  /** As API.md writes it, with named parameters (:agreementId, :phaseKey, ...). */
  path: string;
  role: RequiredRole;
  /** Query parameters the access table sends (the as-of rows). */
  query?: Record<string, string>;
  /** Query parameters the endpoint takes, for the hostile campaign. */
  takes?: Record<string, InputKind>;
  body?: BodySpec;
  /** Server-Sent Events: read the status, then hang up. */
  stream?: true;
}

const AS_OF = '2025-11-01T00:00:00Z';
const PAGE: Record<string, InputKind> = { limit: 'limit', cursor: 'cursor' };
const REPLAY: Record<string, InputKind> = { asOf: 'time', occurredBefore: 'time' };

/** Path parameters of the fixture the valid requests name. */
export const PATH_VALUES: Record<string, string> = {
  agreementId: FIXTURE.agreement,
  phaseKey: 'phase-2',
  obligationId: FIXTURE.obligation,
  violationId: FIXTURE.violation,
  streamId: `agreement-${FIXTURE.agreement}`,
  // An API key that does not exist: revoking it is a 404, so the access table revokes nothing.
  apiKeyId: '00000000-0000-4000-8000-000000000000',
  name: 'violations',
  jobId: '1',
};

export function fillPath(path: string, values: Record<string, string> = PATH_VALUES): string {
  return path.replace(/:(\w+)/g, (_, name: string) => values[name]);
}

export const ENDPOINTS: Endpoint[] = [
  // Agreements
  {
    method: 'POST',
    path: '/v1/agreements',
    role: 'coordinator',
    body: {
      sample: () => {
        const { id: _id, ...agreement } = october2025Agreement();
        return agreement;
      },
      required: ['title', 'effectiveAt', 'parties', 'phases'],
      fields: {
        id: 'id',
        title: 'string',
        effectiveAt: 'time',
        signedAt: 'time',
        parties: 'array',
        phases: 'array',
        sources: 'array',
      },
    },
  },
  {
    method: 'POST',
    path: '/v1/agreements/:agreementId/phases/:phaseKey/start',
    role: 'coordinator',
    body: {
      sample: () => ({ startedAt: '2025-11-01T00:00:00Z' }),
      required: ['startedAt'],
      fields: { startedAt: 'time' },
    },
  },
  { method: 'GET', path: '/v1/agreements', role: 'reader', takes: PAGE },
  { method: 'GET', path: '/v1/agreements/:agreementId', role: 'reader' },
  {
    method: 'GET',
    path: '/v1/agreements/:agreementId/compliance',
    role: 'reader',
    takes: REPLAY,
  },
  {
    method: 'GET',
    path: '/v1/agreements/:agreementId/compliance',
    role: 'auditor',
    query: { asOf: AS_OF },
  },
  {
    method: 'GET',
    path: '/v1/agreements/:agreementId/compliance',
    role: 'auditor',
    query: { occurredBefore: AS_OF },
  },
  { method: 'GET', path: '/v1/agreements/:agreementId/timeline', role: 'reader', takes: PAGE },
  {
    method: 'GET',
    path: '/v1/agreements/:agreementId/violations/stats',
    role: 'reader',
    takes: { bucket: 'enum', from: 'time', to: 'time', partyId: 'id' },
  },
  {
    method: 'GET',
    path: '/v1/agreements/:agreementId/live',
    role: 'reader',
    stream: true,
  },
  {
    method: 'POST',
    path: '/v1/agreements/:agreementId/casualty-tallies',
    role: 'monitor',
    body: {
      sample: () => ({
        source: 'Gaza Health Ministry',
        asOf: '2025-11-10T00:00:00Z',
        killed: 242,
        injured: 600,
      }),
      required: ['source', 'asOf', 'killed', 'injured'],
      fields: {
        source: 'source',
        asOf: 'time',
        killed: 'int',
        injured: 'int',
        attributedToPartyId: 'id',
        note: 'string',
      },
    },
  },

  // Obligations
  {
    method: 'POST',
    path: '/v1/agreements/:agreementId/obligations',
    role: 'coordinator',
    body: {
      sample: () => ({
        phaseKey: 'phase-1',
        kind: 'hostage_release',
        title: 'Release of the remaining living hostages',
        responsiblePartyId: 'hamas',
        beneficiaryPartyId: 'israel',
        dueWithin: { hours: 72, after: 'agreement_effective' },
        target: { quantity: 20, unit: 'hostages' },
      }),
      required: ['phaseKey', 'kind', 'title', 'responsiblePartyId'],
      fields: {
        id: 'id',
        phaseKey: 'id',
        kind: 'enum',
        title: 'string',
        description: 'string',
        clause: 'string',
        responsiblePartyId: 'id',
        beneficiaryPartyId: 'id',
        dueAt: 'time',
        dueWithin: 'object',
        target: 'object',
        conditions: 'array',
        terms: 'object',
        sources: 'array',
      },
      nested: ['dueWithin', 'target'],
    },
  },
  {
    method: 'GET',
    path: '/v1/obligations',
    role: 'reader',
    takes: {
      ...PAGE,
      agreementId: 'id',
      partyId: 'id',
      phaseKey: 'id',
      status: 'enum',
      kind: 'enum',
    },
  },
  { method: 'GET', path: '/v1/obligations/:obligationId', role: 'reader', takes: REPLAY },
  {
    method: 'GET',
    path: '/v1/obligations/:obligationId',
    role: 'auditor',
    query: { asOf: AS_OF },
  },
  {
    method: 'GET',
    path: '/v1/obligations/:obligationId',
    role: 'auditor',
    query: { occurredBefore: AS_OF },
  },
  {
    method: 'POST',
    path: '/v1/obligations/:obligationId/progress',
    role: 'monitor',
    body: {
      sample: () => ({ quantity: 1, occurredAt: '2025-10-13T10:00:00Z', source: 'ICRC' }),
      required: ['quantity', 'occurredAt', 'source'],
      fields: { quantity: 'int', occurredAt: 'time', source: 'source', note: 'string' },
    },
  },
  {
    method: 'POST',
    path: '/v1/obligations/:obligationId/fulfilment-claims',
    role: 'monitor',
    body: {
      sample: () => ({
        claimedByPartyId: 'hamas',
        occurredAt: '2025-10-13T10:00:00Z',
        source: 'Hamas statement',
      }),
      required: ['claimedByPartyId', 'occurredAt', 'source'],
      fields: { claimedByPartyId: 'id', occurredAt: 'time', source: 'source', note: 'string' },
    },
  },
  {
    method: 'POST',
    path: '/v1/obligations/:obligationId/verification',
    role: 'verifier',
    body: {
      sample: () => ({ outcome: 'disputed', note: 'families report fewer releases' }),
      required: ['outcome', 'note'],
      fields: { outcome: 'enum', note: 'string', occurredAt: 'time', source: 'source' },
    },
  },
  {
    method: 'POST',
    path: '/v1/obligations/:obligationId/deadline',
    role: 'coordinator',
    body: {
      sample: () => ({ dueAt: '2025-10-20T00:00:00Z', reason: 'renegotiated' }),
      required: ['dueAt', 'reason'],
      fields: { dueAt: 'time', reason: 'string', source: 'source' },
    },
  },
  {
    method: 'POST',
    path: '/v1/obligations/:obligationId/state',
    role: 'coordinator',
    body: {
      sample: () => ({ action: 'resume', reason: 'talks resumed' }),
      required: ['action', 'reason'],
      fields: { action: 'enum', reason: 'string', citedViolationIds: 'array' },
    },
  },

  // Violations
  {
    method: 'POST',
    path: '/v1/violations',
    role: 'monitor',
    body: {
      sample: () => violationReport(),
      required: [
        'agreementId',
        'occurredAt',
        'location',
        'category',
        'allegedPartyId',
        'description',
        'sources',
      ],
      fields: {
        id: 'id',
        agreementId: 'id',
        occurredAt: 'time',
        location: 'object',
        category: 'enum',
        allegedPartyId: 'id',
        description: 'string',
        casualties: 'object',
        sources: 'array',
        relatedObligationIds: 'array',
      },
      nested: ['location', 'casualties'],
    },
  },
  {
    method: 'GET',
    path: '/v1/violations',
    role: 'reader',
    takes: {
      ...PAGE,
      agreementId: 'id',
      partyId: 'id',
      category: 'enum',
      verification: 'enum',
      from: 'time',
      to: 'time',
    },
  },
  {
    method: 'GET',
    path: '/v1/violations/export.csv',
    role: 'reader',
    takes: { agreementId: 'id', from: 'time', to: 'time' },
  },
  {
    method: 'GET',
    path: '/v1/violations/export.geojson',
    role: 'reader',
    takes: { agreementId: 'id', from: 'time', to: 'time' },
  },
  { method: 'GET', path: '/v1/violations/:violationId', role: 'reader', takes: REPLAY },
  {
    method: 'GET',
    path: '/v1/violations/:violationId',
    role: 'auditor',
    query: { asOf: AS_OF },
  },
  {
    method: 'GET',
    path: '/v1/violations/:violationId',
    role: 'auditor',
    query: { occurredBefore: AS_OF },
  },
  {
    method: 'POST',
    path: '/v1/violations/:violationId/sources',
    role: 'monitor',
    body: {
      sample: () => ({ name: 'Reuters', kind: 'media' }),
      required: ['name'],
      fields: {
        name: 'string',
        kind: 'enum',
        url: 'string',
        publishedAt: 'time',
        independenceGroup: 'string',
      },
    },
  },
  {
    method: 'POST',
    path: '/v1/violations/:violationId/casualties',
    role: 'monitor',
    body: {
      sample: () => ({ killed: 2, injured: 4, reason: 'hospital update', source: 'WHO' }),
      required: ['killed', 'injured', 'reason', 'source'],
      fields: { killed: 'int', injured: 'int', reason: 'string', source: 'source' },
    },
  },
  {
    method: 'POST',
    path: '/v1/violations/:violationId/disputes',
    role: 'verifier',
    body: {
      sample: () => ({ partyId: 'israel', statement: 'No strike took place there' }),
      required: ['partyId', 'statement'],
      fields: { partyId: 'id', statement: 'string', source: 'source' },
    },
  },
  {
    method: 'POST',
    path: '/v1/violations/:violationId/verification',
    role: 'verifier',
    body: {
      sample: () => ({ outcome: 'confirmed', note: 'imagery' }),
      required: ['outcome', 'note'],
      fields: { outcome: 'enum', note: 'string' },
    },
  },
  {
    method: 'POST',
    path: '/v1/violations/:violationId/retraction',
    role: 'monitor',
    body: {
      sample: () => ({ reason: 'duplicate report' }),
      required: ['reason'],
      fields: { reason: 'string' },
    },
  },

  // Audit
  { method: 'GET', path: '/v1/streams/:streamId/events', role: 'auditor', takes: PAGE },
  {
    method: 'GET',
    path: '/v1/events',
    role: 'auditor',
    takes: { after: 'cursor', limit: 'limit' },
  },
  { method: 'GET', path: '/v1/audit/verify', role: 'auditor', takes: { streamId: 'streamId' } },
  { method: 'GET', path: '/v1/audit/seals', role: 'auditor', takes: PAGE },

  // Operations
  { method: 'GET', path: '/health', role: 'public' },
  { method: 'GET', path: '/health/ready', role: 'public' },
  { method: 'GET', path: '/metrics', role: 'public' },
  { method: 'GET', path: '/docs', role: 'public' },
  { method: 'GET', path: '/docs-json', role: 'public' },
  { method: 'GET', path: '/v1/admin/projections', role: 'admin' },
  { method: 'POST', path: '/v1/admin/projections/:name/rebuild', role: 'admin' },
  { method: 'GET', path: '/v1/admin/jobs/:jobId', role: 'admin' },
  {
    method: 'POST',
    path: '/v1/admin/api-keys',
    role: 'admin',
    body: {
      sample: () => ({ name: 'reliability', role: 'reader' }),
      required: ['name', 'role'],
      fields: { name: 'string', role: 'enum' },
    },
  },
  { method: 'GET', path: '/v1/admin/api-keys', role: 'admin', takes: PAGE },
  { method: 'DELETE', path: '/v1/admin/api-keys/:apiKeyId', role: 'admin' },
  { method: 'GET', path: '/admin/queues', role: 'admin' },
];

/** API.md's role table: admin may do everything, every role reads, the rest is per role. */
export function roleMay(role: ActorRole, required: RequiredRole): boolean {
  return required === 'public' || role === 'admin' || required === 'reader' || role === required;
}

export const endpointName = (e: Endpoint) =>
  `${e.method} ${e.path}${e.query ? `?${new URLSearchParams(e.query)}` : ''}`;
