// Command-line parsing with node:util's parseArgs: one option set per command, unknown options
// and stray arguments refused (a usage error, exit code 2).
import { parseArgs } from 'node:util';
import { ACTOR_ROLES, ActorRole } from '@app/domain/shared/context';
import { isActorRole, UUID_PATTERN } from '@app/shared/api-keys/api-keys.store';
import { isValidId } from '@app/shared/ids/ids';
import { PROJECTIONS } from '@app/projections/projections';

/** `<type>-<id>`, as the API takes it. */
export const STREAM_ID_PATTERN = /^(agreement|obligation|violation)-[A-Za-z0-9-]{1,64}$/;

export type Command =
  | { name: 'help' }
  | {
      name: 'verify';
      streamId?: string;
      compareProjections: boolean;
      /** Fold every replay snapshot again from nothing (only present when asked for). */
      snapshots?: true;
      json: boolean;
    }
  | { name: 'rebuild'; projections: string[]; json: boolean }
  | { name: 'seal'; json: boolean }
  | { name: 'latest-seal'; json: boolean }
  | { name: 'api-keys create'; keyName: string; role: ActorRole; json: boolean }
  | { name: 'api-keys list'; json: boolean }
  | { name: 'api-keys revoke'; id: string; json: boolean }
  | { name: 'export'; agreementId: string; out?: string }
  | { name: 'import'; file: string; json: boolean };

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
  verify [--stream <streamId>] [--compare-projections] [--snapshots] [--json]
      Recompute every stream's hash chain and every ledger seal (or one stream's chain) and list
      each problem by stream, version and position. A whole-ledger check also checks every replay
      snapshot against the events it covers (their count and digest). With --compare-projections,
      also replay the feed into temporary tables and list every projection row that differs from
      the live one. With --snapshots, also fold every replay snapshot's events again from nothing
      and list every snapshot whose rows differ. A bad snapshot is marked rejected: as-of
      replays no longer start from it. Exit code 1 when there is any problem.
  rebuild <projection>... | all [--json]
      Rebuild projections now, in this process, without downtime: shadow tables from the start
      of the feed, then one swap each (the worker's rebuild job does the same). Several (or all)
      are rebuilt together: the projections that read most of the feed share one read of it.
      Resumes a rebuild left half-done. Projections: ${PROJECTIONS.map((p) => p.name).join(', ')}.
  seal [--json]
      Seal the committed, unsealed prefix of the event feed now, and print what was sealed.
  latest-seal [--json]
      Print the newest seal (its hash is what an operator publishes elsewhere).
      Exit code 1 when nothing has been sealed yet.
  api-keys create --name <name> --role <role> [--json]
      Create an API key and print its secret (shown once).
      Roles: ${ACTOR_ROLES.join(', ')}.
  api-keys list [--json]
      List API keys (no secrets).
  api-keys revoke <id> [--json]
      Revoke an API key; running APIs refuse it from their next request.
  export <agreementId> [--out <file>]
      Write every event of the agreement's streams (its own, its obligations', its violations'),
      in feed order, as NDJSON: one stored event per line, with its hash. To stdout without --out.
      Exit code 1 when the agreement has no events.
  import <file> [--json]
      Load an export into this database (which must not hold those streams), keeping every
      event's id, version, times and hash. Every hash is recomputed first; a file with a wrong
      hash, a broken chain or a partial stream is refused whole (exit code 1, nothing written).
  help
      Print this text.

Configuration comes from the same environment variables as the service (DATABASE_URL, ...).
Exit codes: 0 ok, 1 a problem found (or nothing to show), 2 usage, configuration or connection error.`;

function parse(
  args: string[],
  options: Record<string, { type: 'string' | 'boolean' }>,
  positionals: number,
  command: string,
) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(`${command}: ${(err as Error).message}`);
  }
  if (parsed.positionals.length > positionals) {
    throw new UsageError(
      `${command}: unexpected argument ${JSON.stringify(parsed.positionals[positionals])}`,
    );
  }
  return parsed;
}

const JSON_OPTION = { json: { type: 'boolean' } } as const;

export function parseCommand(argv: string[]): Command {
  const [first, ...rest] = argv;
  switch (first) {
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      return { name: 'help' };
    case 'verify': {
      const { values } = parse(
        rest,
        {
          ...JSON_OPTION,
          stream: { type: 'string' },
          'compare-projections': { type: 'boolean' },
          snapshots: { type: 'boolean' },
        },
        0,
        first,
      );
      const streamId = values.stream as string | undefined;
      if (streamId !== undefined && !STREAM_ID_PATTERN.test(streamId)) {
        throw new UsageError(
          `verify: --stream must be agreement-<id>, obligation-<id> or violation-<id>, got ${JSON.stringify(streamId)}`,
        );
      }
      return {
        name: 'verify',
        streamId,
        compareProjections: values['compare-projections'] === true,
        ...(values.snapshots === true ? { snapshots: true as const } : {}),
        json: values.json === true,
      };
    }
    case 'rebuild': {
      const names = PROJECTIONS.map((p) => p.name);
      const { values, positionals } = parse(rest, JSON_OPTION, names.length, first);
      const projections = positionals.includes('all') ? names : [...new Set(positionals)];
      const unknown = projections.find((name) => !names.includes(name));
      if (projections.length === 0 || unknown !== undefined) {
        throw new UsageError(
          `rebuild: give one or more of ${names.join(', ')}, or all; got ${JSON.stringify(unknown ?? '')}`,
        );
      }
      return { name: 'rebuild', projections, json: values.json === true };
    }
    case 'seal':
    case 'latest-seal': {
      const { values } = parse(rest, JSON_OPTION, 0, first);
      return { name: first, json: values.json === true };
    }
    case 'api-keys':
      return parseApiKeys(rest);
    case 'export': {
      const { values, positionals } = parse(rest, { out: { type: 'string' } }, 1, first);
      const agreementId = positionals[0];
      if (!agreementId) throw new UsageError('export: give the id of the agreement to export');
      if (!isValidId(agreementId)) {
        throw new UsageError(`export: ${JSON.stringify(agreementId)} is not an agreement id`);
      }
      const out = values.out as string | undefined;
      if (out === '') throw new UsageError('export: --out needs a file name');
      return { name: 'export', agreementId, out };
    }
    case 'import': {
      const { values, positionals } = parse(rest, JSON_OPTION, 1, first);
      const file = positionals[0];
      if (!file) throw new UsageError('import: give the file to import');
      return { name: 'import', file, json: values.json === true };
    }
    default:
      throw new UsageError(`unknown command ${JSON.stringify(first)}`);
  }
}

function parseApiKeys(argv: string[]): Command {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'create': {
      const { values } = parse(
        rest,
        { ...JSON_OPTION, name: { type: 'string' }, role: { type: 'string' } },
        0,
        'api-keys create',
      );
      const keyName = typeof values.name === 'string' ? values.name.trim() : '';
      if (keyName.length < 1 || keyName.length > 200) {
        throw new UsageError('api-keys create: --name is required (1-200 characters)');
      }
      const role = values.role;
      if (typeof role !== 'string' || !isActorRole(role)) {
        throw new UsageError(`api-keys create: --role must be one of ${ACTOR_ROLES.join(', ')}`);
      }
      return { name: 'api-keys create', keyName, role, json: values.json === true };
    }
    case 'list': {
      const { values } = parse(rest, JSON_OPTION, 0, 'api-keys list');
      return { name: 'api-keys list', json: values.json === true };
    }
    case 'revoke': {
      const { values, positionals } = parse(rest, JSON_OPTION, 1, 'api-keys revoke');
      const id = positionals[0];
      if (!id) throw new UsageError('api-keys revoke: give the id of the key to revoke');
      if (!UUID_PATTERN.test(id)) {
        throw new UsageError(`api-keys revoke: ${JSON.stringify(id)} is not a key id (a UUID)`);
      }
      return { name: 'api-keys revoke', id, json: values.json === true };
    }
    case undefined:
      throw new UsageError('api-keys: give a subcommand: create, list or revoke');
    default:
      throw new UsageError(`api-keys: unknown subcommand ${JSON.stringify(sub)}`);
  }
}
