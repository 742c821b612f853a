/**
 * The baseline's worker process: graphile-worker 0.17.3 running one task, "send one email",
 * through nodemailer to the bench's sink. Started by graphile-run.ts with its settings in the
 * environment; says "ready" over IPC once the runner listens, and stops on "stop".
 */
import nodemailer from 'nodemailer';
import { Logger, run, type Task } from 'graphile-worker';

const url = process.env.BENCH_GW_DATABASE_URL!;
const smtpPort = Number(process.env.BENCH_GW_SMTP_PORT);
const concurrency = Number(process.env.BENCH_GW_CONCURRENCY ?? 8);

// Pooled like Seqflow's sender, which keeps its SMTP connections open between sends.
const transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true, pool: true, maxConnections: concurrency, maxMessages: Infinity });

interface Payload {
  to: string;
  firstname: string;
  from: string;
}

// The same email Seqflow's sequence step renders: subject and HTML body with the names filled in.
const sendEmail: Task = async (payload) => {
  const p = payload as Payload;
  await transport.sendMail({
    from: p.from,
    to: p.to,
    subject: `Hi ${p.firstname}`,
    html: `<p>Hello ${p.firstname}, thanks for reaching out.</p><p>Bench</p>`,
    text: `Hello ${p.firstname}, thanks for reaching out.\n\nBench`,
  });
};

const runner = await run({
  connectionString: url,
  concurrency,
  noHandleSignals: true,
  pollInterval: 2000,
  logger: new Logger(() => () => {}),
  taskList: { send_email: sendEmail },
});
process.send!('ready');
process.on('message', (m) => {
  if (m !== 'stop') return;
  void runner.stop().finally(() => {
    transport.close();
    process.exit(0);
  });
});
