// What every process does before Nest starts: validate the configuration, check that PostgreSQL
// and Redis answer (saying which is missing and how to start it), then, as the owner role, create
// the service's role and the database if needed, run pending migrations and grant the service its
// privileges. Any failure ends the process with a clear message and exit code 1.
import { AppConfig, ConfigError, validateConfig } from '../config';
import {
  checkPostgres,
  checkRedis,
  DatabasePreparation,
  DatabaseSetupError,
  DependencyUnavailable,
  describeDatabaseUrl,
  prepareDatabase,
} from '../database';

export async function prepareRuntime(
  processName: string,
  options: { migrate?: boolean } = {},
): Promise<AppConfig> {
  try {
    const config = validateConfig(process.env);
    const migrate = config.MIGRATIONS_RUN && options.migrate !== false;
    const ownerUrl = config.MIGRATIONS_DATABASE_URL ?? config.DATABASE_URL;
    // Migrating, the owner connects first: the service's role may not exist until it is created.
    await checkPostgres(migrate ? ownerUrl : config.DATABASE_URL);
    await checkRedis(config.REDIS_URL);
    if (migrate) {
      const prepared = await prepareDatabase(ownerUrl, config.DATABASE_URL);
      reportPreparation(processName, ownerUrl, prepared);
      await checkPostgres(config.DATABASE_URL);
    }
    return config;
  } catch (err) {
    if (
      err instanceof ConfigError ||
      err instanceof DependencyUnavailable ||
      err instanceof DatabaseSetupError
    ) {
      console.error(`[${processName}] cannot start. ${err.message}`);
    } else {
      console.error(`[${processName}] cannot start:`, err);
    }
    process.exit(1);
  }
}

function reportPreparation(
  processName: string,
  ownerUrl: string,
  { role, createdDatabase, migrations }: DatabasePreparation,
): void {
  const log = (line: string) => console.log(`[${processName}] ${line}`);
  if (role.created) log(`created the service's role "${role.name}"`);
  if (createdDatabase) log(`created database "${describeDatabaseUrl(ownerUrl).database}"`);
  if (migrations.length) log(`ran migrations: ${migrations.join(', ')}`);
  if (!role.restricted) {
    const why = role.name === role.owner ? 'also runs the migrations' : 'is a superuser';
    log(
      `note: the service's role "${role.name}" ${why}, so no privilege keeps it from changing ` +
        `the ledger, only the triggers; give it a role of its own (README: Database roles)`,
    );
  }
}
