import { afterEach, describe, expect, it } from 'vitest';
import { createWakeLoop, type WakeLoop } from './wake-loop.js';

const HOUR = 3_600_000;

/** A run that blocks until the test lets it finish, so the test decides what happens mid-run. */
function gatedRun() {
  const gates: (() => void)[] = [];
  let started = 0;
  const waiters: { n: number; resolve: () => void }[] = [];
  const run = () => {
    started++;
    for (const w of waiters.filter((x) => x.n <= started)) w.resolve();
    return new Promise<void>((resolve) => gates.push(resolve));
  };
  return {
    run,
    get started() {
      return started;
    },
    /** Resolves once the n-th run has started. */
    startedRun: (n: number) => (started >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ n, resolve }))),
    finishCurrent: () => gates.shift()?.(),
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('wake loop', () => {
  let loop: WakeLoop | null = null;
  afterEach(() => loop?.stop());

  /** A loop on a gated run, polling hourly, whose first run has started; stopped after the test. */
  const firstRunStarted = async () => {
    const g = gatedRun();
    const started = createWakeLoop(g.run, { pollMs: HOUR, onError: () => undefined });
    loop = started;
    started.start();
    await g.startedRun(1);
    return { g, loop: started };
  };

  it('should run again at once when a wake-up arrives mid-run', async () => {
    const { g, loop } = await firstRunStarted();
    loop.wake();
    g.finishCurrent();
    await g.startedRun(2);
    expect(g.started).toBe(2);
  });

  it('should coalesce a burst of wake-ups into one more run when they arrive mid-run', async () => {
    const { g, loop } = await firstRunStarted();
    for (let i = 0; i < 1000; i++) loop.wake();
    g.finishCurrent();
    await g.startedRun(2);
    g.finishCurrent();
    await settle();
    await settle();
    expect(g.started).toBe(2);
  });

  it('should run at once when woken while idle, without waiting for the poll', async () => {
    const { g, loop } = await firstRunStarted();
    g.finishCurrent();
    await settle();
    expect(g.started).toBe(1);
    loop.wake();
    await g.startedRun(2);
    expect(g.started).toBe(2);
  });

  it('should keep looping when a run fails', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    loop = createWakeLoop(
      async () => {
        calls++;
        if (calls === 1) throw new Error('boom');
      },
      { pollMs: HOUR, onError: (e) => errors.push(e) },
    );
    loop.start();
    await settle();
    loop.wake();
    await settle();
    expect(calls).toBe(2);
    expect(errors).toHaveLength(1);
  });

  it('should not run when woken after stop', async () => {
    const { g, loop } = await firstRunStarted();
    g.finishCurrent();
    await settle();
    loop.stop();
    loop.wake();
    await settle();
    expect(g.started).toBe(1);
  });
});
