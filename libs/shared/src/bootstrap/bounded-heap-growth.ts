// Imported first by the entry points of the processes that fold the feed in large batches (the
// worker, the CLI), before anything else is loaded: their heap grows by at most half its live set
// between full collections.
//
// Those processes keep a live heap of a few batches, 60-90 MiB, but allocate fast. Left to its
// defaults, V8 lets the heap grow to about four times the live set before a full collection, so a
// rebuilding process's peak RSS depended on how long it had been running rather than on what it
// held: 260 MiB over 100,000 events and 581 MiB over 1,000,000 (npm run bench:rebuild). Bounded,
// the peak stays near the live set, for about 10% more time in the collector. V8 reads the flag
// each time it sets the next collection's limit, so setting it here is the same as starting node
// with `--heap-growing-percent`, and holds however the process is started.
import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = 50;

setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
