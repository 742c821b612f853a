import v8 from 'node:v8';

/**
 * V8 sizes the heap for speed: on a machine with memory to spare it lets garbage pile up (a
 * 2,000-submission burst grew old space to 133 MB around 46 MB of live objects). With
 * `--optimize-for-size` it collects sooner. The flag cannot go in NODE_OPTIONS and the `seqflow`
 * command cannot carry node flags, so it is set here, before the server allocates anything;
 * V8 reads it at each collection. It costs speed (bench/results/2026-12-04-lean-heap.md), so it
 * is the operator's choice, off by default.
 */
export function useLeanHeap(on: boolean): void {
  if (on) v8.setFlagsFromString('--optimize-for-size');
}
