// Creating an API key, idempotently: with an Idempotency-Key the key row and the record of the
// answer commit in one transaction. The record leaves the secret out (keys are stored hashed, and
// only the hash), so a retried request gets the first answer without `key`.
import type { Pool } from 'pg';
import type { ActorRole } from '@app/domain';
import { createApiKey } from '@app/shared/api-keys/api-keys.store';
import { inTransaction, withClient } from '@app/shared/database/transaction';
import type { WriteRequest } from '../../common/request-context';
import {
  findIdempotentAnswer,
  IdempotencyRace,
  recordIdempotentAnswer,
  WriteAnswer,
} from '../../common/writes/idempotency-records';
import { ApiKeyView, apiKeyView, CreatedApiKeyView } from './api-key.view';

export async function createApiKeyOnce(
  pool: Pool,
  request: WriteRequest,
  name: string,
  role: ActorRole,
): Promise<WriteAnswer<CreatedApiKeyView>> {
  const first = await findIdempotentAnswer<ApiKeyView>(pool, request);
  if (first) return first;
  const create = async (db: Pick<Pool, 'query'>) => {
    const { key, ...shown } = await createApiKey(db, name, role);
    return { key, shown: apiKeyView(shown) };
  };
  if (!request.idempotencyKey) {
    const { key, shown } = await create(pool);
    return { status: 201, body: { ...shown, key }, replayed: false };
  }
  try {
    const { key, shown } = await withClient(pool, (client) =>
      inTransaction(client, async () => {
        const created = await create(client);
        if (!(await recordIdempotentAnswer(client, request, 201, created.shown))) {
          throw new IdempotencyRace();
        }
        return created;
      }),
    );
    return { status: 201, body: { ...shown, key }, replayed: false };
  } catch (err) {
    // The same request sent twice at once: the one that lost answers with what the winner stored.
    const winner =
      err instanceof IdempotencyRace && (await findIdempotentAnswer<ApiKeyView>(pool, request));
    if (winner) return winner;
    throw err;
  }
}
