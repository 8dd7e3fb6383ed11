import type { Queue } from 'bullmq';

/**
 * Closes a BullMQ queue that shares an ioredis connection owned by someone else (who ends it
 * afterwards), without the unhandled rejection BullMQ can leave behind (taskforcesh/bullmq#3546).
 *
 * A queue whose connection has never been ready is still waiting for it; when the client later
 * ends in the middle of a reconnect, that wait rejects with the last connection error, and BullMQ
 * re-emits it as an 'error' event of the queue's connection. `close()` has by then removed every
 * listener of that connection, so the event throws and surfaces as an unhandled rejection, which
 * crashes a process that treats them as fatal. Such a queue has sent nothing and holds nothing
 * (its connection is shared), so it is left open: its listeners stay, and the ending client's
 * error goes to the queue's own 'error' listener.
 */
export async function closeQueue(queue: Queue): Promise<void> {
  // BullMQ learns the server's version once the connection is ready, and only then.
  if (!queue.redisVersion) return;
  await queue.close();
}
