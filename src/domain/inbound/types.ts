/** What the inbound classifier is given about our own mail, and what it answers. */

export interface ClassifierFacts {
  /** Message-IDs we sent ('<…>'), looked up by the caller: is this id ours? */
  isOurMessageId: (id: string) => boolean;
  /** Addresses (lower-case) of contacts currently enrolled, with their aliases, that this inbox sends to. */
  isEnrolledAddress: (address: string) => boolean;
}

export type Classification =
  /** `inReplyTo` is the id of our message this answers (thread match), null for an address match. */
  | { kind: 'reply'; from: string; inReplyTo: string | null; matchedBy: 'thread' | 'address' }
  /** `inReplyTo` is our Message-ID named in In-Reply-To/References, null when none is ours. */
  | { kind: 'auto_reply'; from: string; inReplyTo: string | null; signal: string }
  /**
   * A permanent delivery failure. `status` is an enhanced status code `5.x.x`; when the bounce only
   * gave a basic 5xx reply code it is `5.0.0` and the SMTP line is in `diagnostic`.
   */
  | {
      kind: 'bounce';
      permanent: true;
      status: string;
      failedRecipient: string | null;
      originalMessageId: string | null;
      diagnostic: string | null;
    }
  /** 4.x.x or `Action: delayed` — not a hard bounce (the message may still arrive or was given up on a transient error). */
  | { kind: 'delay'; status: string; failedRecipient: string | null; originalMessageId: string | null }
  /** ARF feedback report (RFC 5965). */
  | { kind: 'complaint'; originalMessageId: string | null; recipient: string | null }
  | { kind: 'other' };

export type ClassificationKind = Classification['kind'];
