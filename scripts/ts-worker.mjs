// Runs a TypeScript worker entry from source (tests and `tsx` runs): registers tsx in the
// worker thread, then loads the entry. The built service uses the compiled .js directly.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
