export * from './connection';
export * from './prepare-database';
export * from './check-dependencies';
export * from './transaction';
export * from './service-role';
export * from './service-grants';
export * from './copy-rows';
