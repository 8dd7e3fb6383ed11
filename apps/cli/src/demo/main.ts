// `npm run seed:demo [-- --json]`: loads both Gaza agreements of DOMAIN.md into a running service
// through its write API, then prints their compliance once the worker has projected them.
// Running it again writes nothing. Exit codes: 0 done, 1 a request was refused, 2 usage or no API.
import { parseArgs } from 'node:util';
import { AppConfig } from '@app/shared/config/app-config';
import { ComplianceAnswer, formatCompliance, waitForCompliance } from './compliance-summary';
import { seedDemo, SeedFailed } from './seed-demo';

const USAGE = `Usage: npm run seed:demo [-- --json]

Writes the January 2025 and October 2025 Gaza agreements (parties, phases, obligations, progress,
verifications, violation reports, casualty tallies) through the write API of a running service,
then prints each agreement's compliance (--json: the compliance answers as JSON).

  API_URL        the service (default http://127.0.0.1:<PORT, else 3000>)
  SEED_API_KEY   an admin API key (default ADMIN_API_KEY): the writes need the coordinator,
                 monitor and verifier roles, and one key keeps a second run idempotent`;

/** How long to wait for the worker to project the writes before printing without them. */
const PROJECTION_WAIT_MS = 30_000;

async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  let json: boolean;
  try {
    const { values } = parseArgs({
      args: argv,
      options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    });
    if (values.help) {
      console.log(USAGE);
      return 2;
    }
    json = values.json === true;
  } catch (err) {
    console.error(`error: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const apiKey = env.SEED_API_KEY || env.ADMIN_API_KEY;
  if (!apiKey) {
    console.error(`error: set SEED_API_KEY (or ADMIN_API_KEY) to an admin API key\n\n${USAGE}`);
    return 2;
  }
  const options = {
    apiUrl: env.API_URL || `http://127.0.0.1:${env.PORT || new AppConfig().PORT}`,
    apiKey,
  };

  let results;
  try {
    results = await seedDemo(options);
  } catch (err) {
    if (!(err instanceof SeedFailed)) throw err;
    console.error(`error: ${err.message}`);
    return err.unreachable ? 2 : 1;
  }
  for (const r of results) {
    console.error(
      `${r.agreementId}: ${r.written + r.replayed} requests, ${r.written} written, ` +
        `${r.replayed} already there (replayed)`,
    );
  }

  const answers = await waitForCompliance(options, results, PROJECTION_WAIT_MS);
  if (json) {
    console.log(JSON.stringify(answers.filter(Boolean), null, 2));
  } else {
    answers.forEach((answer: ComplianceAnswer | null, i) => {
      console.log(
        answer
          ? formatCompliance(answer)
          : `${results[i].agreementId}: not projected yet (is the worker running?); ` +
              `GET /v1/agreements/${results[i].agreementId}/compliance shows it once it is.`,
      );
    });
  }
  return 0;
}

main(process.argv.slice(2), process.env).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error('error:', err);
    process.exitCode = 1;
  },
);
