/**
 * Node's arguments that run a TypeScript entry point of this repository as it is (transpiled on
 * load, path aliases resolved): the apps, the CLI and the benchmarks started as child processes.
 */
export const TS_NODE_ARGS: readonly string[] = [
  '-r',
  'ts-node/register/transpile-only',
  '-r',
  'tsconfig-paths/register',
];
