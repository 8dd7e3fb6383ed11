// The read side: projection definitions, the catch-up runner and checkpoints, the status sweep,
// queue helpers for producers, and the read functions the API's query handlers call.
export * from './projection';
export * from './projections';
export * from './runner/projection-runner';
export * from './runner/projection-status';
export * from './agreements/agreements.projection';
export * from './obligations/obligations.projection';
export * from './obligations/obligation-status-sweep';
export * from './violations/violations.projection';
export * from './timeline/timeline.projection';
export * from './timeline/timeline-summary';
export * from './casualty-tallies/casualty-tallies.projection';
export * from './queues/projection-jobs';
export * from './replay/agreement-replay';
export * from './replay/snapshots/replay-snapshots';
export * from './replay/snapshots/replay-snapshotter';
export * from './replay/snapshots/snapshot-verifier';
export * from './read/cursor';
export * from './read/agreements.read';
export * from './read/compliance.read';
export * from './read/compliance-cache';
export * from './read/obligations.read';
export * from './read/violations.read';
export * from './read/timeline.read';
export * from './read/live.read';
export * from './rebuild/projection-rebuilder';
export * from './rebuild/compare-projections';
