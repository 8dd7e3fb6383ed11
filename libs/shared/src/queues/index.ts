// Queue names and job payloads, shared by producers (api) and consumers (worker).
export const QUEUES = {
  projections: 'projections',
  obligations: 'obligations',
  ledger: 'ledger',
} as const;

export const JOBS = {
  sealLedger: 'seal-ledger',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];
