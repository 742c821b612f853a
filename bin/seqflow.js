#!/usr/bin/env node
// The compiled CLI, run in this very process: SIGTERM from systemd or a container runtime, and
// Ctrl-C, reach the server itself (src/cli/main.ts stops it gracefully). `npm install` builds
// dist/ (the `prepare` script); from a checkout, `npm run dev` runs the TypeScript instead.
import { existsSync } from 'node:fs';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  console.error('Seqflow is not built: run `npm run build` (npm install does it), or `npm run dev` to run from the sources.');
  process.exit(1);
}
await import(main.href);
