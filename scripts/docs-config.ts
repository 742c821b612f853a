/**
 * `npm run docs:config`: writes README.md's settings table from the one table of settings
 * (src/config/settings.ts). A test (src/config/config.test.ts) fails when the README differs.
 */
import fs from 'node:fs';
import { withSettingsTable } from '../src/config/config.js';

const file = new URL('../README.md', import.meta.url);
const before = fs.readFileSync(file, 'utf8');
const after = withSettingsTable(before);
if (after !== before) fs.writeFileSync(file, after);
console.log(after === before ? 'README.md: the settings table is up to date.' : 'README.md: the settings table was rewritten.');
