import type { EnrollmentCriteria, Filter, Flow, FlowAction, Form, TriggerType } from '../types';

/** The action types whose forms the actions panel draws; their names and fields come from the catalog (GET /seqflow/v1/workflow-catalog). */
export const ACTION = {
  DELAY: '0-1',
  CREATE_TASK: '0-3',
  SET_PROPERTY: '0-5',
  ENROLL: '0-46510720',
  UNENROLL: '0-4702372',
} as const;

/** The event triggers the editor has its own kind for; every other catalog trigger is an 'event' kind. */
export const EVENT = {
  FORM_SUBMITTED: '4-1639801',
  MEETING_BOOKED: '4-1720599',
  CONTACT_CREATED: '4-1463224',
  EMAIL_REPLIED: '4-665538',
} as const;

export const GROUP_LABELS: Record<string, string> = {
  sales: 'Sales',
  delays: 'Delays',
  records: 'Records',
  communication: 'Communications',
  branches: 'Branches',
  external: 'External',
};

/**
 * The actions in the order a contact goes through them: from startActionId along each
 * single connection. Actions not on that path (unreachable, or after a branch) follow at the end.
 * The editor edits single-connection actions; a branch (no action type) is listed as one it
 * cannot edit, so it is carried along as a FlowAction.
 */
export function orderedActions(flow: Pick<Flow, 'actions' | 'startActionId'>): FlowAction[] {
  const byId = new Map(flow.actions.map((a) => [a.actionId, a as FlowAction]));
  const out: FlowAction[] = [];
  const seen = new Set<string>();
  let id: string | undefined = flow.startActionId ?? flow.actions[0]?.actionId;
  while (id && byId.has(id) && !seen.has(id)) {
    const a: FlowAction = byId.get(id)!;
    out.push(a);
    seen.add(id);
    id = a.type === 'SINGLE_CONNECTION' ? a.connection?.nextActionId : undefined;
  }
  for (const a of flow.actions) if (!seen.has(a.actionId)) out.push(a as FlowAction);
  return out;
}

export const isLinear = (flow: Pick<Flow, 'actions'>) => flow.actions.every((a) => a.type === 'SINGLE_CONNECTION');

/** Writes an ordered list back as HubSpot's graph: each action connects to the next. */
export function withActions(flow: Flow, ordered: FlowAction[]): Flow {
  const actions = ordered.map((a, i) => {
    if (a.type !== 'SINGLE_CONNECTION') return a;
    const { connection: _old, ...rest } = a;
    const next = ordered[i + 1];
    return next ? { ...rest, connection: { edgeType: 'STANDARD', nextActionId: next.actionId } } : rest;
  });
  const maxId = [...ordered, ...flow.actions].reduce((m, a) => Math.max(m, Number(a.actionId) || 0), Number(flow.nextAvailableActionId ?? 1) - 1);
  return { ...flow, actions, startActionId: ordered[0]?.actionId, nextAvailableActionId: String(maxId + 1) };
}

export function newActionId(flow: Flow): string {
  const max = flow.actions.reduce((m, a) => Math.max(m, Number(a.actionId) || 0), 0);
  return String(Math.max(Number(flow.nextAvailableActionId ?? 0) || 0, max + 1));
}

/** The body PUT /automation/v4/flows/{id} takes: the flow as read, less what is read-only. */
export function flowBody(flow: Flow) {
  const { id: _id, createdAt: _c, updatedAt: _u, needsReview: _n, reviewReason: _r, warnings: _w, crmObjectCreationStatus: _s, ...body } = flow;
  return body;
}

// ---------------------------------------------------------------------------------------------
// Triggers

export interface PropertyCondition {
  property: string;
  operator: string;
  value: string;
}

export type TriggerDraft =
  | { kind: 'none' }
  | { kind: 'form'; formId: string }
  | { kind: 'meeting' }
  | { kind: 'replied' }
  | { kind: 'created' }
  /** A catalog trigger; `refinements` maps a filter property of the trigger (catalog filterProperties) to the value it must equal. */
  | { kind: 'event'; eventTypeId: string; refinements?: Record<string, string> }
  | { kind: 'property'; conditions: PropertyCondition[] }
  | { kind: 'list'; listId: string }
  | { kind: 'other'; criteria: EnrollmentCriteria };

export const PROPERTY_OPERATORS: { id: string; label: string; needsValue: boolean }[] = [
  { id: 'IS_EQUAL_TO', label: 'is equal to', needsValue: true },
  { id: 'IS_NOT_EQUAL_TO', label: 'is not equal to', needsValue: true },
  { id: 'CONTAINS', label: 'contains', needsValue: true },
  { id: 'DOES_NOT_CONTAIN', label: 'does not contain', needsValue: true },
  { id: 'IS_KNOWN', label: 'is known', needsValue: false },
  { id: 'IS_UNKNOWN', label: 'is unknown', needsValue: false },
  { id: 'IS_GREATER_THAN', label: 'is greater than', needsValue: true },
  { id: 'IS_LESS_THAN', label: 'is less than', needsValue: true },
  { id: 'IS_TODAY', label: 'is today', needsValue: false },
];

const KIND_OF_EVENT: Record<string, TriggerDraft['kind']> = {
  [EVENT.FORM_SUBMITTED]: 'form',
  [EVENT.MEETING_BOOKED]: 'meeting',
  [EVENT.EMAIL_REPLIED]: 'replied',
  [EVENT.CONTACT_CREATED]: 'created',
};

/** A trigger choice of the dropdowns: a kind, or `event:<eventTypeId>` for a catalog trigger without its own kind. */
export interface TriggerOption {
  id: string;
  label: string;
}

/**
 * The trigger dropdown: the server's event triggers (labels from its catalog, in its order), then
 * the property filter, list membership and none. Before the catalog arrives: the events the editor
 * has its own kind for.
 */
export function triggerOptions(catalog: TriggerType[] | undefined): TriggerOption[] {
  const events = catalog
    ? catalog.map((t) => ({ id: KIND_OF_EVENT[t.eventTypeId] ?? `event:${t.eventTypeId}`, label: t.label }))
    : [
        { id: 'form', label: 'Form submitted' },
        { id: 'meeting', label: 'Meeting booked' },
        { id: 'replied', label: 'Replied to an email' },
        { id: 'created', label: 'Contact created' },
      ];
  return [...events, { id: 'property', label: 'Property filter' }, { id: 'list', label: 'Added to a list' }, { id: 'none', label: 'No trigger (manual enrollment only)' }];
}

/** The dropdown value of a trigger draft. */
export const triggerOptionId = (t: TriggerDraft): string => (t.kind === 'event' ? `event:${t.eventTypeId}` : t.kind);

/** A fresh draft for a dropdown choice (the form, list and conditions still to fill in). */
export function draftOfOption(id: string, firstListId = ''): TriggerDraft {
  if (id.startsWith('event:')) return { kind: 'event', eventTypeId: id.slice('event:'.length) };
  if (id === 'form') return { kind: 'form', formId: '' };
  if (id === 'list') return { kind: 'list', listId: firstListId };
  if (id === 'property') return { kind: 'property', conditions: [{ property: '', operator: 'IS_EQUAL_TO', value: '' }] };
  return { kind: id } as TriggerDraft;
}


/** Filters the editor draws as refinement fields: each an "is equal to" on a different property; null for anything else. */
function refinementsOf(filters: Filter[]): Record<string, string> | null {
  const out: Record<string, string> = {};
  for (const f of filters) {
    if ((f.filterType ?? 'PROPERTY') !== 'PROPERTY' || f.operation?.operator !== 'IS_EQUAL_TO' || typeof f.operation.value !== 'string' || f.property in out) return null;
    out[f.property] = f.operation.value;
  }
  return out;
}

const filterValue = (f: Filter) => String(f.operation.value ?? (f.operation.values ?? []).join(', ') ?? '');

export function parseTrigger(c: EnrollmentCriteria | undefined): TriggerDraft {
  if (!c || c.type === 'MANUAL') return { kind: 'none' };
  if (c.type === 'EVENT_BASED' && c.eventFilterBranches.length === 1) {
    const b = c.eventFilterBranches[0];
    const filters = b.filters ?? [];
    if (b.eventTypeId === EVENT.FORM_SUBMITTED) {
      if (filters.length === 0) return { kind: 'form', formId: '' };
      const f = filters[0];
      if (filters.length === 1 && f.property === 'hs_form_id') return { kind: 'form', formId: filterValue(f) };
    }
    if (b.eventTypeId === EVENT.MEETING_BOOKED && filters.length === 0) return { kind: 'meeting' };
    if (b.eventTypeId === EVENT.EMAIL_REPLIED && filters.length === 0) return { kind: 'replied' };
    if (b.eventTypeId === EVENT.CONTACT_CREATED && filters.length === 0) return { kind: 'created' };
    if (!KIND_OF_EVENT[b.eventTypeId] && (b.filterBranches ?? []).length === 0) {
      const refinements = refinementsOf(filters);
      if (refinements) return { kind: 'event', eventTypeId: b.eventTypeId, ...(Object.keys(refinements).length > 0 && { refinements }) };
    }
  }
  if (c.type === 'LIST_BASED') {
    const root = c.listFilterBranch;
    const groups = root.filterBranches ?? [];
    const simple = (root.filters ?? []).length === 0 && groups.length === 1 && (groups[0].filterBranches ?? []).length === 0;
    if (simple) {
      const known = new Set(PROPERTY_OPERATORS.map((o) => o.id));
      const filters = groups[0].filters ?? [];
      const only = filters.length === 1 ? filters[0] : null;
      if (only?.filterType === 'IN_LIST' && only.operator === 'IN_LIST') return { kind: 'list', listId: String(only.listId) };
      // A list-membership (IN_LIST) filter has no property: such triggers stay as they were written.
      if (filters.every((f): f is Filter => (f.filterType ?? 'PROPERTY') === 'PROPERTY' && 'operation' in f && known.has((f as Filter).operation.operator))) {
        return { kind: 'property', conditions: filters.map((f) => ({ property: f.property, operator: f.operation.operator, value: filterValue(f) })) };
      }
    }
  }
  return { kind: 'other', criteria: c };
}

export function buildCriteria(t: TriggerDraft, reEnroll: boolean): EnrollmentCriteria | undefined {
  const event = (eventTypeId: string, filters: Filter[] = []): EnrollmentCriteria => ({
    type: 'EVENT_BASED',
    shouldReEnroll: reEnroll,
    listMembershipFilterBranches: [],
    eventFilterBranches: [{ filterBranchType: 'UNIFIED_EVENTS', filterBranchOperator: 'AND', eventTypeId, operator: 'HAS_COMPLETED', filterBranches: [], filters }],
  });
  switch (t.kind) {
    case 'none':
      // HubSpot's MANUAL criteria: enrolled only by hand, keeping whether a contact may be enrolled again.
      return { type: 'MANUAL', shouldReEnroll: reEnroll };
    case 'form':
      return event(
        EVENT.FORM_SUBMITTED,
        t.formId ? [{ filterType: 'PROPERTY', property: 'hs_form_id', operation: { operationType: 'STRING', operator: 'IS_EQUAL_TO', value: t.formId } }] : [],
      );
    case 'meeting':
      return event(EVENT.MEETING_BOOKED);
    case 'replied':
      return event(EVENT.EMAIL_REPLIED);
    case 'created':
      return event(EVENT.CONTACT_CREATED);
    case 'event':
      return event(
        t.eventTypeId,
        Object.entries(t.refinements ?? {})
          .filter(([, v]) => v.trim() !== '')
          .map(([property, value]) => ({ filterType: 'PROPERTY', property, operation: { operationType: 'MULTISTRING', operator: 'IS_EQUAL_TO', value: value.trim() } })),
      );
    case 'property':
      return {
        type: 'LIST_BASED',
        shouldReEnroll: reEnroll,
        listFilterBranch: {
          filterBranchType: 'OR',
          filters: [],
          filterBranches: [
            {
              filterBranchType: 'AND',
              filterBranches: [],
              filters: t.conditions
                .filter((c) => c.property.trim())
                .map((c) => {
                  const needsValue = PROPERTY_OPERATORS.find((o) => o.id === c.operator)?.needsValue ?? true;
                  const numeric = c.operator === 'IS_GREATER_THAN' || c.operator === 'IS_LESS_THAN';
                  const time = c.operator === 'IS_TODAY';
                  return {
                    filterType: 'PROPERTY',
                    property: c.property.trim().toLowerCase(),
                    operation: {
                      operationType: time ? 'TIME_POINT' : numeric ? 'NUMBER' : 'MULTISTRING',
                      operator: c.operator,
                      ...(needsValue && { value: c.value }),
                    },
                  };
                }),
            },
          ],
        },
        reEnrollmentTriggersFilterBranches: [],
        unEnrollObjectsNotMeetingCriteria: false,
      };
    case 'list':
      // HubSpot's "is member of list" trigger: a LIST_BASED criteria with one IN_LIST filter.
      return {
        type: 'LIST_BASED',
        shouldReEnroll: reEnroll,
        listFilterBranch: {
          filterBranchType: 'OR',
          filters: [],
          filterBranches: [{ filterBranchType: 'AND', filterBranches: [], filters: [{ filterType: 'IN_LIST', listId: t.listId, operator: 'IN_LIST' }] }],
        },
        reEnrollmentTriggersFilterBranches: [],
        unEnrollObjectsNotMeetingCriteria: false,
      };
    case 'other':
      return { ...t.criteria, shouldReEnroll: reEnroll } as EnrollmentCriteria;
  }
}

export function triggerSummary(c: EnrollmentCriteria | undefined, forms: Form[] | undefined, catalog?: TriggerType[]): string {
  const t = parseTrigger(c);
  switch (t.kind) {
    case 'none':
      return 'No trigger';
    case 'form': {
      if (!t.formId) return 'Form submitted (any form)';
      const form = forms?.find((f) => f.id === t.formId);
      return `Form submitted: ${form ? form.name : `form ${t.formId}`}`;
    }
    case 'meeting':
      return 'Meeting booked';
    case 'replied':
      return 'Replied to an email';
    case 'created':
      return 'Contact created';
    case 'event': {
      const type = catalog?.find((x) => x.eventTypeId === t.eventTypeId);
      const refined = Object.entries(t.refinements ?? {}).map(([name, value]) => `${type?.filterProperties.find((p) => p.name === name)?.label ?? name}: ${value}`);
      return [type?.label ?? `Event ${t.eventTypeId}`, ...refined].join(' · ');
    }
    case 'property':
      return `Property filter: ${
        t.conditions
          .map((c) => {
            const op = PROPERTY_OPERATORS.find((o) => o.id === c.operator);
            return `${c.property} ${op?.label ?? c.operator}${op?.needsValue ? ` "${c.value}"` : ''}`;
          })
          .join(' and ') || 'none'
      }`;
    case 'list':
      return `Added to list ${t.listId}`;
    case 'other':
      return t.criteria.type === 'EVENT_BASED' ? 'Event trigger (custom)' : 'Property filter (custom)';
  }
}
