import type { Inbox, Sequence, Step, User } from '../domain/glossary.js';
import type { Db } from '../store/database.js';
import { getInboxOAuth } from '../store/inbox-oauth.js';
import { getInbox } from '../store/inboxes.js';
import { getSequence, getSteps } from '../store/sequences.js';
import { getUser } from '../store/users.js';

/**
 * What a sequence step reads before its transactions — its sequence, that version's steps, the
 * sender, the inbox and whether it signs in with OAuth — read once per worker batch: the steps of
 * a batch are mostly of a few sequences and senders, and these were five of a send's statements.
 * The reads are outside any transaction, as before; what must be current when the email is
 * committed to (the lease, the inbox's status, the limits) is read again inside the step's
 * transaction. A batch lasts well under a second, so an edit is seen by the next batch.
 */
export interface StepReads {
  sequence(id: number): Promise<Sequence | null>;
  steps(sequenceId: number, version: number): Promise<Step[]>;
  user(id: number): Promise<User | null>;
  inbox(id: number): Promise<Inbox | null>;
  /** Whether the inbox has an OAuth sign-in (issue #16): a password or relay inbox has none, and an inbox never gains one after its creation (a reconnect replaces it). */
  signsInWithOAuth(inboxId: number): Promise<boolean>;
}

export function createStepReads(db: Db): StepReads {
  const memo = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, load: () => Promise<T>): Promise<T> => {
    let hit = memo.get(key) as Promise<T> | undefined;
    if (!hit) {
      hit = load();
      memo.set(key, hit);
      // A failed read is not remembered: the next step of the batch tries again.
      hit.catch(() => memo.delete(key));
    }
    return hit;
  };
  return {
    sequence: (id) => once(`sequence:${id}`, () => getSequence(db, id, { includeDeleted: true })),
    steps: (sequenceId, version) => once(`steps:${sequenceId}:${version}`, () => getSteps(db, sequenceId, version)),
    user: (id) => once(`user:${id}`, () => getUser(db, id)),
    inbox: (id) => once(`inbox:${id}`, () => getInbox(db, id)),
    signsInWithOAuth: (inboxId) => once(`oauth:${inboxId}`, async () => (await getInboxOAuth(db, inboxId)) !== null),
  };
}
