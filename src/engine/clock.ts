import type { Clock } from '../domain/glossary.js';

export const systemClock: Clock = { now: () => Date.now() };

export interface FakeClock extends Clock {
  set(ms: number): void;
}

/** Time as a value that moves only when told to (tests, demos, `--fake-clock`). */
export function createFakeClock(start: number): FakeClock {
  let current = start;
  return {
    now: () => current,
    set: (ms) => {
      if (ms < current) throw new Error('The fake clock does not go backwards.');
      current = ms;
    },
  };
}
