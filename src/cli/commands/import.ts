import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import cliProgress from 'cli-progress';
import { Command, InvalidArgumentError } from 'commander';
import pino from 'pino';
import { IMPORT_OBJECT_TYPES, parseMapFlag, type ImportObjectTypeId } from '../../domain/imports.js';
import { systemClock } from '../../engine/clock.js';
import { openStore } from '../../server.js';
import { SeqflowError } from '../../services/errors.js';
import {
  BATCH_SIZE,
  importableProperties,
  createOrResumeImport,
  fileDigest,
  importErrorsPage,
  readFirstRows,
  runImport,
  suggestColumnMapping,
  type ImportDeps,
  type ImportRecord,
  type ImportRequest,
} from '../../services/imports.js';
import { settingsOf, withSettingFlags } from '../settings-flags.js';

/**
 * A CLI import holds its lease this long without renewal (renewed after every batch): a re-run
 * after a crash waits at most this long for the dead run's lease to lapse.
 */
const CLI_LEASE_MS = 15_000;

const positive = (v: string): number => {
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 10_000) throw new InvalidArgumentError('give a whole number from 1 to 10000');
  return Number(v);
};

/** The mapping: --map as given, else the suggested one (a column named like a property maps to it). */
async function columnMappings(deps: ImportDeps, header: string[], map: string | undefined, objectTypeId: ImportObjectTypeId) {
  if (!map) return suggestColumnMapping(deps, header, objectTypeId);
  return parseMapFlag(map).map((m) => ({ columnName: m.columnName, propertyName: m.propertyName }));
}

const summary = (r: ImportRecord) => `${r.totalRows} rows: ${r.createdObjects} created, ${r.updatedObjects} updated, ${r.errorRows} with errors`;

type Fail = (message: string) => never;

/**
 * Imports one file of one object type with a progress bar; answers whether it finished (DONE).
 * Sets the exit code on an interruption (130) or a failure (1).
 */
async function importFile(deps: ImportDeps, o: { file: string; objectTypeId: ImportObjectTypeId; map?: string; name?: string; batchSize?: number; interrupted: () => boolean }, fail: Fail): Promise<boolean> {
  const kind = IMPORT_OBJECT_TYPES[o.objectTypeId].name === 'COMPANY' ? ' (companies)' : '';
  const filePath = path.resolve(o.file);
  let header: string[];
  try {
    [header] = await readFirstRows(filePath, 1);
  } catch (err) {
    return fail(`Cannot read ${o.file}: ${(err as Error).message}`);
  }
  if (!header?.length) return fail(`${o.file} is empty: it has no header row.`);
  let mappings: { columnName: string; propertyName: string | null }[];
  try {
    mappings = await columnMappings(deps, header, o.map, o.objectTypeId);
  } catch (err) {
    return fail((err as Error).message);
  }
  const request: ImportRequest = {
    name: o.name ?? path.basename(filePath),
    files: [{ fileName: path.basename(filePath), fileFormat: 'CSV', fileImportPage: { hasHeader: true, columnMappings: mappings.map((m) => ({ ...m, columnObjectTypeId: o.objectTypeId })) } }],
  };
  const digest = await fileDigest(filePath);
  const { record, resumed } = await createOrResumeImport(deps, request, { path: filePath, name: path.basename(filePath), ...digest });
  const mapped = record.columns.map((c) => `${c.columnName} → ${c.propertyName}`).join(', ');
  console.log(resumed ? `Resuming import ${record.id} after line ${record.committedLine}${kind} (${summary(record)} so far).` : `Import ${record.id} started: ${mapped}${kind}.`);
  if (!resumed) {
    const unmapped = mappings.filter((m) => !m.propertyName).map((m) => m.columnName);
    if (unmapped.length) console.log(`Not imported (no property): ${unmapped.join(', ')}. Known properties: ${(await importableProperties(deps, o.objectTypeId)).map((p) => p.name).join(', ')}.`);
  }

  const bar = new cliProgress.SingleBar(
    {
      format: 'Importing [{bar}] {percentage}% | {rows} rows | {created} created | {updated} updated | {errors} errors',
      stream: process.stderr,
      noTTYOutput: true,
      notTTYSchedule: 500,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const counts = (r: ImportRecord) => ({ rows: r.totalRows, created: r.createdObjects, updated: r.updatedObjects, errors: r.errorRows });
  bar.start(Math.max(1, record.fileBytes), record.bytesRead, counts(record));
  let final: ImportRecord | null = null;
  const waitUntil = Date.now() + CLI_LEASE_MS * 2;
  for (;;) {
    final = await runImport(deps, record.id, {
      owner: `cli-${process.pid}-${Date.now()}`,
      leaseMs: CLI_LEASE_MS,
      batchSize: o.batchSize,
      shouldStop: o.interrupted,
      onProgress: (r) => bar.update(r.bytesRead, counts(r)),
    });
    // Null: an earlier run's lease still holds (it crashed moments ago); wait for it to lapse.
    if (final || o.interrupted() || Date.now() > waitUntil) break;
    await sleep(1_000);
  }
  if (final) bar.update(final.state === 'DONE' ? Math.max(1, final.fileBytes) : final.bytesRead, counts(final));
  bar.stop();
  if (!final) {
    console.error(`Import ${record.id} is being run by another process; try again later.`);
    process.exitCode = 1;
    return false;
  }
  if (final.state === 'DONE') {
    console.log(`Import ${final.id} done: ${summary(final)}.`);
    const errors = await importErrorsPage(deps, final.id, { after: 0, limit: 10 });
    for (const e of errors) console.log(`  line ${e.lineNumber}: ${e.errorType} ${e.message}`);
    if (final.errorRows > errors.length) console.log(`  … ${final.errorRows - errors.length} more (GET /crm/v3/imports/${final.id}/errors)`);
    return true;
  }
  if (final.state === 'PROCESSING' || final.state === 'STARTED') {
    console.log(`Import ${final.id} interrupted after line ${final.committedLine} (${summary(final)}). Run the same command again to continue.`);
    process.exitCode = 130;
  } else {
    console.error(`Import ${final.id} ${final.state}${final.failure ? `: ${final.failure}` : ''} (${summary(final)}).`);
    process.exitCode = 1;
  }
  return false;
}

/**
 * `seqflow import contacts.csv [--companies companies.csv] [--map email=Email,…]`: imports
 * straight into the database with a progress bar. With --companies, the companies file goes
 * first (matched by domain), so the contacts then join the company of their email domain.
 * Ctrl-C stops after the batch under way; running the same command again (the same files, by
 * content, and the same mapping) continues after the last committed batch instead of starting over.
 */
export function registerImportCommand(program: Command): void {
  withSettingFlags(program.command('import'), 'import')
    .description('import contacts (by email) and optionally companies (by domain) from CSV files; re-running an interrupted import resumes it')
    .argument('<file>', 'the contacts CSV file, with a header row')
    .option('--map <pairs>', 'property=column pairs for the contacts file, e.g. email=Email,firstname="First Name" (default: columns named like a property)')
    .option('--companies <file>', 'a companies CSV (matched by its domain column), imported first so contacts join the company of their email domain')
    .option('--name <name>', 'the import name (default: the file name)')
    .option('--batch-size <n>', `rows per transaction (default ${BATCH_SIZE})`, positive)
    .action(async (file: string, o: { map?: string; companies?: string; name?: string; batchSize?: number }, cmd: Command) => {
      const settings = settingsOf(cmd).values;
      const db = await openStore(settings);
      const deps: ImportDeps = { db, clock: systemClock, log: pino({ level: settings.logLevel }), settings, config: { accountTimeZone: settings.accountTimeZone } };
      let interrupted = false;
      const onSignal = () => {
        if (interrupted) process.exit(130);
        interrupted = true;
        console.error('\nStopping after the batch under way (Ctrl-C again exits at once)…');
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      const common = { batchSize: o.batchSize, interrupted: () => interrupted };
      const fail: Fail = (message) => program.error(message);
      try {
        if (o.companies && !(await importFile(deps, { ...common, file: o.companies, objectTypeId: '0-2' }, fail))) return;
        await importFile(deps, { ...common, file, objectTypeId: '0-1', map: o.map, name: o.name }, fail);
      } catch (err) {
        if (err instanceof SeqflowError) program.error(err.errors?.map((e) => e.message).join('\n') ?? err.message);
        throw err;
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        await db.close();
      }
    });
}
