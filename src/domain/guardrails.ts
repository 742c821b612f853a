import type { EnrollmentCriteria } from './workflow-graph.js';
import type { FlowFilterBranch } from './filters.js';

/** PRODUCT §4.3: the brief's "do not automate enrollment in less targeted situations", as checks. */
export type GuardrailCode =
  | 'ENROLLS_MANY'
  | 'COLD_IMPORT'
  | 'NON_PERSONAL_CRITERIA'
  | 'PLACEHOLDER_TOKENS'
  | 'SEQUENCE_DELETED'
  | 'SENDER_INELIGIBLE'
  | 'ADDRESS_NOT_ALLOWED';

export interface GuardrailIssue {
  code: GuardrailCode;
  level: 'warning' | 'error';
  message: string;
  count?: number;
  actionId?: string;
}

/** What the service found out about each Enroll-in-sequence action. */
export interface EnrollActionFacts {
  actionId: string;
  sequenceName: string | null;
  sequenceDeleted: boolean;
  hasPlaceholders: boolean;
  senderIssue: 'SENDER_INELIGIBLE' | 'ADDRESS_NOT_ALLOWED' | null;
  senderText?: string;
}

export interface GuardrailFacts {
  criteria: EnrollmentCriteria | undefined;
  enrollActions: EnrollActionFacts[];
  /** Contacts that turning on with "enroll existing contacts" would enroll now. */
  existingCount: number;
  /** Imported in the last 30 days, never engaged, and matchable by the trigger. */
  coldImportCount: number;
}

/** More than this many contacts put into a sequence at once must be acknowledged (the brief's 100). */
export const ENROLLS_MANY_THRESHOLD = 100;

/** Properties every contact has: "is known" on them says nothing about intent. */
const GENERIC = new Set(['email', 'firstname', 'lastname', 'createdate', 'lastmodifieddate', 'hs_object_id', 'phone', 'company', 'jobtitle']);
const DATE_PROPERTIES = new Set(['createdate', 'lastmodifieddate']);
const KNOWN_OPERATORS = new Set(['IS_KNOWN', 'HAS_PROPERTY']);

function flattenFilters(branch: FlowFilterBranch | undefined): { property: string; operator: string }[] {
  if (!branch) return [];
  return [
    // A list-membership filter counts as intent: someone chose who is on the list.
    ...(branch.filters ?? []).map((f) =>
      f.filterType === 'IN_LIST'
        ? { property: `list:${f.listId}`, operator: f.operator }
        : { property: String(f.property ?? '').toLowerCase(), operator: String(f.operation?.operator ?? '') },
    ),
    ...(branch.filterBranches ?? []).flatMap(flattenFilters),
  ];
}

/** Criteria with no intent signal: only create-date conditions, or only "is known" on generic properties. */
export function isNonPersonal(criteria: EnrollmentCriteria | undefined): boolean {
  if (!criteria) return false;
  if (criteria.type === 'EVENT_BASED') {
    return criteria.eventFilterBranches.every((b) => b.eventTypeId === '4-1463224' && !(b.filters?.length));
  }
  if (criteria.type !== 'LIST_BASED') return false;
  const filters = flattenFilters(criteria.listFilterBranch);
  if (filters.length === 0) return true;
  return (
    filters.every((f) => DATE_PROPERTIES.has(f.property)) ||
    filters.every((f) => KNOWN_OPERATORS.has(f.operator) && GENERIC.has(f.property))
  );
}

export function guardrailIssues(f: GuardrailFacts): GuardrailIssue[] {
  const issues: GuardrailIssue[] = [];
  const enrolls = f.enrollActions.length > 0;
  for (const a of f.enrollActions) {
    if (a.sequenceDeleted) {
      issues.push({ code: 'SEQUENCE_DELETED', level: 'error', actionId: a.actionId, message: 'The sequence of this action was deleted; the workflow no longer enrolls contacts in it. Choose another sequence.' });
    }
    if (a.senderIssue === 'SENDER_INELIGIBLE') {
      issues.push({ code: 'SENDER_INELIGIBLE', level: 'error', actionId: a.actionId, message: a.senderText ?? 'The sender needs a paid Sales Hub seat (or Service Hub Enterprise) and a connected inbox.' });
    }
    if (a.senderIssue === 'ADDRESS_NOT_ALLOWED') {
      issues.push({ code: 'ADDRESS_NOT_ALLOWED', level: 'error', actionId: a.actionId, message: a.senderText ?? "The send-from address is not one of the sender's inbox addresses or aliases." });
    }
    if (a.hasPlaceholders) {
      issues.push({
        code: 'PLACEHOLDER_TOKENS',
        level: 'warning',
        actionId: a.actionId,
        message: `The sequence${a.sequenceName ? ` "${a.sequenceName}"` : ''} contains placeholder tokens, which cannot be filled when a workflow enrolls a contact. Its emails will pause for the sender to fill them in.`,
      });
    }
  }
  if (enrolls && f.existingCount > ENROLLS_MANY_THRESHOLD) {
    issues.push({
      code: 'ENROLLS_MANY',
      level: 'warning',
      count: f.existingCount,
      message: `Turning this workflow on with existing contacts would enroll ${f.existingCount} contacts in a sequence. Sequences are for personal, one-to-one follow-up; confirm to go ahead.`,
    });
  }
  if (enrolls && f.coldImportCount > 0) {
    issues.push({
      code: 'COLD_IMPORT',
      level: 'warning',
      count: f.coldImportCount,
      message: `${f.coldImportCount} recently imported contacts who never engaged can match this trigger. Do not automate sequences for cold leads.`,
    });
  }
  if (enrolls && isNonPersonal(f.criteria)) {
    issues.push({
      code: 'NON_PERSONAL_CRITERIA',
      level: 'warning',
      message: 'The enrollment criteria carry no intent signal (for example "create date is today"). Enroll contacts in sequences on a personal action such as a form submission or a booked meeting.',
    });
  }
  return issues;
}
