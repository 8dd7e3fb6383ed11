// What every process does before Nest starts: validate the configuration, check that PostgreSQL
// and Redis answer (saying which is missing and how to start it), create the database if needed
// and run pending migrations. Any failure ends the process with a clear message and exit code 1.
import { AppConfig, ConfigError, validateConfig } from '../config';
import {
  checkPostgres,
  checkRedis,
  DependencyUnavailable,
  describeDatabaseUrl,
  ensureDatabaseExists,
  runMigrations,
} from '../database';

export async function prepareRuntime(
  processName: string,
  options: { migrate?: boolean } = {},
): Promise<AppConfig> {
  try {
    const config = validateConfig(process.env);
    await checkPostgres(config.DATABASE_URL);
    await checkRedis(config.REDIS_URL);
    if (config.MIGRATIONS_RUN && options.migrate !== false) {
      const ownerUrl = config.MIGRATIONS_DATABASE_URL ?? config.DATABASE_URL;
      if (await ensureDatabaseExists(ownerUrl)) {
        console.log(
          `[${processName}] created database "${describeDatabaseUrl(ownerUrl).database}"`,
        );
      }
      const ran = await runMigrations(ownerUrl);
      if (ran.length) console.log(`[${processName}] ran migrations: ${ran.join(', ')}`);
    }
    return config;
  } catch (err) {
    if (err instanceof ConfigError || err instanceof DependencyUnavailable) {
      console.error(`[${processName}] cannot start. ${err.message}`);
    } else {
      console.error(`[${processName}] cannot start:`, err);
    }
    process.exit(1);
  }
}
