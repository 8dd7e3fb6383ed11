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

export class AppConfig {
  @Matches(/^postgres(ql)?:\/\/[^/]+\/[A-Za-z0-9_-]+(\?.*)?$/, {
    message: 'DATABASE_URL must look like postgres://user[:password]@host:port/database',
  })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/ceasefire';

  /** Optional owner connection for migrations (defaults to DATABASE_URL). */
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

  /** Feed events a rebuild folds into its shadow tables per transaction (worker). */
  @Transform(toInt)
  @IsInt({ message: 'REBUILD_BATCH_SIZE must be an integer from 100 to 10000' })
  @Min(100, { message: 'REBUILD_BATCH_SIZE must be an integer from 100 to 10000' })
  @Max(10_000, { message: 'REBUILD_BATCH_SIZE must be an integer from 100 to 10000' })
  REBUILD_BATCH_SIZE = 10_000;

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
  for (const key of [...known, 'MIGRATIONS_DATABASE_URL', 'ADMIN_API_KEY']) {
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
  return config;
}
