import {
  agreementStreamId,
  DOMAIN_EVENT_TYPES,
  eventOccurredAt,
  isDomainEventType,
  normaliseSource,
  normaliseTime,
  obligationStreamId,
  parseStreamId,
  RuleViolated,
  SCHEMA_VERSION,
  toIso,
  violationStreamId,
  DuplicateId,
  NotFound,
  Forbidden,
} from '@app/domain';
import { progressReported, violationReported } from '@app/testing';

describe('shared domain helpers', () => {
  it('names streams <type>-<id> and reads them back', () => {
    expect(agreementStreamId('gaza-2025-10')).toBe('agreement-gaza-2025-10');
    expect(obligationStreamId('rafah')).toBe('obligation-rafah');
    expect(violationStreamId('v-1')).toBe('violation-v-1');
    expect(parseStreamId('obligation-rafah-crossing')).toEqual({
      type: 'obligation',
      id: 'rafah-crossing',
    });
    expect(parseStreamId('seal-1')).toBeNull();
  });

  it('stores every event type under schema version 1', () => {
    expect(DOMAIN_EVENT_TYPES).toHaveLength(20);
    expect(new Set(Object.values(SCHEMA_VERSION))).toEqual(new Set([1]));
    expect(isDomainEventType('ViolationReported')).toBe(true);
    expect(isDomainEventType('toString')).toBe(false);
  });

  it('files an event under the time it happened in the world, when it has one', () => {
    expect(eventOccurredAt(progressReported('o', 1, '2025-10-11T00:00:00.000Z'))).toBe(
      '2025-10-11T00:00:00.000Z',
    );
    expect(eventOccurredAt(violationReported())).toBe('2025-10-20T14:00:00.000Z');
    expect(
      eventOccurredAt({
        type: 'ViolationRetracted',
        data: {
          violationId: 'v',
          agreementId: 'a',
          reason: 'dup',
          recordedAt: '2025-10-21T00:00:00.000Z',
        },
      }),
    ).toBeNull();
  });

  it('normalises times to UTC and refuses unparsable ones as a broken rule', () => {
    expect(normaliseTime('2025-10-10T12:00:00+03:00', 'effectiveAt')).toBe(
      '2025-10-10T09:00:00.000Z',
    );
    expect(toIso(Date.UTC(2025, 9, 10))).toBe('2025-10-10T00:00:00.000Z');
    expect(() => normaliseTime('yesterday', 'occurredAt')).toThrow(RuleViolated);
  });

  it('keeps only the known fields of a source', () => {
    expect(
      normaliseSource({ name: 'AP', kind: 'media', publishedAt: '2025-10-10T12:00:00+03:00' }),
    ).toStrictEqual({
      name: 'AP',
      kind: 'media',
      publishedAt: '2025-10-10T09:00:00.000Z',
    });
  });

  it('gives every domain error a stable code', () => {
    expect(new RuleViolated('x')).toMatchObject({
      code: 'RULE_VIOLATED',
      name: 'RuleViolated',
      message: 'x',
    });
    expect(new NotFound('x').code).toBe('NOT_FOUND');
    expect(new DuplicateId('x').code).toBe('DUPLICATE_ID');
    expect(new Forbidden('x').code).toBe('FORBIDDEN');
    expect(new NotFound('x')).toBeInstanceOf(Error);
  });
});
