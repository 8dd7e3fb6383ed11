// The demo seeder: an HTTP client of a running service that writes the demo agreements through
// the public write API. Every request carries an Idempotency-Key made from its agreement and
// step, so running it again is answered from the first run's records and writes nothing.
import { DemoAgreement, requestOf } from './demo-agreement';
import { GAZA_2025_01 } from './gaza-2025-01';
import { GAZA_2025_10 } from './gaza-2025-10';

export const DEMO_AGREEMENTS: readonly DemoAgreement[] = [GAZA_2025_01, GAZA_2025_10];

export interface SeedOptions {
  /** The service's base URL, e.g. http://127.0.0.1:3000. */
  apiUrl: string;
  /**
   * An admin key: the writes need the coordinator, monitor and verifier roles, and one key for
   * all of them keeps the idempotency records (scoped to the key that sent them) replayable.
   */
  apiKey: string;
  agreements?: readonly DemoAgreement[];
}

export interface SeedResult {
  agreementId: string;
  /** Requests that wrote events now. */
  written: number;
  /** Requests answered from an earlier run's idempotency record. */
  replayed: number;
  /** The highest global position among the agreement's writes. */
  lastPosition: number;
}

/** The service refused a request, or could not be reached. */
export class SeedFailed extends Error {
  constructor(
    message: string,
    /** True when no answer came at all (nothing listens at the URL). */
    readonly unreachable = false,
  ) {
    super(message);
    this.name = 'SeedFailed';
  }
}

/** Rate limiting and brief unavailability are waited out; anything else stops the run. */
const RETRY_STATUSES = new Set([429, 503]);
const MAX_ATTEMPTS = 10;

export const idempotencyKeyOf = (agreementId: string, stepKey: string): string =>
  `seed-demo:${agreementId}:${stepKey}`;

async function post(
  options: SeedOptions,
  path: string,
  body: object,
  idempotencyKey: string,
): Promise<{ replayed: boolean; position: number }> {
  const url = new URL(path, options.apiUrl);
  for (let attempt = 1; ; attempt++) {
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${options.apiKey}`,
          'Content-Type': 'application/json',
          'Idempotency-Key': idempotencyKey,
          // The events' correlationId, so the log of a run can be found again.
          'X-Request-Id': idempotencyKey,
        },
        body: JSON.stringify(body),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new SeedFailed(
        `cannot reach the API at ${options.apiUrl} (${cause?.code ?? cause?.message ?? (err as Error).message}); start it or set API_URL`,
        true,
      );
    }
    const text = await res.text();
    if (RETRY_STATUSES.has(res.status) && attempt < MAX_ATTEMPTS) {
      const seconds = Number(res.headers.get('retry-after'));
      await new Promise((r) => setTimeout(r, (Number.isFinite(seconds) ? seconds : 1) * 1000));
      continue;
    }
    if (!res.ok) {
      throw new SeedFailed(`POST ${path} (${idempotencyKey}) answered ${res.status}: ${text}`);
    }
    const answer = JSON.parse(text) as { position: number };
    return {
      replayed: res.headers.get('idempotent-replayed') === 'true',
      position: answer.position,
    };
  }
}

function checkKeys(demo: DemoAgreement): void {
  const seen = new Set<string>(['agreement']);
  for (const step of demo.steps) {
    if (seen.has(step.key)) {
      throw new Error(`demo ${demo.agreement.id}: step key ${step.key} is used twice`);
    }
    seen.add(step.key);
  }
}

/** Writes every demo agreement, step by step, in order; stops at the first refusal. */
export async function seedDemo(options: SeedOptions): Promise<SeedResult[]> {
  const results: SeedResult[] = [];
  for (const demo of options.agreements ?? DEMO_AGREEMENTS) {
    checkKeys(demo);
    const agreementId = demo.agreement.id;
    const result: SeedResult = { agreementId, written: 0, replayed: 0, lastPosition: 0 };
    const send = async (stepKey: string, path: string, body: object) => {
      const answer = await post(options, path, body, idempotencyKeyOf(agreementId, stepKey));
      if (answer.replayed) result.replayed += 1;
      else result.written += 1;
      result.lastPosition = Math.max(result.lastPosition, answer.position);
    };
    await send('agreement', '/v1/agreements', demo.agreement);
    for (const step of demo.steps) {
      const { path, body } = requestOf(agreementId, step);
      await send(step.key, path, body);
    }
    results.push(result);
  }
  return results;
}
