import { randomUUID } from 'node:crypto';
import type { ExportedEvent } from './event-export';
import { checkExportedChains, ImportEntry, parseExportedEvents } from './event-import';
import { chainHash, encodeBody, GENESIS_HASH } from './hash-chain';

/** A stream's events chained the way append_events chains them. */
function stream(streamId: string, count: number, firstRecorded = Date.UTC(2025, 9, 10)) {
  const events: ExportedEvent[] = [];
  let prev = GENESIS_HASH;
  for (let version = 1; version <= count; version++) {
    const event = {
      eventId: randomUUID(),
      streamId,
      streamType: streamId.split('-')[0],
      streamVersion: version,
      type: version === 1 ? 'ObligationRegistered' : 'ProgressReported',
      schemaVersion: 1,
      data: { obligationId: streamId, quantity: version, nested: { b: 1, a: [1e21, 'ü'] } },
      metadata: { actor: { keyId: 'k', name: 'Field monitor', role: 'monitor' } },
      occurredAt: version === 1 ? null : new Date(firstRecorded - 3_600_000).toISOString(),
      recordedAt: new Date(firstRecorded + version * 1234).toISOString(),
    };
    const body = encodeBody({
      ...event,
      occurredAt: event.occurredAt ? new Date(event.occurredAt) : null,
    });
    const hash = chainHash(prev, { ...event, recordedAt: new Date(event.recordedAt) }, body.hash);
    events.push({ ...event, prevHash: prev.toString('hex'), hash: hash.toString('hex') });
    prev = hash;
  }
  return events;
}

const ndjson = (events: ExportedEvent[]) => events.map((e) => JSON.stringify(e)).join('\n');
const entries = (events: ExportedEvent[]): ImportEntry[] =>
  events.map((event, i) => ({ line: i + 1, event }));
const kinds = (events: ExportedEvent[]) =>
  checkExportedChains(entries(events)).map((p) => [p.kind, p.line]);

describe('reading an export', () => {
  it('accepts interleaved whole streams whose hashes it recomputes', () => {
    const a = stream('obligation-a', 3);
    const b = stream('violation-b', 2);
    const file = ndjson([a[0], b[0], a[1], b[1], a[2]]) + '\n\n';
    const { entries: parsed, problems } = parseExportedEvents(file);
    expect(problems).toEqual([]);
    expect(parsed.map((e) => e.line)).toEqual([1, 2, 3, 4, 5]);
    expect(checkExportedChains(parsed)).toEqual([]);
  });

  it('names the line of each malformed one', () => {
    const [event] = stream('agreement-x', 1);
    const { problems } = parseExportedEvents(
      [
        '{not json',
        JSON.stringify([1]),
        JSON.stringify({ ...event, hash: 'abc' }),
        JSON.stringify({ ...event, recordedAt: '2025-10-10T09:00:00+02:00' }),
        JSON.stringify({ ...event, streamVersion: 0, metadata: null }),
      ].join('\n'),
    );
    expect(problems.map((p) => [p.line, p.kind])).toEqual([
      [1, 'malformed'],
      [2, 'malformed'],
      [3, 'malformed'],
      [4, 'malformed'],
      [5, 'malformed'],
    ]);
    expect(problems[2].detail).toBe('missing or invalid hash (64 hex digits)');
    expect(problems[3].detail).toContain('recordedAt');
    expect(problems[4].detail).toContain('streamVersion');
    expect(problems[4].detail).toContain('metadata');
  });

  it('finds an event whose data, time or hash was changed', () => {
    const events = stream('obligation-a', 3);
    expect(kinds([events[0], { ...events[1], data: { quantity: 99 } }, events[2]])).toEqual([
      ['hash_mismatch', 2],
    ]);
    const later = new Date(Date.parse(events[1].recordedAt) + 1).toISOString();
    expect(kinds([events[0], { ...events[1], recordedAt: later }, events[2]])).toEqual([
      ['hash_mismatch', 2],
    ]);
    // A forged hash breaks the next event's link too.
    expect(kinds([events[0], { ...events[1], hash: 'f'.repeat(64) }, events[2]])).toEqual([
      ['hash_mismatch', 2],
      ['chain_break', 3],
    ]);
  });

  it('refuses a stream with an event left out, or one that does not start at version 1', () => {
    const events = stream('obligation-a', 3);
    expect(kinds([events[0], events[2]])).toEqual([
      ['version_gap', 2],
      ['chain_break', 2],
    ]);
    expect(kinds([events[1], events[2]])).toEqual([
      ['version_gap', 1],
      ['chain_break', 1],
    ]);
  });

  it('refuses an event listed twice', () => {
    const [first, second] = stream('obligation-a', 2);
    expect(kinds([first, second, first])).toContainEqual(['duplicate_event', 3]);
  });
});
