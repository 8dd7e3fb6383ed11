import { filteredQuery } from './filtered-query';

describe('filteredQuery', () => {
  const list = (agreementId?: string, status?: string, after?: string | null) =>
    filteredQuery(
      'things',
      [
        ['agreement_id = $', agreementId],
        ['status = $', status],
        ['seq > $::bigint', after],
      ],
      (where, param) => `SELECT * FROM t WHERE ${where} ORDER BY seq LIMIT ${param(51)}`,
    );

  it('holds only the filters given, numbered in order, and names the combination', () => {
    expect(list('gaza', undefined, '12')).toEqual({
      name: 'things_101',
      text: 'SELECT * FROM t WHERE agreement_id = $1 AND seq > $2::bigint ORDER BY seq LIMIT $3',
      values: ['gaza', '12', 51],
    });
  });

  it('filters on nothing when no filter is given', () => {
    expect(list(undefined, undefined, null)).toEqual({
      name: 'things_000',
      text: 'SELECT * FROM t WHERE TRUE ORDER BY seq LIMIT $1',
      values: [51],
    });
  });

  it('gives every combination its own name, and the same combination the same statement', () => {
    const a = list('gaza', 'overdue');
    const b = list('lebanon', 'pending');
    expect(a.name).toBe('things_110');
    expect([b.name, b.text]).toEqual([a.name, a.text]);
    expect(list('gaza').name).not.toBe(a.name);
  });

  it('keeps an empty string as a filter (it is a value, not an absent one)', () => {
    expect(list('', undefined).values).toEqual(['', 51]);
  });
});
