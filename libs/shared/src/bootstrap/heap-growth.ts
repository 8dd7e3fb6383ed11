// How far V8 lets a process's heap grow between full collections, as a share of what the last
// one left alive. Each entry point sets it first thing, from a module of its own imported before
// anything else (apps/<app>/src/heap-growth.ts).
//
// Left to its defaults, V8 lets the heap grow to about four times the live set when collections
// are cheap, so a busy process's peak RSS followed how long it had been busy rather than what it
// held. Measured on this project's benchmarks (2 cores):
// - the API under 20 s of HTTP appends (npm run bench:http-append): peak RSS 288-302 MB and the
//   last quarter 1.18x the first; at 100%, 190-193 MB and 1.04-1.07x; at 50%, 171 MB and 1.01x.
//   All at the same request rate. But at 50% the read benchmark's API ran major collections
//   during the fixed-rate run (none otherwise) and its p99 went from 6 to 39 ms; at 100% it
//   stayed at 6 ms. The API takes 100%.
// - a rebuild of every projection (npm run bench:rebuild), whose live heap is a couple of feed
//   batches: 228 MiB over 100,000 events but 289 MiB over 1,000,000; at 50%, 223 and 268 MiB
//   (medians of three), for ~5-10% more time in the rebuild. The worker and the CLI take 50%.
// V8 reads the flag each time it sets the next collection's limit, so setting it at start-up is
// the same as starting node with `--heap-growing-percent`, and holds however the process starts.
import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = {
  /** The API: request-sized garbage, latency first. */
  requests: 100,
  /** The worker and the CLI: large batches, memory flat with the feed's size. */
  batches: 50,
} as const;

export function boundHeapGrowth(profile: keyof typeof HEAP_GROWING_PERCENT): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT[profile]}`);
}
