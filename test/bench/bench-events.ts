// Realistic domain events for the benchmarks that need a populated store (read, lag): agreements
// with parties and phases, obligations with progress reports, violation reports with sources,
// disputes, casualty revisions and verifications, casualty tallies. Shapes follow the deciders'
// events (libs/domain) and the fixtures in libs/testing/src/domain-fixtures.ts. Deterministic for
// a given seed, so runs are comparable.
import { randomUUID } from 'node:crypto';
import type { DomainEvent, ObligationKind, Source, ViolationCategory } from '@app/domain';
import { eventOccurredAt } from '@app/domain';
import { EventStore } from '@app/event-store';
import type { NewEvent } from '@app/event-store';
import type { Pool, PoolClient } from 'pg';

const DAY = 86_400_000;
const PARTIES = [
  { id: 'party-a', name: 'Party A', role: 'signatory' },
  { id: 'party-b', name: 'Party B', role: 'signatory' },
  { id: 'mediator-1', name: 'Mediator One', role: 'mediator' },
  { id: 'guarantor-1', name: 'Guarantor One', role: 'guarantor' },
] as const;
const SOURCES: Source[] = [
  { name: 'Reuters', kind: 'media' },
  { name: 'Associated Press', kind: 'media' },
  { name: 'Health Ministry', kind: 'official' },
  { name: 'UN OCHA', kind: 'ngo' },
  { name: 'Field team 3', kind: 'monitor' },
  { name: 'Party spokesperson', kind: 'party' },
];
const CATEGORIES: ViolationCategory[] = [
  'airstrike',
  'shelling',
  'shooting',
  'incursion',
  'demolition',
  'detention',
  'aid_obstruction',
  'rocket_fire',
];
const KINDS: ObligationKind[] = [
  'cessation_of_hostilities',
  'hostage_release',
  'prisoner_release',
  'remains_return',
  'withdrawal',
  'crossing_reopening',
  'disarmament',
  'reconstruction',
];
const PLACES = [
  { name: 'Gaza City, al-Sabra', lat: 31.5, lon: 34.45 },
  { name: 'Khan Younis', lat: 31.34, lon: 34.3 },
  { name: 'Rafah', lat: 31.29, lon: 34.25 },
  { name: 'Deir al-Balah', lat: 31.42, lon: 34.35 },
  { name: 'Beit Lahia', lat: 31.55, lon: 34.5 },
];

export const METADATA = (role: string) => ({
  actor: { keyId: `bench-${role}`, name: `Bench ${role}`, role },
  correlationId: randomUUID(),
});

/** A small deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: () => number, items: readonly T[]): T => items[Math.floor(r() * items.length)];
const iso = (ms: number) => new Date(ms).toISOString();

/** One stream's worth of events, appended in one call. */
export interface StreamAppend {
  streamId: string;
  streamType: 'agreement' | 'obligation' | 'violation';
  events: DomainEvent[];
  role: string;
}

export interface AgreementPlan {
  agreementId: string;
  effectiveMs: number;
  obligationIds: string[];
  rateObligationIds: string[];
}

/** Registration, phase starts and 10-20 obligations of one agreement (its first streams). */
export function agreementSetup(
  index: number,
  r: () => number,
  prefix = 'bench',
): { plan: AgreementPlan; appends: StreamAppend[] } {
  const agreementId = `${prefix}-agreement-${index}`;
  const effectiveMs = Date.UTC(2025, 0, 1) + index * DAY;
  const phases = ['phase-1', 'phase-2', 'phase-3'];
  const appends: StreamAppend[] = [
    {
      streamId: `agreement-${agreementId}`,
      streamType: 'agreement',
      role: 'coordinator',
      events: [
        {
          type: 'AgreementRegistered',
          data: {
            agreementId,
            title: `Benchmark agreement ${index}`,
            effectiveAt: iso(effectiveMs),
            signedAt: iso(effectiveMs - DAY),
            parties: PARTIES.map((p) => ({ ...p })),
            phases: phases.map((key, i) => ({ key, title: `Phase ${i + 1}`, startsAt: null })),
            sources: [SOURCES[0]],
            registeredAt: iso(effectiveMs),
          },
        },
        {
          type: 'PhaseStarted',
          data: {
            agreementId,
            phaseKey: 'phase-1',
            startedAt: iso(effectiveMs),
            recordedAt: iso(effectiveMs + 3_600_000),
          },
        },
        {
          type: 'PhaseStarted',
          data: {
            agreementId,
            phaseKey: 'phase-2',
            startedAt: iso(effectiveMs + 42 * DAY),
            recordedAt: iso(effectiveMs + 42 * DAY + 3_600_000),
          },
        },
      ],
    },
  ];
  const count = 10 + Math.floor(r() * 11);
  const obligationIds: string[] = [];
  const rateObligationIds: string[] = [];
  for (let o = 0; o < count; o++) {
    const obligationId = `${agreementId}-obligation-${o}`;
    const rate = o < 2;
    const responsible = o % 2 === 0 ? 'party-a' : 'party-b';
    const quantity = rate ? 600 : 10 + Math.floor(r() * 90);
    (rate ? rateObligationIds : obligationIds).push(obligationId);
    appends.push({
      streamId: `obligation-${obligationId}`,
      streamType: 'obligation',
      role: 'coordinator',
      events: [
        {
          type: 'ObligationRegistered',
          data: {
            obligationId,
            agreementId,
            phaseKey: o < count / 2 ? 'phase-1' : 'phase-2',
            kind: rate ? 'aid_access' : pick(r, KINDS),
            title: rate ? `At least ${quantity} aid trucks a day` : `Obligation ${o} of ${index}`,
            description: null,
            clause: `Article ${o + 1}`,
            responsiblePartyId: responsible,
            beneficiaryPartyId: responsible === 'party-a' ? 'party-b' : 'party-a',
            dueAt: null,
            dueWithin: { hours: rate ? 0 : 24 * (3 + Math.floor(r() * 60)), after: 'phase_start' },
            target: rate ? { quantity, unit: 'trucks', per: 'day' } : { quantity, unit: 'persons' },
            conditions: [],
            terms: null,
            sources: [SOURCES[0]],
            registeredAt: iso(effectiveMs),
          },
        },
      ],
    });
  }
  return { plan: { agreementId, effectiveMs, obligationIds, rateObligationIds }, appends };
}

/** One violation report and what followed it (0-4 more events on the same stream). */
export function violationStream(
  plan: AgreementPlan,
  r: () => number,
  n: number,
  prefix = 'bench',
): StreamAppend {
  const violationId = `${prefix}-v-${n}-${Math.floor(r() * 1e9).toString(36)}`;
  const { agreementId } = plan;
  const occurredMs = plan.effectiveMs + Math.floor(r() * 180 * DAY);
  let recordedMs = occurredMs + Math.floor(r() * 6 * 3_600_000);
  const place = pick(r, PLACES);
  const allegedPartyId = r() < 0.6 ? 'party-a' : 'party-b';
  const killed = Math.floor(r() * r() * 8);
  const injured = Math.floor(r() * 12);
  const events: DomainEvent[] = [
    {
      type: 'ViolationReported',
      data: {
        violationId,
        agreementId,
        occurredAt: iso(occurredMs),
        location: {
          name: place.name,
          lat: place.lat + r() * 0.01,
          lon: place.lon + r() * 0.01,
          precision: r() < 0.3 ? 'exact' : 'approximate',
        },
        category: pick(r, CATEGORIES),
        allegedPartyId,
        description: `Reported ${place.name} incident ${n}: residential building hit, witnesses interviewed by the field team.`,
        casualties: { killed, injured },
        sources: [pick(r, SOURCES)],
        relatedObligationIds: r() < 0.2 && plan.obligationIds.length ? [plan.obligationIds[0]] : [],
        reportedBy: { keyId: 'bench-monitor', name: 'Bench monitor' },
        recordedAt: iso(recordedMs),
      },
    },
  ];
  const next = () => iso((recordedMs += 1_800_000 + Math.floor(r() * 7_200_000)));
  const extra = Math.floor(r() * 5);
  for (let e = 0; e < extra; e++) {
    const roll = r();
    if (roll < 0.45) {
      events.push({
        type: 'ViolationSourceAdded',
        data: { violationId, agreementId, source: pick(r, SOURCES), recordedAt: next() },
      });
    } else if (roll < 0.65) {
      events.push({
        type: 'ViolationDisputed',
        data: {
          violationId,
          agreementId,
          partyId: allegedPartyId,
          statement: 'The party denies involvement.',
          source: r() < 0.5 ? SOURCES[5] : null,
          recordedAt: next(),
        },
      });
    } else if (roll < 0.8) {
      events.push({
        type: 'CasualtiesRevised',
        data: {
          violationId,
          agreementId,
          killed: killed + 1,
          injured,
          previous: { killed, injured },
          reason: 'hospital update',
          source: SOURCES[2],
          recordedAt: next(),
        },
      });
    } else if (roll < 0.97) {
      const confirmed = r() < 0.75;
      events.push({
        type: confirmed ? 'ViolationConfirmed' : 'ViolationDiscounted',
        data: {
          violationId,
          agreementId,
          note: confirmed ? 'footage geolocated' : 'predates the ceasefire',
          recordedAt: next(),
        },
      });
      break;
    } else {
      events.push({
        type: 'ViolationRetracted',
        data: { violationId, agreementId, reason: 'duplicate report', recordedAt: next() },
      });
      break;
    }
  }
  return { streamId: `violation-${violationId}`, streamType: 'violation', events, role: 'monitor' };
}

/** A progress report on one of the agreement's obligations. */
export function progressStream(plan: AgreementPlan, r: () => number): StreamAppend {
  const rate = r() < 0.5 && plan.rateObligationIds.length > 0;
  const obligationId = rate ? pick(r, plan.rateObligationIds) : pick(r, plan.obligationIds);
  const occurredMs = plan.effectiveMs + Math.floor(r() * 180 * DAY);
  return {
    streamId: `obligation-${obligationId}`,
    streamType: 'obligation',
    role: 'monitor',
    events: [
      {
        type: 'ProgressReported',
        data: {
          obligationId,
          agreementId: plan.agreementId,
          quantity: rate ? 300 + Math.floor(r() * 400) : 1 + Math.floor(r() * 5),
          occurredAt: iso(occurredMs),
          source: pick(r, SOURCES),
          note: null,
          recordedAt: iso(occurredMs + 3_600_000),
        },
      },
    ],
  };
}

/** A cumulative casualty figure from one source (the agreement's stream). */
export function tallyStream(plan: AgreementPlan, r: () => number, n: number): StreamAppend {
  const asOfMs = plan.effectiveMs + Math.floor(r() * 180 * DAY);
  const source = pick(r, SOURCES.slice(2, 4));
  return {
    streamId: `agreement-${plan.agreementId}`,
    streamType: 'agreement',
    role: 'monitor',
    events: [
      {
        type: 'CasualtyTallyRecorded',
        data: {
          agreementId: plan.agreementId,
          tallyId: `${plan.agreementId}-tally-${n}`,
          source,
          asOf: iso(asOfMs),
          killed: 100 + Math.floor(r() * 1000),
          injured: 300 + Math.floor(r() * 3000),
          attributedToPartyId: r() < 0.7 ? 'party-a' : null,
          note: null,
          recordedAt: iso(asOfMs + 3_600_000),
        },
      },
    ],
  };
}

/**
 * The next stream append of an agreement's ongoing activity: mostly violations (about 2.2 events
 * each), about 6% progress reports and 1% casualty tallies.
 */
export function activity(plan: AgreementPlan, r: () => number, n: number): StreamAppend {
  const roll = r();
  if (roll < 0.01) return tallyStream(plan, r, n);
  if (roll < 0.07) return progressStream(plan, r);
  return violationStream(plan, r, n);
}

export function toNewEvents(append: StreamAppend): NewEvent[] {
  const metadata = METADATA(append.role);
  return append.events.map((event) => ({
    type: event.type,
    data: event.data,
    metadata,
    occurredAt: eventOccurredAt(event),
  }));
}

/** Appends several streams' events in one transaction (a "batch" of about 100 events). */
export async function appendInTransaction(
  store: EventStore,
  client: PoolClient,
  appends: readonly StreamAppend[],
): Promise<number> {
  let events = 0;
  await client.query('BEGIN');
  try {
    for (const a of appends) {
      await store.append(a.streamId, a.streamType, toNewEvents(a), 'any', { client });
      events += a.events.length;
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
  return events;
}

/**
 * Appends `total` events over `agreements` agreements: transactions of about 100 events (several
 * streams each) at concurrency `writers`; each agreement belongs to one writer, so no two
 * transactions touch the same stream.
 */
export async function generateEvents(
  db: { pool: Pool },
  total: number,
  options: { writers: number; agreements: number; log: (message: string) => void },
): Promise<{ events: number; plans: AgreementPlan[] }> {
  const { writers: WRITERS, agreements: AGREEMENTS, log } = options;
  const t = () => performance.now();
  const store = new EventStore(db.pool);
  const setups = Array.from({ length: AGREEMENTS }, (_, a) => agreementSetup(a, prng(a + 1)));
  const plans = setups.map((s) => s.plan);
  let events = 0;
  let n = 0;
  let reported = 0;
  const started = t();
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, w) => {
      const mine = setups.filter((_, a) => a % WRITERS === w);
      const r = prng(10_000 + w);
      const client = await db.pool.connect();
      try {
        for (const s of mine) events += await appendInTransaction(store, client, s.appends);
        for (let k = 0; events < total; k++) {
          const plan = mine[k % mine.length].plan;
          const batch: StreamAppend[] = [];
          let size = 0;
          while (size < 100 && events + size < total) {
            const a = activity(plan, r, (n += 1));
            batch.push(a);
            size += a.events.length;
          }
          events += size;
          await appendInTransaction(store, client, batch);
          if (events - reported >= total / 10) {
            reported = events;
            log(
              `  ${events.toLocaleString('en')} events, ${((events / (t() - started)) * 1000).toFixed(0)} events/s`,
            );
          }
        }
      } finally {
        client.release();
      }
    }),
  );
  return { events, plans };
}
