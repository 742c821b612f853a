#!/usr/bin/env node
// npm runs this ("prepare") on `npm install` and `npm ci` in a checkout, and before `npm pack`.
// With the dev dependencies present it builds the server (dist/) and the web app (web/dist/).
// Without them (`npm ci --omit=dev`, as in the Dockerfile's runtime stage) there is nothing to
// build with, and nothing to build: the build must already be there (copied from a build stage,
// or shipped in the package).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const installed = (name) => {
  try {
    require.resolve(`${name}/package.json`, { paths: [root] });
    return true;
  } catch {
    return false;
  }
};

if (installed('typescript') && installed('vite')) {
  const npm = process.env.npm_execpath;
  const r = npm
    ? spawnSync(process.execPath, [npm, 'run', 'build'], { stdio: 'inherit', cwd: root })
    : spawnSync('npm', ['run', 'build'], { stdio: 'inherit', cwd: root, shell: process.platform === 'win32' });
  process.exit(r.status ?? 1);
}
if (['dist/cli/main.js', 'web/dist/index.html'].every((f) => existsSync(new URL(f, new URL('..', import.meta.url))))) {
  console.log('seqflow: no dev dependencies here (--omit=dev); running the build already in dist/ and web/dist/.');
  process.exit(0);
}
console.error(
  'seqflow: dist/ is not built and the tools that build it (typescript, vite: dev dependencies) are not installed.\n' +
    'Install with them (npm ci), or copy a build into dist/ and web/dist/ first.',
);
process.exit(1);
