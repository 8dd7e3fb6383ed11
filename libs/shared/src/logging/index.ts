export * from './log-options';
