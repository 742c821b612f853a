import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import cliProgress from 'cli-progress';
import { Command, InvalidArgumentError } from 'commander';
import pino from 'pino';
import { parseMapFlag } from '../../domain/imports.js';
import { systemClock } from '../../engine/clock.js';
import { openStore } from '../../server.js';
import { SeqflowError } from '../../services/errors.js';
import {
  BATCH_SIZE,
  KNOWN_CONTACT_PROPERTIES,
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
function columnMappings(header: string[], map: string | undefined): { columnName: string; propertyName: string | null }[] {
  if (!map) return suggestColumnMapping(header);
  return parseMapFlag(map).map((m) => ({ columnName: m.columnName, propertyName: m.propertyName }));
}

const summary = (r: ImportRecord) => `${r.totalRows} rows: ${r.createdObjects} created, ${r.updatedObjects} updated, ${r.errorRows} with errors`;

/**
 * `seqflow import contacts.csv [--map email=Email,firstname="First Name"]`: imports contacts
 * straight into the database with a progress bar. Ctrl-C stops after the batch under way; running
 * the same command again (the same file, by content, and the same mapping) continues after the
 * last committed batch instead of starting over.
 */
export function registerImportCommand(program: Command): void {
  withSettingFlags(program.command('import'), 'import')
    .description('import contacts from a CSV file (created or updated by email); re-running an interrupted import resumes it')
    .argument('<file>', 'the CSV file, with a header row')
    .option('--map <pairs>', 'property=column pairs, e.g. email=Email,firstname="First Name" (default: columns named like a property)')
    .option('--companies <file>', 'a companies CSV to import and associate (not available yet: needs the companies object)')
    .option('--name <name>', 'the import name (default: the file name)')
    .option('--batch-size <n>', `rows per transaction (default ${BATCH_SIZE})`, positive)
    .action(async (file: string, o: { map?: string; companies?: string; name?: string; batchSize?: number }, cmd: Command) => {
      if (o.companies) program.error('--companies is not available yet: Seqflow imports contacts only until companies land.');
      const settings = settingsOf(cmd).values;
      const filePath = path.resolve(file);
      let header: string[];
      try {
        [header] = await readFirstRows(filePath, 1);
      } catch (err) {
        program.error(`Cannot read ${file}: ${(err as Error).message}`);
      }
      if (!header?.length) program.error(`${file} is empty: it has no header row.`);
      let mappings: { columnName: string; propertyName: string | null }[];
      try {
        mappings = columnMappings(header, o.map);
      } catch (err) {
        program.error((err as Error).message);
      }
      const request: ImportRequest = {
        name: o.name ?? path.basename(filePath),
        files: [{ fileName: path.basename(filePath), fileFormat: 'CSV', fileImportPage: { hasHeader: true, columnMappings: mappings.map((m) => ({ ...m, columnObjectTypeId: '0-1' })) } }],
      };

      const db = await openStore({ dataDir: settings.dataDir, databaseUrl: settings.databaseUrl ?? '' });
      const deps: ImportDeps = { db, clock: systemClock, log: pino({ level: settings.logLevel }), settings, config: { accountTimeZone: settings.accountTimeZone } };
      let interrupted = false;
      const onSignal = () => {
        if (interrupted) process.exit(130);
        interrupted = true;
        console.error('\nStopping after the batch under way (Ctrl-C again exits at once)…');
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      try {
        const digest = await fileDigest(filePath);
        const { record, resumed } = await createOrResumeImport(deps, request, { path: filePath, name: path.basename(filePath), ...digest });
        const mapped = record.columns.map((c) => `${c.columnName} → ${c.propertyName}`).join(', ');
        console.log(resumed ? `Resuming import ${record.id} after line ${record.committedLine} (${summary(record)} so far).` : `Import ${record.id} started: ${mapped}.`);
        if (!resumed) {
          const unmapped = mappings.filter((m) => !m.propertyName).map((m) => m.columnName);
          if (unmapped.length) console.log(`Not imported (no property): ${unmapped.join(', ')}. Known properties: ${KNOWN_CONTACT_PROPERTIES.map((p) => p.name).join(', ')}.`);
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
            shouldStop: () => interrupted,
            onProgress: (r) => bar.update(r.bytesRead, counts(r)),
          });
          // Null: an earlier run's lease still holds (it crashed moments ago); wait for it to lapse.
          if (final || interrupted || Date.now() > waitUntil) break;
          await sleep(1_000);
        }
        if (final) bar.update(final.state === 'DONE' ? Math.max(1, final.fileBytes) : final.bytesRead, counts(final));
        bar.stop();
        if (!final) {
          console.error(`Import ${record.id} is being run by another process; try again later.`);
          process.exitCode = 1;
          return;
        }
        if (final.state === 'DONE') {
          console.log(`Import ${final.id} done: ${summary(final)}.`);
          const errors = await importErrorsPage(deps, final.id, { after: 0, limit: 10 });
          for (const e of errors) console.log(`  line ${e.lineNumber}: ${e.errorType} ${e.message}`);
          if (final.errorRows > errors.length) console.log(`  … ${final.errorRows - errors.length} more (GET /crm/v3/imports/${final.id}/errors)`);
        } else if (final.state === 'PROCESSING' || final.state === 'STARTED') {
          console.log(`Import ${final.id} interrupted after line ${final.committedLine} (${summary(final)}). Run the same command again to continue.`);
          process.exitCode = 130;
        } else {
          console.error(`Import ${final.id} ${final.state}${final.failure ? `: ${final.failure}` : ''} (${summary(final)}).`);
          process.exitCode = 1;
        }
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
