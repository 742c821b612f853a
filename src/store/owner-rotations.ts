import type { Db } from './database.js';

/**
 * Takes the next turn of a rotation and answers how many turns came before it (0 for the first).
 * One upsert: concurrent runs serialise on the row, so no two get the same turn.
 */
export async function takeRotationTurn(db: Db, workflowId: number, actionId: string, now: number): Promise<number> {
  const row = await db
    .insertInto('owner_rotations')
    .values({ workflow_id: workflowId, action_id: actionId, turns: 1, updated_at: now })
    .onConflict((oc) => oc.columns(['workflow_id', 'action_id']).doUpdateSet((eb) => ({ turns: eb('owner_rotations.turns', '+', 1), updated_at: now })))
    .returning('turns')
    .executeTakeFirstOrThrow();
  return Number(row.turns) - 1;
}
