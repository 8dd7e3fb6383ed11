// A list read with optional filters, as a statement holding only the filters given. Written as
// "($1 IS NULL OR column = $1)" for every filter, one statement serves every combination but has to
// be planned again on each request (a generic plan cannot use the index of a filter that may be
// absent): planning took as long as running the obligation list. With one statement per
// combination, each prepared once per connection under its own name, PostgreSQL settles on a
// generic plan that fits what that combination filters on, and stops planning.
import type { QueryConfig } from 'pg';

/** A filter: its SQL condition, `$` standing for its value, and the value (absent: no filter). */
export type Filter = readonly [condition: string, value: unknown];

/**
 * The statement `build` makes of the given filters' conditions (joined with AND; `TRUE` when none
 * is given) and of `param`, which adds a value and answers its placeholder. Named after `name`
 * and which filters are given.
 */
export function filteredQuery(
  name: string,
  filters: readonly Filter[],
  build: (where: string, param: (value: unknown) => string) => string,
): QueryConfig {
  const values: unknown[] = [];
  const param = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  const given = filters.map(([, value]) => value !== undefined && value !== null);
  const conditions = filters
    .filter((_, i) => given[i])
    .map(([condition, value]) => condition.replaceAll('$', param(value)));
  const text = build(conditions.length ? conditions.join(' AND ') : 'TRUE', param);
  return { name: `${name}_${given.map((g) => (g ? 1 : 0)).join('')}`, text, values };
}
