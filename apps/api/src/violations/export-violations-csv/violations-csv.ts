// The CSV export's columns (ACLED-like, plus injuries and verification) and RFC 4180 encoding,
// with spreadsheet formula injection neutralised.
import type { ViolationCategory } from '@app/domain';
import type { ViolationReadModel } from '@app/projections';

export const CSV_COLUMNS = [
  'event_id_cnty',
  'event_date',
  'event_type',
  'sub_event_type',
  'actor1',
  'country',
  'location',
  'latitude',
  'longitude',
  'geo_precision',
  'source',
  'source_scale',
  'notes',
  'fatalities',
  'injuries',
  'verification',
] as const;

// ACLED's event types, so analysts' filters work; sub_event_type keeps our own category verbatim.
const ACLED_EVENT_TYPE: Record<ViolationCategory, string> = {
  airstrike: 'Explosions/Remote violence',
  shelling: 'Explosions/Remote violence',
  rocket_fire: 'Explosions/Remote violence',
  shooting: 'Violence against civilians',
  attack_on_forces: 'Battles',
  incursion: 'Strategic developments',
  demolition: 'Strategic developments',
  detention: 'Strategic developments',
  aid_obstruction: 'Strategic developments',
  other: 'Strategic developments',
};

// ACLED's geo_precision: 1 the exact place, 2 near it, 3 only the region.
const GEO_PRECISION = { exact: 1, approximate: 2, region: 3 } as const;

// A spreadsheet would run a text cell starting with these as a formula (OWASP "CSV injection");
// tab and carriage return are on OWASP's list too.
const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: numbers as they are; text neutralised against formulas, then quoted when needed. */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record, CRLF-terminated (RFC 4180). */
export function csvLine(values: ReadonlyArray<string | number | null | undefined>): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

export const CSV_HEADER = csvLine(CSV_COLUMNS);

/** One report's row; `partyName` names the alleged party (ACLED's actor1 is a name). */
export function violationCsvLine(v: ViolationReadModel, partyName: string): string {
  const kinds = [...new Set(v.sources.map((s) => s.kind).filter((k) => k !== undefined))];
  const row: Record<(typeof CSV_COLUMNS)[number], string | number | null | undefined> = {
    event_id_cnty: v.id,
    event_date: v.occurredAt.slice(0, 10),
    event_type: ACLED_EVENT_TYPE[v.category],
    sub_event_type: v.category,
    actor1: partyName,
    // The model keeps no country; left empty rather than guessed.
    country: '',
    location: v.location.name,
    latitude: v.location.lat,
    longitude: v.location.lon,
    geo_precision: GEO_PRECISION[v.location.precision],
    source: v.sources.map((s) => s.name).join('; '),
    source_scale: kinds.join('; '),
    notes: v.description,
    fatalities: v.casualties.killed,
    injuries: v.casualties.injured,
    verification: v.verification,
  };
  return csvLine(CSV_COLUMNS.map((column) => row[column]));
}
