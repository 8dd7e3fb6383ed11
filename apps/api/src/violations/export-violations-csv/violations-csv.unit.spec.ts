import { csvCell, csvLine } from './violations-csv';

describe('CSV cells (RFC 4180, formula injection neutralised)', () => {
  it('leaves plain text and numbers as they are, negative coordinates included', () => {
    expect(csvCell('Gaza City')).toBe('Gaza City');
    expect(csvCell(-73.25)).toBe('-73.25');
    expect(csvCell(0)).toBe('0');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(null)).toBe('');
  });

  it('quotes a cell holding a comma, a quote or a line break, doubling the quotes', () => {
    expect(csvCell('Rafah, south')).toBe('"Rafah, south"');
    expect(csvCell('the "yellow line"')).toBe('"the ""yellow line"""');
    expect(csvCell('one\r\ntwo')).toBe('"one\r\ntwo"');
  });

  it.each(['=1+1', '+972', '-2', '@SUM(A1)', '\tcmd', '\rcmd'])(
    'prefixes text starting with a formula character with a single quote: %j',
    (text) => {
      expect(csvCell(text).replace(/^"/, '').startsWith(`'${text[0]}`)).toBe(true);
    },
  );

  it('neutralises before quoting, so the quote stays the first character inside the quotes', () => {
    expect(csvCell('=HYPERLINK("x","y")')).toBe(`"'=HYPERLINK(""x"",""y"")"`);
  });

  it('ends each record with CRLF', () => {
    expect(csvLine(['a', 1, undefined, 'b,c'])).toBe('a,1,,"b,c"\r\n');
  });
});
