// Imported first by every entry point of the service (the API, the worker, the CLI), before
// anything else is loaded: the heap grows by at most half its live set between full collections.
//
// Left to its defaults, V8 lets the heap grow to about four times the live set before a full
// collection when collections are cheap, so a process's peak RSS followed how long it had been
// busy rather than what it held. Measured on the two processes with goals on memory (2 cores):
// - the API under 20 s of HTTP appends (npm run bench:http-append): peak RSS 288-302 MB, the
//   last quarter 1.18x the first; bounded, 171-172 MB and 1.00x, at the same request rate;
// - a rebuild of every projection (npm run bench:rebuild), whose live heap is a couple of feed
//   batches (60-90 MiB): 228 MiB over 100,000 events but 289 MiB over 1,000,000; bounded, 224 MiB
//   over 200,000 and 242 MiB over 1,000,000, for ~5-10% more time in the rebuild.
// V8 reads the flag each time it sets the next collection's limit, so setting it here is the same
// as starting node with `--heap-growing-percent`, and holds however the process is started.
import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = 50;

setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
