import type { Selectable } from 'kysely';
import type { Db } from './database.js';
import type { Sequence, SequenceSettings, Step, TaskType } from '../domain/glossary.js';
import type { SequenceStepsTable, SequencesTable } from './schema.js';
import { fromJson, toJson } from './json.js';
import { prepared } from './prepared.js';
import { memoCatalog } from './transaction-memo.js';

const toSequence = (r: Selectable<SequencesTable>): Sequence => ({
  id: r.id,
  userId: r.user_id,
  name: r.name,
  // Sequences saved before open/click tracking existed track nothing.
  settings: { trackOpens: false, trackClicks: false, ...fromJson<Partial<SequenceSettings>>(r.settings, {}) } as SequenceSettings,
  version: r.version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  deletedAt: r.deleted_at,
});

const toStep = (r: Selectable<SequenceStepsTable>): Step => ({
  id: r.id,
  stepOrder: r.step_order,
  type: r.type as Step['type'],
  delayMillis: r.delay_millis,
  subject: r.subject,
  body: r.body,
  threadToStepOrder: r.thread_to_step_order,
  templateId: r.template_id,
  taskType: r.task_type as TaskType | null,
  taskPriority: r.task_priority as Step['taskPriority'],
  taskGatesNextStep: r.task_gates_next_step === 1,
  createdAt: r.created_at,
});

export type NewStep = Omit<Step, 'id' | 'createdAt' | 'stepOrder'>;

export async function insertSequence(
  db: Db,
  s: { userId: number; name: string; settings: SequenceSettings },
  steps: NewStep[],
  now: number,
): Promise<Sequence> {
  const row = await db
    .insertInto('sequences')
    .values({ user_id: s.userId, name: s.name, settings: toJson(s.settings), version: 1, created_at: now, updated_at: now })
    .returningAll()
    .executeTakeFirstOrThrow();
  await insertSteps(db, row.id, 1, steps, now);
  return toSequence(row);
}

/** Editing writes a new version; running enrollments keep the version they pinned. */
export async function updateSequence(
  db: Db,
  current: Sequence,
  s: { name: string; settings: SequenceSettings },
  steps: NewStep[],
  now: number,
): Promise<Sequence> {
  const version = current.version + 1;
  const row = await db
    .updateTable('sequences')
    .set({ name: s.name, settings: toJson(s.settings), version, updated_at: now })
    .where('id', '=', current.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await insertSteps(db, current.id, version, steps, now);
  return toSequence(row);
}

async function insertSteps(db: Db, sequenceId: number, version: number, steps: NewStep[], now: number): Promise<void> {
  if (steps.length === 0) return;
  await db
    .insertInto('sequence_steps')
    .values(
      steps.map((st, i) => ({
        sequence_id: sequenceId,
        version,
        step_order: i,
        type: st.type,
        delay_millis: st.delayMillis,
        subject: st.subject,
        body: st.body,
        thread_to_step_order: st.threadToStepOrder,
        template_id: st.templateId,
        task_type: st.taskType,
        task_priority: st.taskPriority,
        task_gates_next_step: st.taskGatesNextStep ? 1 : 0,
        created_at: now,
      })),
    )
    .execute();
}

const sequenceById = prepared((db, a: { id: number }) => db.selectFrom('sequences').selectAll().where('id', '=', a.id));
const liveSequenceById = prepared((db, a: { id: number }) => db.selectFrom('sequences').selectAll().where('id', '=', a.id).where('deleted_at', 'is', null));

/** Kept across transactions while no sequence changes (src/store/transaction-memo.ts), as are a version's steps. */
export function getSequence(db: Db, id: number, opts: { includeDeleted?: boolean } = {}): Promise<Sequence | null> {
  return memoCatalog(db, 'sequences', `sequence:${id}:${opts.includeDeleted ? 'any' : 'live'}`, async () => {
    const r = (await (opts.includeDeleted ? sequenceById : liveSequenceById)(db, { id })).rows[0];
    return r ? toSequence(r) : null;
  });
}

const stepsOf = prepared((db, a: { sequenceId: number; version: number }) =>
  db.selectFrom('sequence_steps').selectAll().where('sequence_id', '=', a.sequenceId).where('version', '=', a.version).orderBy('step_order'),
);

export function getSteps(db: Db, sequenceId: number, version: number): Promise<Step[]> {
  return memoCatalog(db, 'sequence_steps', `steps:${sequenceId}:${version}`, async () => (await stepsOf(db, { sequenceId, version })).rows.map(toStep));
}

export async function listSequences(
  db: Db,
  opts: { userId?: number; name?: string; after: number; limit: number },
): Promise<{ total: number; results: Sequence[] }> {
  let q = db.selectFrom('sequences').where('deleted_at', 'is', null);
  if (opts.userId !== undefined) q = q.where('user_id', '=', opts.userId);
  if (opts.name) q = q.where('name', 'like', `%${opts.name.replace(/[%_]/g, '')}%`);
  const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await q.selectAll().where('id', '>', opts.after).orderBy('id').limit(opts.limit).execute();
  return { total: Number(total.n), results: rows.map(toSequence) };
}

export async function markSequenceDeleted(db: Db, id: number, now: number): Promise<void> {
  await db.updateTable('sequences').set({ deleted_at: now, updated_at: now }).where('id', '=', id).execute();
}
