// Imported first by main.ts, before anything else is loaded: how far the heap may grow
// (libs/shared/src/bootstrap/heap-growth.ts).
import { boundHeapGrowth } from '@app/shared/bootstrap/heap-growth';

boundHeapGrowth('batches');
