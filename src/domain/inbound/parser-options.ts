import type { SimpleParserOptions } from 'mailparser';
import { INBOUND_LIMITS } from '../inbound-limits.js';

/**
 * The `simpleParser` options the classifier reads best: the `message/delivery-status` part stays an
 * attachment (so DSN fields are not mixed with the human-readable text), and every embedded
 * `message/rfc822` part stays an attachment with its full header, so the original Message-ID of a
 * bounce or complaint can be read. Any options work; these find more original Message-IDs.
 *
 * They also bound the parser's work on hostile input ({@link INBOUND_LIMITS}): part count and part
 * header size make it fail fast, long HTML is not converted to text, and nothing the classifier
 * never reads (checksums, inlined images, linkified text) is computed.
 */
export const INBOUND_PARSER_OPTIONS: Readonly<SimpleParserOptions> = Object.freeze({
  keepDeliveryStatus: true,
  ignoreEmbedded: true,
  maxChildNodes: INBOUND_LIMITS.maxParts,
  maxHeadSize: INBOUND_LIMITS.maxPartHeaderBytes,
  maxHtmlLengthToParse: INBOUND_LIMITS.maxHtmlChars,
  checksumAlgo: false,
  skipImageLinks: true,
  skipTextToHtml: true,
  skipTextLinks: true,
});
