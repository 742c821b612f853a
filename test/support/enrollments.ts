import { expect } from 'vitest';
import type { Harness } from './harness.js';

/**
 * What the reply and account-based tests do to enrollments through the API. `harness` is read at
 * each call, so these can be made once beside a harness started anew in beforeEach.
 */
export function enrollmentSteps(harness: () => Harness) {
  const enroll = (userId: string, contactId: string, sequenceId: string, senderEmail: string) =>
    harness().api('POST', `/automation/v4/sequences/enrollments?userId=${userId}`, { contactId, sequenceId, senderEmail });
  const sentTo = async (to: string) => (await harness().api('GET', `/seqflow/v1/dev-mail/messages?to=${to}`)).body.results;
  /** The contact's first enrollment as /seqflow/v1/enrollments shows it. */
  const state = async (contactId: string) => (await harness().api('GET', `/seqflow/v1/enrollments?contactId=${contactId}`)).body.results[0];
  /** Replies, through the dev mail server, to the first email sent to `to`. */
  const replyToFirst = async (to: string, text: string) => {
    const [first] = await sentTo(to);
    await harness().api('POST', '/seqflow/v1/dev-mail/reply', { messageId: first.messageId, text });
  };
  /** Enrolls every contact (each answered 200), lets their first emails go, and replies to the one sent to `replier`. */
  const enrollAllThenReply = async (rep: { userId: string; email: string }, sequenceId: string, contactIds: string[], replier: string, text: string) => {
    for (const c of contactIds) expect((await enroll(rep.userId, c, sequenceId, rep.email)).status).toBe(200);
    await harness().advance(0);
    await replyToFirst(replier, text);
  };
  return { enroll, sentTo, state, replyToFirst, enrollAllThenReply };
}
