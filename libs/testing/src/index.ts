export * from './decider-spec';
export * from './domain-fixtures';
