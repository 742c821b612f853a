import { afterEach, beforeEach } from 'vitest';
import { startLoopbackSmtp, type LoopbackSmtp } from '../../src/mail/dev-mail-server.js';
import type { Seqflow } from '../../src/server.js';
import { connectInbox } from '../../src/services/inboxes.js';
import { createUser } from '../../src/services/users.js';
import { freshPostgres, type TestDatabase } from './databases.js';
import { startDovecot, type Dovecot } from './dovecot.js';
import { runCli, type CliProcess, startApiOnly } from './processes.js';

export const SENT_FOLDER_REP = 'rep@acme.test';
const PASS = 'secret';

/**
 * The stack of the "worker killed mid-send" tests: an API process on a fresh PostgreSQL, a rep
 * whose mail server — like Gmail or Microsoft 365 — files what it accepts in the rep's Sent folder
 * (Dovecot) and then never answers the data, as if the connection died between its 250 and the
 * worker, and `seqflow worker` processes to kill. Register it inside a `describe`.
 */
export function useSentFolderStack() {
  let db: TestDatabase;
  let dovecot: Dovecot;
  let smtp: LoopbackSmtp;
  let sf: Seqflow | undefined;
  let filed = 0;
  const workers: CliProcess[] = [];

  beforeEach(async () => {
    db = await freshPostgres();
    dovecot = await startDovecot();
    dovecot.addUser(SENT_FOLDER_REP, PASS);
    filed = 0;
    smtp = await startLoopbackSmtp({
      port: 0,
      closeGraceMs: 0,
      async handle(raw) {
        await dovecot.deliver(SENT_FOLDER_REP, PASS, raw, 'Sent');
        filed++;
        return new Promise<void>(() => {});
      },
    });
  });
  afterEach(async () => {
    for (const w of workers.splice(0)) await w.kill('SIGKILL');
    await sf?.close();
    await smtp?.close();
    await dovecot?.stop();
    await db?.drop();
  });

  return {
    /** Messages the mail server has filed in the Sent folder so far. */
    filed: () => filed,
    /** Starts the API process and creates the rep with the IMAP inbox. */
    async startRep(): Promise<{ sf: Seqflow; userId: number }> {
      sf = await startApiOnly(db);
      const user = await createUser(sf.deps, { email: SENT_FOLDER_REP, firstName: 'R', lastName: 'R', seat: 'sales_professional', timezone: 'UTC', role: 'user' });
      await connectInbox(sf.deps, user.id, {
        address: SENT_FOLDER_REP,
        aliases: [],
        provider: 'imap',
        smtp: { host: '127.0.0.1', port: smtp.port },
        imap: { host: dovecot.host, port: dovecot.port, auth: { user: SENT_FOLDER_REP, pass: PASS } },
      });
      return { sf, userId: user.id };
    },
    /** A worker process on a 1 s lease, ready. */
    async startWorker(): Promise<CliProcess> {
      const w = runCli(['worker', '--database', db.url!, '--lease-ms', '1000']);
      workers.push(w);
      await w.waitFor(/Seqflow worker/);
      return w;
    },
  };
}
