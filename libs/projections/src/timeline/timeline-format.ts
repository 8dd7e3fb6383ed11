// Pieces of the timeline's sentences: times, counts, lists, sources. Everything is computed from
// the event alone, in UTC, so a rebuild writes the same words years later.
import type { Source } from '@app/domain';

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** "11 October 2025, 14:00 UTC"; an exact midnight reads as the date alone ("12 October 2025"). */
export function when(iso: string): string {
  const t = new Date(iso);
  const date = `${t.getUTCDate()} ${MONTHS[t.getUTCMonth()]} ${t.getUTCFullYear()}`;
  if (t.getTime() % 86_400_000 === 0) return date;
  const hhmm = t.toISOString().slice(11, 16);
  return `${date}, ${hhmm} UTC`;
}

/** "1 hour", "72 hours". */
export function count(value: number, unit: string): string {
  return `${value} ${unit}${value === 1 ? '' : 's'}`;
}

/** "a", "a and b", "a, b and c". */
export function listing(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

export function casualties(figures: { killed: number; injured: number }): string {
  if (figures.killed === 0 && figures.injured === 0) return 'no casualties';
  return `${figures.killed} killed and ${figures.injured} injured`;
}

/** "Gaza Health Ministry (official)". */
export function describeSource(source: Source): string {
  return source.kind ? `${source.name} (${source.kind})` : source.name;
}

/** ", citing Reuters (media) and UN OCHA (ngo)", or nothing when no source is cited. */
export function citing(sources: readonly Source[]): string {
  return sources.length === 0 ? '' : `, citing ${listing(sources.map(describeSource))}`;
}

/** ": <words>" for a reason, note or statement given with the event. */
export function because(words: string | null | undefined): string {
  return words ? `: ${words.trim()}` : '';
}

/** Ends the sentence with a full stop unless the recorder's own words already did. */
export function sentence(text: string): string {
  return /[.!?]["”)]?$/.test(text) ? text : `${text}.`;
}
