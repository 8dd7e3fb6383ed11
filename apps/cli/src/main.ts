// `npm run cli -- <command>`: see ./args.ts for the commands and exit codes.
import './heap-growth';
import 'reflect-metadata';
import { runCli } from './cli';

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error('error:', err);
    process.exitCode = 2;
  },
);
