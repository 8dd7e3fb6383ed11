export * from './errors';
export * from './time';
export * from './source';
export * from './context';
export * from './streams';
export * from './decider';
export * from './rules';
