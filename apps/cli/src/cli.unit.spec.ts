import { parseCommand, UsageError } from './args';
import { formatReport } from './cli';
import { generateSecret, hashSecret } from '@app/shared/api-keys/api-keys.store';

describe('CLI argument parsing', () => {
  it('reads each command and its options', () => {
    expect(parseCommand([])).toEqual({ name: 'help' });
    expect(parseCommand(['verify'])).toEqual({
      name: 'verify',
      streamId: undefined,
      compareProjections: false,
      json: false,
    });
    expect(parseCommand(['verify', '--stream', 'violation-v1', '--json'])).toEqual({
      name: 'verify',
      streamId: 'violation-v1',
      compareProjections: false,
      json: true,
    });
    expect(parseCommand(['verify', '--compare-projections'])).toMatchObject({
      compareProjections: true,
    });
    expect(parseCommand(['rebuild', 'obligations'])).toEqual({
      name: 'rebuild',
      projections: ['obligations'],
      json: false,
    });
    expect(parseCommand(['rebuild', 'timeline', 'violations', 'timeline'])).toMatchObject({
      projections: ['timeline', 'violations'],
    });
    expect(parseCommand(['rebuild', 'all', '--json'])).toEqual({
      name: 'rebuild',
      projections: ['agreements', 'obligations', 'violations', 'timeline', 'casualty-tallies'],
      json: true,
    });
    expect(() => parseCommand(['rebuild'])).toThrow(
      /rebuild: give one or more of agreements, obligations/,
    );
    expect(() => parseCommand(['rebuild', 'timeline', 'nothing'])).toThrow(/got "nothing"/);
    expect(parseCommand(['verify', '--stream=agreement-x'])).toMatchObject({
      streamId: 'agreement-x',
    });
    expect(parseCommand(['latest-seal', '--json'])).toEqual({ name: 'latest-seal', json: true });
    expect(parseCommand(['api-keys', 'create', '--name', ' desk ', '--role', 'monitor'])).toEqual({
      name: 'api-keys create',
      keyName: 'desk',
      role: 'monitor',
      json: false,
    });
    expect(parseCommand(['api-keys', 'revoke', '00000000-0000-4000-8000-000000000000'])).toEqual({
      name: 'api-keys revoke',
      id: '00000000-0000-4000-8000-000000000000',
      json: false,
    });
  });

  it.each([
    [['nope']],
    [['verify', '--stream']],
    [['verify', '--stream', 'stream-1']],
    [['verify', 'extra']],
    [['latest-seal', '--all']],
    [['api-keys', 'delete', 'x']],
    [['api-keys', 'create', '--name', '', '--role', 'reader']],
    [['api-keys', 'create', '--name', 'x'.repeat(201), '--role', 'reader']],
    [['api-keys', 'revoke']],
    [['api-keys', 'revoke', 'a', 'b']],
  ])('refuses %j as a usage error', (argv) => {
    expect(() => parseCommand(argv)).toThrow(UsageError);
  });
});

describe('CLI output', () => {
  it('groups problems by stream, seals last', () => {
    const text = formatReport({
      ok: false,
      streamsChecked: 2,
      eventsChecked: 1,
      sealsChecked: 1,
      problems: [
        {
          kind: 'hash_mismatch',
          streamId: 'agreement-a',
          streamVersion: 2,
          position: 7,
          detail: 'd1',
        },
        { kind: 'missing_events', streamId: 'agreement-b', streamVersion: 3, detail: 'd2' },
        { kind: 'seal_mismatch', sealNo: 1, position: 9, detail: 'd3' },
      ],
    });
    expect(text).toBe(
      [
        'Checked 2 streams, 1 event, 1 seal.',
        '3 problems found:',
        'agreement-a',
        '  version 2, position 7: hash_mismatch: d1',
        'agreement-b',
        '  version 3: missing_events: d2',
        'ledger seals',
        '  seal 1, position 9: seal_mismatch: d3',
      ].join('\n'),
    );
  });

  it('makes keys like the API does', () => {
    const secret = generateSecret();
    expect(secret).toMatch(/^cfl_[A-Za-z0-9_-]{43}$/);
    expect(hashSecret('abc').toString('hex')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});
