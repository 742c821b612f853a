/**
 * How much of one inbound message Seqflow is willing to read. Anyone who can email a rep can put a
 * message in the inbox, so every cost of reading it is capped: a hostile message must not burn
 * minutes of CPU or gigabytes of memory, nor stop the messages behind it (issue #9).
 */
export const INBOUND_LIMITS = Object.freeze({
  /** Messages up to this size are fetched and parsed whole; larger ones are read from their header block only. */
  maxSourceBytes: 10 * 1024 * 1024,
  /** The top-level header block; a longer one is not a message anyone wrote, and nothing of it is read. */
  maxHeaderBytes: 256 * 1024,
  /** MIME parts (every nesting level is one); mailparser's own default, pinned so an upgrade cannot loosen it. */
  maxParts: 1_000,
  /** Header block of any one MIME part as mailparser counts it (a line costs at least 64 bytes). */
  maxPartHeaderBytes: 1024 * 1024,
  /** HTML converted to text; the classifier scans 256 KiB, and converting 10 MB of HTML takes seconds. */
  maxHtmlChars: 1024 * 1024,
  /** Raw bytes kept with a quarantined message, for an admin to inspect. */
  quarantinedRawBytes: 256 * 1024,
  /** Failed attempts at a message that fails for no reason we can name before it is quarantined. */
  maxAttempts: 3,
});

export type InboundLimits = typeof INBOUND_LIMITS;
