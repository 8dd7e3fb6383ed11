// COPY's text format round-trips every kind of cell the projections write: text with the four
// characters COPY escapes, NULL, numbers, big integers, times, and JSON with escapes of its own.
import { createTestDatabase, TestDatabase } from '../../../../test/support/test-database';
import { copyRows, copyText, textArray } from './copy-rows';

const COLUMNS = ['t', 'n', 'big', 'at', 'j', 'x', 'ok', 'a'];

describe('copyRows', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(2);
  });
  afterAll(() => db.drop());

  it('escapes what COPY would read as a delimiter, an end of line or an escape', () => {
    expect(copyText('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
    expect(copyText(null)).toBe('\\N');
    expect(copyText(undefined)).toBe('\\N');
    expect(copyText('\\N')).toBe('\\\\N');
    expect(copyText(new Date('2025-10-10T12:00:00Z'))).toBe('2025-10-10T12:00:00.000Z');
    expect(copyText({ q: 'say "hi"\n' })).toBe('{"q":"say \\\\"hi\\\\"\\\\n"}');
  });

  it('writes rows that read back exactly, in order, inside the caller transaction', async () => {
    const client = await db.pool.connect();
    try {
      await client.query(`CREATE TABLE copied (seq bigint GENERATED ALWAYS AS IDENTITY,
        t text, n integer, big bigint, at timestamptz, j jsonb, x xid8, ok boolean, a text[])`);
      const texts = ['plain', 'tab\there', 'line\nbreak', 'cr\rhere', 'back\\slash', '\\N', ''];
      const rows = texts.map((t, i) => [
        t,
        i,
        BigInt('9007199254740993') + BigInt(i),
        new Date(Date.UTC(2025, 9, 10, 12, 0, i)),
        i === 0 ? null : { text: t, list: [i, 'a"b\\c'], nested: { none: null } },
        `${1000 + i}`,
        i % 2 === 0,
        textArray(i === 0 ? [] : [t, 'x,y', 'q"uote', '{brace}', 'NULL']),
      ]);
      await client.query('BEGIN');
      await copyRows(client, 'copied', COLUMNS, rows);
      await client.query('ROLLBACK');
      expect((await client.query('SELECT count(*)::int AS n FROM copied')).rows[0].n).toBe(0);

      await client.query('BEGIN');
      await copyRows(client, 'copied', COLUMNS, rows);
      await client.query('COMMIT');
      const back = await client.query(
        'SELECT t, n, big::text, at, j, x::text, ok, a FROM copied ORDER BY seq',
      );
      expect(back.rows).toEqual(
        rows.map(([t, n, big, at, j, x, ok], i) => ({
          t,
          n,
          big: String(big),
          at,
          j,
          x,
          ok,
          a: i === 0 ? [] : [t, 'x,y', 'q"uote', '{brace}', 'NULL'],
        })),
      );
    } finally {
      client.release();
    }
  });

  it('fails the whole COPY on a bad row, writing nothing', async () => {
    const client = await db.pool.connect();
    try {
      await client.query('CREATE TABLE strict_rows (n integer NOT NULL)');
      await client.query('BEGIN');
      await expect(copyRows(client, 'strict_rows', ['n'], [[1], [null], [3]])).rejects.toThrow(
        /null value/,
      );
      await client.query('ROLLBACK');
      expect((await client.query('SELECT count(*)::int AS n FROM strict_rows')).rows[0].n).toBe(0);
    } finally {
      client.release();
    }
  });
});
