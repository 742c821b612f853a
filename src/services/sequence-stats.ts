import type { Sequence } from '../domain/glossary.js';
import { countEnrollmentsByReason, countEnrollmentsBySequence, listEnrollments } from '../store/enrollments.js';
import { listSends } from '../store/sends.js';
import { listSequences } from '../store/sequences.js';
import type { Deps } from './deps.js';
import type { SequenceStats } from '../schemas/sequences.js';

/** Counts a sales team reads a sequence by (the shape the API answers with). */
export type { SequenceStats } from '../schemas/sequences.js';

export async function sequenceStats(deps: Deps, sequenceId: number): Promise<SequenceStats> {
  const db = deps.db.kysely;
  const byState = await countEnrollmentsBySequence(db, sequenceId);
  const byReason = await countEnrollmentsByReason(db, sequenceId);
  return {
    enrolled: Object.values(byState).reduce((a, b) => a + b, 0),
    active: (byState.ACTIVE ?? 0) + (byState.PAUSED ?? 0),
    finished: byState.FINISHED ?? 0,
    replied: (byReason.REPLIED ?? 0) + (byReason.COMPANY_REPLIED ?? 0),
    meetingsBooked: byReason.MEETING_BOOKED ?? 0,
    bounced: byReason.BOUNCED ?? 0,
    unsubscribed: byReason.UNSUBSCRIBED ?? 0,
  };
}

/** Every live sequence (of one user, when given) with its counts. */
export async function listSequencesWithStats(deps: Deps, userId: number | undefined): Promise<{ sequence: Sequence; stats: SequenceStats }[]> {
  const { results } = await listSequences(deps.db.kysely, { userId, after: 0, limit: 1000 });
  return Promise.all(results.map(async (sequence) => ({ sequence, stats: await sequenceStats(deps, sequence.id) })));
}

/** A sequence's counts, and emails sent and replies received per day (UTC dates) for the performance chart. */
export async function sequencePerformance(deps: Deps, sequenceId: number): Promise<{ summary: SequenceStats; timeline: { date: string; sent: number; replied: number }[] }> {
  const db = deps.db.kysely;
  const enrollments = await listEnrollments(db, { sequenceId, limit: 100_000 });
  const sends = await listSends(db, enrollments.map((e) => e.id));
  const perDay = new Map<string, { sent: number; replied: number }>();
  const bump = (ms: number, key: 'sent' | 'replied') => {
    const date = new Date(ms).toISOString().slice(0, 10);
    const day = perDay.get(date) ?? { sent: 0, replied: 0 };
    day[key]++;
    perDay.set(date, day);
  };
  for (const s of sends) if (s.status === 'SENT' && s.sentAt) bump(s.sentAt, 'sent');
  for (const e of enrollments) if ((e.reason === 'REPLIED' || e.reason === 'COMPANY_REPLIED') && e.endedAt) bump(e.endedAt, 'replied');
  return { summary: await sequenceStats(deps, sequenceId), timeline: [...perDay].sort(([a], [b]) => a.localeCompare(b)).map(([date, v]) => ({ date, ...v })) };
}
