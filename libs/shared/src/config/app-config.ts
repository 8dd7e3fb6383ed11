// One validated configuration for both apps. A bad value stops the process with a message that
// names the variable; every variable here is listed in the README's table.
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateIf,
  validateSync,
} from 'class-validator';

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
const toBool = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  return value;
};

/** The service's own role: it appends events and may never change them (README: Database roles). */
const DEFAULT_DATABASE_URL = 'postgres://ceasefire_app@127.0.0.1:5432/ceasefire';
/** The local superuser of a developer machine owns the tables and creates the service's role. */
const DEFAULT_MIGRATIONS_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/ceasefire';

export class AppConfig {
  @Matches(/^postgres(ql)?:\/\/[^/]+\/[A-Za-z0-9_-]+(\?.*)?$/, {
    message: 'DATABASE_URL must look like postgres://user[:password]@host:port/database',
  })
  DATABASE_URL = DEFAULT_DATABASE_URL;

  /**
   * The owner connection: creates the database and the service's role, runs the migrations and
   * grants the service its privileges. validateConfig always fills it in.
   */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/[^/]+\/[A-Za-z0-9_-]+(\?.*)?$/, {
    message: 'MIGRATIONS_DATABASE_URL must look like postgres://user[:password]@host:port/database',
  })
  MIGRATIONS_DATABASE_URL?: string;

  @Matches(/^rediss?:\/\/[^\s]+$/, { message: 'REDIS_URL must look like redis://host:port' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  @Transform(toInt)
  @IsInt({ message: 'PORT must be an integer from 1 to 65535' })
  @Min(1, { message: 'PORT must be an integer from 1 to 65535' })
  @Max(65535, { message: 'PORT must be an integer from 1 to 65535' })
  PORT = 3000;

  @IsString()
  @MinLength(1)
  HOST = '0.0.0.0';

  /** API processes sharing the port (node:cluster); one is enough behind a load balancer of replicas. */
  @Transform(toInt)
  @IsInt({ message: 'API_PROCESSES must be an integer from 1 to 64' })
  @Min(1, { message: 'API_PROCESSES must be an integer from 1 to 64' })
  @Max(64, { message: 'API_PROCESSES must be an integer from 1 to 64' })
  API_PROCESSES = 1;

  /** When set, /metrics is served on this port only (keep it off the public port in production). */
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'METRICS_PORT must be an integer from 1 to 65535' })
  @Min(1, { message: 'METRICS_PORT must be an integer from 1 to 65535' })
  @Max(65535, { message: 'METRICS_PORT must be an integer from 1 to 65535' })
  METRICS_PORT?: number;

  @Transform(toBool)
  @IsBoolean({ message: 'MIGRATIONS_RUN must be true or false' })
  MIGRATIONS_RUN = true;

  @Transform(toInt)
  @IsInt({ message: 'DATABASE_POOL_SIZE must be an integer from 1 to 500' })
  @Min(1, { message: 'DATABASE_POOL_SIZE must be an integer from 1 to 500' })
  @Max(500, { message: 'DATABASE_POOL_SIZE must be an integer from 1 to 500' })
  DATABASE_POOL_SIZE = 20;

  @Transform(toInt)
  @IsInt({ message: 'IDLE_IN_TRANSACTION_TIMEOUT_MS must be an integer >= 1000' })
  @Min(1000, { message: 'IDLE_IN_TRANSACTION_TIMEOUT_MS must be an integer >= 1000' })
  IDLE_IN_TRANSACTION_TIMEOUT_MS = 30000;

  @Matches(/^[A-Za-z0-9_.:-]{1,64}$/, {
    message: 'QUEUE_PREFIX must be 1-64 characters of letters, digits, _ . : -',
  })
  QUEUE_PREFIX = 'ceasefire';

  @Transform(toInt)
  @IsInt({ message: 'SEAL_INTERVAL_MS must be an integer >= 100' })
  @Min(100, { message: 'SEAL_INTERVAL_MS must be an integer >= 100' })
  SEAL_INTERVAL_MS = 5000;

  /**
   * An agreement gets a new replay snapshot (worker) once it has this many events since its last;
   * an as-of replay folds at most about this many events after the snapshot it starts from.
   * 0 turns snapshotting off.
   */
  @Transform(toInt)
  @ValidateIf((c: AppConfig) => c.SNAPSHOT_EVERY !== 0)
  @IsInt({ message: 'SNAPSHOT_EVERY must be 0 (off) or an integer from 100 to 1000000' })
  @Min(100, { message: 'SNAPSHOT_EVERY must be 0 (off) or an integer from 100 to 1000000' })
  @Max(1_000_000, { message: 'SNAPSHOT_EVERY must be 0 (off) or an integer from 100 to 1000000' })
  SNAPSHOT_EVERY = 5_000;

  /** How often the worker looks for agreements due a replay snapshot. */
  @Transform(toInt)
  @IsInt({ message: 'SNAPSHOT_INTERVAL_MS must be an integer >= 1000' })
  @Min(1000, { message: 'SNAPSHOT_INTERVAL_MS must be an integer >= 1000' })
  SNAPSHOT_INTERVAL_MS = 60_000;

  /** Feed events a rebuild folds into its shadow tables per transaction (worker). */
  @Transform(toInt)
  @IsInt({ message: 'REBUILD_BATCH_SIZE must be an integer from 100 to 10000' })
  @Min(100, { message: 'REBUILD_BATCH_SIZE must be an integer from 100 to 10000' })
  @Max(10_000, { message: 'REBUILD_BATCH_SIZE must be an integer from 100 to 10000' })
  REBUILD_BATCH_SIZE = 10_000;

  /**
   * Requests per minute per API key (per client IP without a valid key), counted in Redis so that
   * every API process shares the count; 0 turns the limit off. 1200 (20 a second) leaves room for
   * a dashboard polling a dozen panels every few seconds and for a monitor's burst of reports,
   * while one runaway client takes at most about 1% of one API process's measured write rate.
   */
  @Transform(toInt)
  @IsInt({ message: 'RATE_LIMIT_PER_MINUTE must be an integer from 0 (off) to 1000000' })
  @Min(0, { message: 'RATE_LIMIT_PER_MINUTE must be an integer from 0 (off) to 1000000' })
  @Max(1_000_000, { message: 'RATE_LIMIT_PER_MINUTE must be an integer from 0 (off) to 1000000' })
  RATE_LIMIT_PER_MINUTE = 1200;

  /**
   * Live compliance answers each API process keeps, one per agreement (least recently used go
   * first; an answer is ~3-10 KB). A kept answer is served only after checking that the
   * projections it came from are unchanged, and only while it stays true. 0 keeps none.
   */
  @Transform(toInt)
  @IsInt({ message: 'COMPLIANCE_CACHE_ENTRIES must be an integer from 0 (off) to 100000' })
  @Min(0, { message: 'COMPLIANCE_CACHE_ENTRIES must be an integer from 0 (off) to 100000' })
  @Max(100_000, { message: 'COMPLIANCE_CACHE_ENTRIES must be an integer from 0 (off) to 100000' })
  COMPLIANCE_CACHE_ENTRIES = 1000;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    message: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
  })
  LOG_LEVEL = 'info';

  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'ADMIN_API_KEY must be at least 16 characters' })
  ADMIN_API_KEY?: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** Validates the environment; throws ConfigError naming every bad variable. */
export function validateConfig(env: Record<string, unknown>): AppConfig {
  const known = Object.keys(new AppConfig());
  const relevant: Record<string, unknown> = {};
  for (const key of [...known, 'MIGRATIONS_DATABASE_URL', 'METRICS_PORT', 'ADMIN_API_KEY']) {
    const value = env[key];
    if (value !== undefined && value !== '') relevant[key] = value;
  }
  const config = plainToInstance(AppConfig, relevant);
  const errors = validateSync(config, { skipMissingProperties: false });
  if (errors.length > 0) {
    throw new ConfigError(
      errors.map((e) => Object.values(e.constraints ?? {})[0] ?? `${e.property} is invalid`),
    );
  }
  // The two default URLs are a pair (owner and service on a developer machine); a DATABASE_URL
  // set alone keeps meaning what it always did: one role runs the migrations and the service.
  config.MIGRATIONS_DATABASE_URL ??=
    relevant.DATABASE_URL === undefined ? DEFAULT_MIGRATIONS_DATABASE_URL : config.DATABASE_URL;
  return config;
}
