// Validators shared by the request DTOs: times with a zone, ids, and sources given as a name or
// as a Source object.
import {
  Matches,
  registerDecorator,
  ValidationArguments,
  ValidationOptions,
} from 'class-validator';
import type { Source } from '@app/domain';
import { SOURCE_KINDS } from '@app/domain';

export const ID_PATTERN =
  /^(?:[a-z0-9-]{1,64}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$/;
export const ID_MESSAGE = '$property must be 1-64 characters of a-z, 0-9 and -, or a UUID';

const ISO_WITH_ZONE =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):?(\d{2}))$/;

/** An ISO-8601 date-time with a zone, that exists on the calendar. */
export function isIsoDateTimeWithZone(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > 40) return false;
  const m = ISO_WITH_ZONE.exec(value);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(
    Number,
  );
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1 || day > daysInMonth)
    return false;
  if (hour > 23 || minute > 59 || second > 59) return false;
  if (m[8] !== undefined && (Number(m[8]) > 14 || Number(m[9]) > 59)) return false;
  return !Number.isNaN(Date.parse(value));
}

export function IsIsoDateTimeWithZone(options?: ValidationOptions): PropertyDecorator {
  return (object, propertyName) =>
    registerDecorator({
      name: 'isIsoDateTimeWithZone',
      target: object.constructor,
      propertyName: String(propertyName),
      options: {
        message: '$property must be an ISO-8601 date-time with a zone, like 2025-10-10T09:00:00Z',
        ...options,
      },
      validator: { validate: (value: unknown) => isIsoDateTimeWithZone(value) },
    });
}

/**
 * Text with at least one character that is not white space: a blank title, name, reason or
 * statement is a malformed body (400), not a broken domain rule (the deciders still refuse it).
 */
export function IsNotBlank(options?: ValidationOptions): PropertyDecorator {
  return Matches(/\S/, { message: '$property must not be blank', ...options });
}

const SOURCE_KEYS = new Set(['name', 'kind', 'url', 'publishedAt', 'independenceGroup']);

/** Why a value is not a source (a name, or a Source object), or null when it is one. */
export function sourceProblem(value: unknown): string | null {
  if (typeof value === 'string') {
    return value.trim().length >= 1 && value.length <= 200
      ? null
      : 'a source name must be 1-200 characters';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'a source must be a name or an object { name, kind?, url?, publishedAt?, independenceGroup? }';
  }
  const s = value as Record<string, unknown>;
  const unknown = Object.keys(s).filter((k) => !SOURCE_KEYS.has(k));
  if (unknown.length) return `a source has no field ${unknown.join(', ')}`;
  if (typeof s.name !== 'string' || s.name.trim().length < 1 || s.name.length > 200)
    return 'source.name must be 1-200 characters';
  if (s.kind !== undefined && !(SOURCE_KINDS as readonly unknown[]).includes(s.kind)) {
    return `source.kind must be one of ${SOURCE_KINDS.join(', ')}`;
  }
  if (
    s.url !== undefined &&
    (typeof s.url !== 'string' || s.url.length > 2000 || !/^https?:\/\/\S+$/.test(s.url))
  ) {
    return 'source.url must be an http(s) URL of at most 2000 characters';
  }
  if (s.publishedAt !== undefined && !isIsoDateTimeWithZone(s.publishedAt)) {
    return 'source.publishedAt must be an ISO-8601 date-time with a zone';
  }
  if (
    s.independenceGroup !== undefined &&
    (typeof s.independenceGroup !== 'string' ||
      s.independenceGroup.trim().length < 1 ||
      s.independenceGroup.length > 200)
  ) {
    return 'source.independenceGroup must be 1-200 characters';
  }
  return null;
}

/** A source: its name as a string, or a Source object. With { each: true } for a list. */
export function IsSourceInput(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isSourceInput',
      target: object.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) => sourceProblem(value) === null,
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property}: ${sourceProblem(args?.value) ?? 'invalid source'}`,
      },
    });
}

export type SourceInput = string | Source;

/** Read models and events always hold Source objects. */
export function toSource(input: SourceInput): Source {
  return typeof input === 'string' ? { name: input } : input;
}
