/**
 * A loop that runs `run` at start, `pollMs` after each run, and at once when woken.
 *
 * Wake-ups coalesce: any number of them while a run is under way cost exactly one more run,
 * started as soon as that one ends, so a burst of notifications becomes a few drains and a
 * wake-up that lands after the run's last claim (the work it announces unseen) is never lost.
 */
export interface WakeLoop {
  start(): void;
  wake(): void;
  stop(): void;
}

export function createWakeLoop(run: () => Promise<void>, opts: { pollMs: number; onError: (err: unknown) => void }): WakeLoop {
  let running = false;
  let busy = false;
  let wokenMeanwhile = false;
  let timer: NodeJS.Timeout | null = null;

  const cycle = async (): Promise<void> => {
    if (!running) return;
    if (busy) {
      wokenMeanwhile = true;
      return;
    }
    busy = true;
    if (timer) clearTimeout(timer);
    timer = null;
    try {
      do {
        wokenMeanwhile = false;
        try {
          await run();
        } catch (err) {
          opts.onError(err);
        }
      } while (wokenMeanwhile && running);
    } finally {
      busy = false;
    }
    if (running) timer = setTimeout(() => void cycle(), opts.pollMs);
  };

  return {
    start() {
      if (running) return;
      running = true;
      void cycle();
    },
    wake() {
      void cycle();
    },
    stop() {
      running = false;
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
