export * from './canonical-json';
export * from './errors';
export * from './event-store';
export * from './feed-cursor';
export * from './hash-chain';
export * from './types';
export * from './upcasters';
export * from './append-batcher';
