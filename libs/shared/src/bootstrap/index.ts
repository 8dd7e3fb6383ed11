export * from './prepare-runtime';
export * from './shutdown';
