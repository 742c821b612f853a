import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { startSeqflow, type Seqflow, type SeqflowOptions } from '../../src/server.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const root = ROOT;

export interface CliProcess {
  child: ChildProcess;
  /** Resolves with the exit code (null when a signal ended the process) once it has exited. */
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
  /** Resolves once the process printed a line matching the pattern. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * The compiled CLI's newest build, checked to be newer than every source file, so a test of the
 * compiled entry never runs yesterday's code (`npm test` builds first; alone, run `npm run build:server`).
 */
export function compiledCli(): string {
  const main = path.join(root, 'dist', 'cli', 'main.js');
  if (!fs.existsSync(main)) throw new Error('dist/ is not built: run `npm run build:server` (npm test and npm install do it)');
  const built = fs.statSync(main).mtimeMs;
  const newest = (dir: string): number =>
    Math.max(0, ...fs.readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? newest(path.join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? fs.statSync(path.join(dir, e.name)).mtimeMs : 0)));
  if (newest(path.join(root, 'src')) > built) throw new Error('dist/ is older than src/: run `npm run build:server` (npm test does it)');
  return path.join(root, 'bin', 'seqflow.js');
}

/**
 * Runs `seqflow <args>` as a real process, the way an operator would: from the TypeScript sources
 * through tsx (the default), or through `bin` (a bin/seqflow.js: the compiled entry) in `cwd`.
 */
export function runCli(args: string[], env: Record<string, string> = {}, opts: { bin?: string; cwd?: string } = {}): CliProcess {
  const entry = opts.bin ? [opts.bin] : ['--import', 'tsx', path.join(root, 'src/cli/main.ts')];
  const child = spawn(process.execPath, [...entry, ...args], {
    cwd: opts.cwd ?? root,
    env: { ...process.env, SEQFLOW_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const listeners = new Set<() => void>();
  const onData = (d: Buffer) => {
    out += d.toString();
    for (const l of listeners) l();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const exited = exit.then(() => undefined);
  return {
    child,
    exit,
    output: () => out,
    waitFor: (pattern, timeoutMs = 30_000) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (pattern.test(out)) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve();
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`timed out waiting for ${pattern}; output so far:\n${out}`));
        }, timeoutMs);
        listeners.add(check);
        child.once('exit', (code) => {
          if (!pattern.test(out)) {
            clearTimeout(timer);
            reject(new Error(`process exited (${code}) before ${pattern}; output:\n${out}`));
          }
        });
        check();
      }),
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** Polls a condition (for work done by other processes on the real clock), bounded in time. */
export async function eventually<T>(probe: () => Promise<T | null | undefined | false>, timeoutMs = 30_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * An API-only Seqflow in this process on `db` (PostgreSQL), on the real clock, with no dev SMTP
 * server unless asked: the process that worker processes (`runCli(['worker'])`) join.
 */
export function startApiOnly(db: { url?: string }, o: Partial<SeqflowOptions> = {}): Promise<Seqflow> {
  return startSeqflow({
    role: 'api',
    port: 0,
    host: '127.0.0.1',
    dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'seqflow-api-')),
    databaseUrl: db.url,
    devSmtpPort: null,
    adminToken: 'x',
    logger: pino({ level: 'silent' }),
    ...o,
  });
}
