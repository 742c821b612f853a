/** A person answering: a reply in the thread of one of our messages, or any message from an enrolled address. */
import type { ParsedMail } from 'mailparser';
import { addressesOf } from './addresses.js';
import { firstOurs, threadIds } from './message-ids.js';
import { safeCall } from './safe-read.js';
import type { Classification, ClassifierFacts } from './types.js';

/** Who wrote and which of our messages it answers: an auto-reply reports the same two facts as a reply. */
export interface ReplyContext {
  /** From addresses, lower-case. */
  from: string[];
  /** Our Message-ID named in In-Reply-To or References, null when none is ours. */
  ours: string | null;
}

export function replyContextOf(mail: ParsedMail, facts: ClassifierFacts): ReplyContext {
  return { from: addressesOf(mail, 'from'), ours: firstOurs(threadIds(mail), facts) };
}

/** A thread match wins over an address match; a message that has neither is `other`. */
export function classifyReply({ from, ours }: ReplyContext, facts: ClassifierFacts): Classification {
  if (ours) return { kind: 'reply', from: from[0] ?? '', inReplyTo: ours, matchedBy: 'thread' };
  const enrolled = from.find((a) => safeCall(facts?.isEnrolledAddress, a));
  if (enrolled) return { kind: 'reply', from: enrolled, inReplyTo: null, matchedBy: 'address' };
  return { kind: 'other' };
}
