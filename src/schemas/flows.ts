import { z } from 'zod';
import { batchResponse, collection, cursor, id, numericId, pathId, results, timestamp } from './common.js';
import { ACTION_STATUSES, WEEKDAYS } from './vocabulary.js';

/**
 * Workflows: HubSpot's flows v4 (hubspot-api.md §3.6) and Seqflow's log, stats and guardrail
 * check. The request schemas check the structure HubSpot's clients send and keep whatever else
 * they send (passthrough); filters and the graph are checked by src/domain/workflow-graph.ts.
 * The response schemas describe what a saved flow holds after those checks.
 */

const idString = z.union([z.string().min(1).max(64), z.number().int().transform(String)]);
const filter = z.object({ filterType: z.string().optional(), property: z.string(), operation: z.object({ operator: z.string() }).passthrough() }).passthrough();
const connection = z.object({ edgeType: z.enum(['STANDARD', 'GOTO']).optional(), nextActionId: idString });
const filterBranch = z.object({ filterBranchType: z.enum(['OR', 'AND']) }).passthrough();
const action = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('SINGLE_CONNECTION'),
      actionId: idString,
      actionTypeId: z.string().min(1),
      actionTypeVersion: z.number().int().optional(),
      fields: z.record(z.string(), z.unknown()).default({}),
      connection: connection.optional(),
    })
    .passthrough(),
  z
    .object({
      type: z.literal('LIST_BRANCH'),
      actionId: idString,
      listBranches: z.array(z.object({ branchName: z.string().optional(), filterBranch, connection: connection.optional() }).passthrough()).min(1).max(20),
      defaultBranch: connection.optional(),
      defaultBranchName: z.string().optional(),
    })
    .passthrough(),
  z
    .object({
      type: z.literal('STATIC_BRANCH'),
      actionId: idString,
      // A property's value, or (type FIELD_DATA) what an earlier action of the run did.
      inputValue: z.object({ type: z.string().optional(), propertyName: z.string().min(1).optional(), actionId: idString.optional(), dataKey: z.string().optional() }).passthrough(),
      staticBranches: z.array(z.object({ branchValue: z.union([z.string(), z.number()]).transform(String), connection: connection.optional() }).passthrough()).min(1).max(50),
      defaultBranch: connection.optional(),
      defaultBranchName: z.string().optional(),
    })
    .passthrough(),
]);
/** HubSpot's month names, as blockedDates spell them (the domain's copy: src/domain/workflow-windows.ts). */
export const MONTHS = ['JANUARY', 'FEBRUARY', 'MARCH', 'APRIL', 'MAY', 'JUNE', 'JULY', 'AUGUST', 'SEPTEMBER', 'OCTOBER', 'NOVEMBER', 'DECEMBER'] as const;
const timeOfDay = z.object({ hour: z.number().int().min(0).max(24), minute: z.number().int().min(0).max(59) });
const minutes = (t: { hour: number; minute: number } | undefined, otherwise: number) => (t ? t.hour * 60 + t.minute : otherwise);
/** A weekday's hours in the account's zone, as HubSpot's flows shape them; no start: from 00:00, no end: to 24:00. */
export const timeWindow = z
  .object({ day: z.enum(WEEKDAYS), startTime: timeOfDay.optional(), endTime: timeOfDay.optional() })
  .superRefine((w, ctx) => {
    const start = minutes(w.startTime, 0);
    const end = minutes(w.endTime, 1440);
    if (start >= 1440) ctx.addIssue({ code: 'custom', path: ['startTime'], message: 'startTime must be before 24:00' });
    else if (end > 1440) ctx.addIssue({ code: 'custom', path: ['endTime'], message: 'endTime is at most 24:00' });
    else if (end <= start) ctx.addIssue({ code: 'custom', path: ['endTime'], message: 'endTime must be after startTime' });
  });
/** A calendar day in the account's zone on which the workflow runs no action. */
export const blockedDate = z
  .object({ dayOfMonth: z.number().int().min(1).max(31), month: z.enum(MONTHS), year: z.number().int().min(1970).max(9999) })
  .superRefine((d, ctx) => {
    const m = MONTHS.indexOf(d.month);
    const date = new Date(Date.UTC(d.year, m, d.dayOfMonth));
    if (date.getUTCMonth() !== m) ctx.addIssue({ code: 'custom', path: ['dayOfMonth'], message: `${d.month} ${d.year} has no day ${d.dayOfMonth}` });
  });
// Actions saved without a type are single-connection actions, as HubSpot's own exports are.
const anyAction = z.preprocess((a) => (a && typeof a === 'object' && !('type' in a) ? { ...a, type: 'SINGLE_CONNECTION' } : a), action);
const criteria = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('EVENT_BASED'),
      shouldReEnroll: z.boolean().default(false),
      eventFilterBranches: z.array(z.object({ eventTypeId: z.string(), filters: z.array(filter).optional() }).passthrough()).min(1),
      listMembershipFilterBranches: z.array(z.unknown()).default([]),
    })
    .passthrough(),
  z
    .object({
      type: z.literal('LIST_BASED'),
      shouldReEnroll: z.boolean().default(false),
      listFilterBranch: z.object({ filterBranchType: z.enum(['OR', 'AND']) }).passthrough(),
      reEnrollmentTriggersFilterBranches: z.array(z.unknown()).default([]),
      unEnrollObjectsNotMeetingCriteria: z.boolean().default(false),
    })
    .passthrough(),
  z.object({ type: z.literal('MANUAL'), shouldReEnroll: z.boolean().default(false) }).passthrough(),
]);
/** POST and PUT body: HubSpot's ApiFlow as a client writes it. */
export const flowBody = z
  .object({
    type: z.literal('CONTACT_FLOW', { message: 'only CONTACT_FLOW workflows are supported' }),
    objectTypeId: z.literal('0-1', { message: 'contact workflows have objectTypeId 0-1' }).default('0-1'),
    flowType: z.literal('WORKFLOW').default('WORKFLOW'),
    name: z.string().trim().min(1).max(500),
    description: z.string().max(5000).optional(),
    isEnabled: z.boolean(),
    startActionId: idString.optional(),
    nextAvailableActionId: idString.optional(),
    actions: z.array(anyAction).max(500),
    enrollmentCriteria: criteria.optional(),
    timeWindows: z.array(timeWindow).max(100).default([]),
    blockedDates: z.array(blockedDate).max(500).default([]),
    suppressionListIds: z.array(z.unknown()).default([]),
    customProperties: z.record(z.string(), z.unknown()).default({}),
    dataSources: z.array(z.unknown()).default([]),
    canEnrollFromSalesforce: z.boolean().default(false),
    uuid: z.string().optional(),
    revisionId: idString.optional(),
  })
  // Read-only fields a client echoes back from a GET are ignored.
  .strip();

export const listFlowsQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(100), after: cursor });
export const updateFlowQuery = z.object({
  enrollExisting: z.enum(['true', 'false']).default('false').describe('Turning on: also enroll the contacts that match now'),
  acknowledge: z.union([z.string(), z.array(z.string())]).optional().describe('Guardrail codes confirmed, e.g. ENROLLS_MANY'),
});
export const batchReadFlowsBody = z.object({ inputs: z.array(z.object({ flowId: numericId, type: z.string().optional() })).max(100) });
export const actionTypesQuery = z.object({ objectTypeId: z.string().optional() });
export const actionLogQuery = z.object({
  contactId: numericId.optional(),
  status: z.enum(ACTION_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
});

/** HubSpot's documented manual enrollment (Workflows v2): the flow id and the contact's email in the path. */
export const v2EnrollParams = z.object({ workflowId: pathId, email: z.string().min(3).max(254) });
/** Seqflow's manual enrollment: one contact, or every member of a list. */
export const manualEnrollmentBody = z
  .object({ contactId: numericId.optional(), listId: numericId.optional() })
  .refine((b) => (b.contactId === undefined) !== (b.listId === undefined), { message: 'Give exactly one of contactId and listId.', path: ['contactId'] });
export const contactWorkflowHistoryQuery = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(200) });

// ---- responses ------------------------------------------------------------------------------

/** A property filter of a trigger or branch (validated by src/domain/filters.ts). */
export const propertyFilter = z.looseObject({
  filterType: z.string().optional(),
  property: z.string(),
  operation: z.looseObject({ operationType: z.string().optional(), operator: z.string(), value: z.unknown().optional(), values: z.array(z.unknown()).optional() }),
});
/** A list-membership filter of a LIST_BASED trigger: the contact is (or is not) on the list. */
export const inListFilter = z.looseObject({ filterType: z.literal('IN_LIST'), listId: z.union([z.string(), z.number()]), operator: z.enum(['IN_LIST', 'NOT_IN_LIST']) });
/** AND/OR of filters and nested branches. */
export const propertyFilterBranch = z.looseObject({
  filterBranchType: z.string(),
  filterBranchOperator: z.string().optional(),
  filters: z.array(z.union([propertyFilter, inListFilter])).optional(),
  get filterBranches() {
    return z.array(propertyFilterBranch).optional();
  },
});
const flowConnection = z.object({ edgeType: z.enum(['STANDARD', 'GOTO']).optional(), nextActionId: z.string() });
/** An action that runs an action type and goes on to one next action. */
export const singleConnectionAction = z.looseObject({
  type: z.literal('SINGLE_CONNECTION'),
  actionId: z.string(),
  actionTypeId: z.string(),
  actionTypeVersion: z.number().int().optional(),
  fields: z.record(z.string(), z.unknown()),
  connection: flowConnection.optional(),
});
export const flowAction = z.discriminatedUnion('type', [
  singleConnectionAction,
  z.looseObject({
    type: z.literal('LIST_BRANCH'),
    actionId: z.string(),
    listBranches: z.array(z.looseObject({ branchName: z.string().optional(), filterBranch: propertyFilterBranch, connection: flowConnection.optional() })),
    defaultBranch: flowConnection.optional(),
    defaultBranchName: z.string().optional(),
  }),
  z.looseObject({
    type: z.literal('STATIC_BRANCH'),
    actionId: z.string(),
    inputValue: z.looseObject({ type: z.string().optional(), propertyName: z.string().optional(), actionId: z.string().optional(), dataKey: z.string().optional() }),
    staticBranches: z.array(z.looseObject({ branchValue: z.string(), connection: flowConnection.optional() })),
    defaultBranch: flowConnection.optional(),
    defaultBranchName: z.string().optional(),
  }),
]);
export const enrollmentCriteria = z.discriminatedUnion('type', [
  z.looseObject({
    type: z.literal('EVENT_BASED'),
    shouldReEnroll: z.boolean().optional(),
    eventFilterBranches: z.array(
      z.looseObject({
        filterBranchType: z.string().optional(),
        filterBranchOperator: z.string().optional(),
        eventTypeId: z.string(),
        operator: z.string().optional(),
        filters: z.array(propertyFilter).optional(),
        filterBranches: z.array(propertyFilterBranch).optional(),
      }),
    ),
    listMembershipFilterBranches: z.array(z.unknown()).optional(),
  }),
  z.looseObject({
    type: z.literal('LIST_BASED'),
    shouldReEnroll: z.boolean().optional(),
    listFilterBranch: propertyFilterBranch,
    reEnrollmentTriggersFilterBranches: z.array(z.unknown()).optional(),
    unEnrollObjectsNotMeetingCriteria: z.boolean().optional(),
  }),
  z.looseObject({ type: z.literal('MANUAL'), shouldReEnroll: z.boolean().optional() }),
]);
/** A guardrail finding (PRODUCT §4.3): a warning to acknowledge or an error that keeps the flow from enrolling. */
export const guardrailIssue = z.object({
  code: z.string(),
  level: z.enum(['warning', 'error']),
  message: z.string(),
  count: z.number().int().optional(),
  actionId: z.string().optional(),
});
/** HubSpot's ApiFlow, with Seqflow's review flag and save-time warnings as extra fields. */
export const flow = z.object({
  id,
  uuid: z.string(),
  type: z.literal('CONTACT_FLOW'),
  objectTypeId: z.literal('0-1'),
  flowType: z.literal('WORKFLOW'),
  name: z.string(),
  description: z.string().optional(),
  isEnabled: z.boolean(),
  revisionId: z.string(),
  startActionId: z.string().optional(),
  nextAvailableActionId: z.string(),
  actions: z.array(flowAction),
  enrollmentCriteria: enrollmentCriteria.optional(),
  timeWindows: z.array(timeWindow),
  blockedDates: z.array(blockedDate),
  suppressionListIds: z.array(z.unknown()),
  customProperties: z.record(z.string(), z.unknown()),
  dataSources: z.array(z.unknown()),
  canEnrollFromSalesforce: z.boolean(),
  crmObjectCreationStatus: z.literal('COMPLETE'),
  createdAt: timestamp,
  updatedAt: timestamp,
  needsReview: z.boolean(),
  reviewReason: z.string().optional(),
  warnings: z.array(guardrailIssue).optional(),
});
/** HubSpot's ApiFlowListing. */
export const flowListing = z.object({
  id,
  name: z.string(),
  uuid: z.string(),
  isEnabled: z.boolean(),
  flowType: z.literal('WORKFLOW'),
  objectTypeId: z.literal('0-1'),
  revisionId: z.string(),
  createdAt: timestamp,
  updatedAt: timestamp,
  needsReview: z.boolean(),
});
export const flowCollection = collection(flowListing);
export const flowBatch = batchResponse(flow);
/** An action type of the catalog, with the fields its form asks for. */
export const actionType = z.object({
  actionTypeId: z.string(),
  actionName: z.string(),
  groupId: z.string(),
  objectTypeIds: z.array(z.string()),
  inputFieldDefinitions: z.array(z.object({ name: z.string(), type: z.string(), required: z.boolean(), options: z.array(z.string()).readonly().optional() })),
});
export const actionTypes = results(actionType);
/** An event-based trigger: HubSpot's event type id, and the event properties its filters can refine on. */
export const triggerType = z.object({
  eventTypeId: z.string(),
  label: z.string(),
  filterProperties: z.array(
    z.object({
      name: z.string(),
      label: z.string(),
      valuesFrom: z.enum(['forms', 'sequences', 'contactProperties']).optional().describe('Where the editor finds the values: the forms, sequences or contact properties'),
      options: z.array(z.string()).optional().describe('The values the property takes, e.g. reason codes'),
    }),
  ),
});
/** Everything the workflow editor offers, from the server's registries (src/services/workflow-*). */
export const workflowCatalog = z.object({ actions: z.array(actionType), triggers: z.array(triggerType) });
/** One execution of an action for a contact, as the action log keeps it. */
export const logEntry = z.object({
  flowId: id,
  runId: id,
  contactId: id,
  actionId: z.string(),
  actionTypeId: z.string(),
  status: z.enum(ACTION_STATUSES),
  reasonCode: z.string().optional(),
  reasonText: z.string().optional(),
  at: timestamp,
});
export const actionLog = results(logEntry);
export const flowStats = z.object({ enrolled: z.number().int(), running: z.number().int() });
export const flowCheck = z.object({ issues: z.array(guardrailIssue) });

/** What a manual enrollment did: the contacts enrolled, and those the flow's re-enrollment setting kept out. */
export const manualEnrollmentResult = z.object({
  enrolled: z.array(id),
  skipped: z.array(z.object({ contactId: id, reason: z.literal('ALREADY_ENROLLED') })),
});
/** One action a workflow took on a contact, for the contact record's workflow history. */
export const contactHistoryEntry = logEntry.extend({ flowName: z.string(), actionName: z.string() });
export const contactWorkflowHistory = results(contactHistoryEntry);
// ---- forecast (issue #12 item 5) ---------------------------------------------------------

/** POST /seqflow/v1/workflows/:id/forecast: how far ahead, and whom (default: the contacts turning it on would enroll). */
export const forecastBody = z
  .object({
    days: z.number().int().min(1).max(60).default(14),
    contactIds: z.array(numericId).max(1000).optional(),
  })
  .default({ days: 14 });

const forecastStep = z.object({
  stepOrder: z.number().int(),
  type: z.enum(['EMAIL', 'TASK']),
  at: timestamp,
  /** In the enrollment's zone, e.g. "Mon 2026-03-02 09:00 EST". */
  localTime: z.string(),
  /** The sender's send limit moved it past its due time. */
  heldByLimit: z.boolean(),
});

const forecastAction = z.object({
  actionId: z.string(),
  type: z.string(),
  outcome: z.enum(['WOULD_EXECUTE', 'WOULD_SKIP', 'NOT_PREDICTED']),
  reasonCode: z.string().optional(),
  reasonText: z.string(),
  /** When the action would run. */
  at: timestamp,
  steps: z.array(forecastStep).optional(),
});

export const workflowForecast = z.object({
  generatedAt: timestamp,
  until: timestamp,
  contacts: z.array(
    z.object({
      contactId: id,
      email: z.string().nullable(),
      zone: z.string(),
      actions: z.array(forecastAction),
    }),
  ),
  summary: z.object({
    contacts: z.number().int(),
    wouldEnroll: z.number().int(),
    skipped: z.record(z.string(), z.number().int()),
  }),
});

export type WorkflowForecast = z.infer<typeof workflowForecast>;

export type Flow = z.infer<typeof flow>;
export type FlowAction = z.infer<typeof singleConnectionAction>;
export type FlowListing = z.infer<typeof flowListing>;
export type EnrollmentCriteria = z.infer<typeof enrollmentCriteria>;
export type PropertyFilter = z.infer<typeof propertyFilter>;
export type PropertyFilterBranch = z.infer<typeof propertyFilterBranch>;
export type GuardrailIssue = z.infer<typeof guardrailIssue>;
export type ActionType = z.infer<typeof actionType>;
export type TriggerType = z.infer<typeof triggerType>;
export type WorkflowCatalog = z.infer<typeof workflowCatalog>;
export type LogEntry = z.infer<typeof logEntry>;
export type ContactHistoryEntry = z.infer<typeof contactHistoryEntry>;
export type ManualEnrollmentResult = z.infer<typeof manualEnrollmentResult>;
