export * from './tokens';
export * from './infrastructure.module';
