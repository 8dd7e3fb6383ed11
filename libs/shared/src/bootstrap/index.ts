export * from './prepare-runtime';
