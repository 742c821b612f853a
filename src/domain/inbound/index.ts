/**
 * The inbound classifier's public face: the rest of Seqflow imports from here, never from the
 * files behind it. See classify-inbound.ts for the order of the checks.
 */
export { classifyInbound } from './classify-inbound.js';
export { addressesOf } from './addresses.js';
export { INBOUND_PARSER_OPTIONS } from './parser-options.js';
export type { Classification, ClassificationKind, ClassifierFacts } from './types.js';
