// Four Jest projects, selected by file name: *.unit.spec.ts (pure, no I/O),
// *.int.spec.ts (real Postgres/Redis), *.e2e.spec.ts (the apps over HTTP) and *.rel.spec.ts
// (reliability and security campaigns over HTTP; RELIABILITY_SCALE=ci|full, ci by default).
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.json');

const moduleNameMapper = pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/' });
// Type checking is `npm run typecheck`'s job; Jest only transpiles (tsconfig.spec.json).
// content-disposition (under @fastify/static, for Swagger UI) ships ESM, which Node requires
// natively but Jest does not: it is transpiled to CommonJS like our own files.
const ESM_PACKAGES = ['content-disposition'];
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  [`node_modules/(${ESM_PACKAGES.join('|')})/.+\\.js$`]: [
    'ts-jest',
    { tsconfig: '<rootDir>/tsconfig.spec.json' },
  ],
};
const common = {
  rootDir: __dirname,
  moduleFileExtensions: ['ts', 'js', 'json'],
  testEnvironment: 'node',
  transform,
  moduleNameMapper,
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_PACKAGES.join('|')})/)`],
};

module.exports = {
  testTimeout: 120000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/**/*.unit.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/**/*.int.spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/**/*.e2e.spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
    {
      ...common,
      displayName: 'reliability',
      testMatch: ['<rootDir>/test/reliability/**/*.rel.spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
