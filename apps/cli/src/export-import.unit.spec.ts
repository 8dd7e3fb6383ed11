import { parseCommand, UsageError } from './args';
import { formatImportProblems } from './import-command';

describe('export and import arguments', () => {
  it('reads an agreement id with an optional file, and a file to import', () => {
    expect(parseCommand(['export', 'gaza-2025-10'])).toEqual({
      name: 'export',
      agreementId: 'gaza-2025-10',
      out: undefined,
    });
    expect(parseCommand(['export', 'gaza-2025-10', '--out', 'oct.ndjson'])).toEqual({
      name: 'export',
      agreementId: 'gaza-2025-10',
      out: 'oct.ndjson',
    });
    expect(parseCommand(['import', 'oct.ndjson', '--json'])).toEqual({
      name: 'import',
      file: 'oct.ndjson',
      json: true,
    });
  });

  it.each([
    [['export']],
    [['export', 'Not_An_Id']],
    [['export', 'a', 'b']],
    [['export', 'a', '--out']],
    [['export', 'a', '--out', '']],
    [['import']],
    [['import', 'a', 'b']],
    [['import', 'a', '--out', 'b']],
  ])('refuses %j as a usage error', (argv) => {
    expect(() => parseCommand(argv)).toThrow(UsageError);
  });
});

describe('import report', () => {
  it('names the line, stream and version of each problem', () => {
    expect(
      formatImportProblems([
        {
          kind: 'hash_mismatch',
          line: 16,
          streamId: 'obligation-a',
          streamVersion: 2,
          detail: 'the hash does not match the event as given',
        },
        { kind: 'stream_exists', streamId: 'agreement-x', detail: 'the stream exists' },
        { kind: 'malformed', line: 3, detail: 'not JSON' },
      ]),
    ).toBe(
      [
        'Import refused, nothing written: 3 problems',
        '  line 16, obligation-a version 2: hash_mismatch: the hash does not match the event as given',
        '  agreement-x: stream_exists: the stream exists',
        '  line 3: malformed: not JSON',
      ].join('\n'),
    );
  });
});
