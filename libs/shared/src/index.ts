export * from './config';
export * from './errors';
export * from './ids';
export * from './database';
export * from './queues';
export * from './nest';
export * from './bootstrap';
export * from './logging';
