import { normaliseTime } from './time';

export const SOURCE_KINDS = ['official', 'media', 'ngo', 'monitor', 'party'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** Where a fact comes from. The HTTP layer turns a bare string into `{ name }`. */
export interface Source {
  readonly name: string;
  readonly kind?: SourceKind;
  readonly url?: string;
  readonly publishedAt?: string;
  /** Outlets repeating one wire story share a group; defaults to the source's name. */
  readonly independenceGroup?: string;
}

/** Case and surrounding spaces do not make two outlets independent. */
export function independenceGroupOf(source: Source): string {
  return (source.independenceGroup ?? source.name).trim().toLowerCase();
}

/** Copies only the known fields, so stored events never carry stray or undefined keys. */
export function normaliseSource(source: Source): Source {
  const out: {
    name: string;
    kind?: SourceKind;
    url?: string;
    publishedAt?: string;
    independenceGroup?: string;
  } = { name: source.name };
  if (source.kind !== undefined) out.kind = source.kind;
  if (source.url !== undefined) out.url = source.url;
  if (source.publishedAt !== undefined)
    out.publishedAt = normaliseTime(source.publishedAt, 'source.publishedAt');
  if (source.independenceGroup !== undefined) out.independenceGroup = source.independenceGroup;
  return out;
}
