import { matchesFlowBranch, validateFlowBranch, type FlowContext, type FlowFilterBranch, type Problem, type Properties } from './filters.js';
import { DAY_MS, MINUTE_MS } from './send-limits.js';
import type { FlowBlockedDate, FlowTimeWindow } from './workflow-windows.js';

export interface FlowConnection {
  edgeType?: 'STANDARD' | 'GOTO';
  nextActionId: string;
}

export interface SingleConnectionAction {
  type: 'SINGLE_CONNECTION';
  actionId: string;
  actionTypeId: string;
  actionTypeVersion?: number;
  fields: Record<string, unknown>;
  connection?: FlowConnection;
}

/** If/then by filters: the first branch whose filters the contact matches, else the default. */
export interface ListBranchAction {
  type: 'LIST_BRANCH';
  actionId: string;
  listBranches: { branchName?: string; filterBranch: FlowFilterBranch; connection?: FlowConnection }[];
  defaultBranch?: FlowConnection;
  defaultBranchName?: string;
}

/**
 * If/then by one value: a property's, or (inputValue.type FIELD_DATA, HubSpot's shape for a
 * branch on an earlier action) the outcome of an action of this run. The branch whose value
 * equals it, else the default.
 */
export interface StaticBranchAction {
  type: 'STATIC_BRANCH';
  actionId: string;
  inputValue: { type?: string; propertyName?: string; actionId?: string; dataKey?: string };
  staticBranches: { branchValue: string; connection?: FlowConnection }[];
  defaultBranch?: FlowConnection;
  defaultBranchName?: string;
}

export type FlowAction = SingleConnectionAction | ListBranchAction | StaticBranchAction;

/** Is this action of the given type (branches have no type id)? */
export const isActionOfType = (a: FlowAction, typeId: string): a is SingleConnectionAction => a.type === 'SINGLE_CONNECTION' && a.actionTypeId === typeId;

/** The id the action log records an action under: its type id, or its branch kind. */
export const actionTypeOf = (a: FlowAction): string => (a.type === 'SINGLE_CONNECTION' ? a.actionTypeId : a.type);

/** Every action an action can lead to. */
export function successors(a: FlowAction): string[] {
  const next = (c?: FlowConnection) => (c ? [c.nextActionId] : []);
  if (a.type === 'LIST_BRANCH') return [...a.listBranches.flatMap((b) => next(b.connection)), ...next(a.defaultBranch)];
  if (a.type === 'STATIC_BRANCH') return [...a.staticBranches.flatMap((b) => next(b.connection)), ...next(a.defaultBranch)];
  return next(a.connection);
}

/** Seqflow's data keys of an action's outcome, for a FIELD_DATA branch: its status or its reason code. */
export const OUTCOME_DATA_KEYS = ['hs_action_status', 'hs_action_reason_code'] as const;
export const OUTCOME_STATUSES = ['EXECUTED', 'SKIPPED', 'FAILED'] as const;

/** Does this branch read an earlier action's outcome rather than a property? */
export const isOutcomeBranch = (a: FlowAction): boolean => a.type === 'STATIC_BRANCH' && a.inputValue?.type === 'FIELD_DATA';

/** What an outcome branch compares: the status or the reason code of the action's log entry (none: ''). */
export const outcomeValue = (a: StaticBranchAction, entry: { status: string; reasonCode: string | null } | null): string =>
  !entry ? '' : a.inputValue.dataKey === 'hs_action_reason_code' ? (entry.reasonCode ?? '') : entry.status;

/**
 * Where a branch sends this contact, and the branch's name for the log. `outcome` is what an
 * outcome branch compares (outcomeValue).
 */
export function chooseBranch(a: ListBranchAction | StaticBranchAction, props: Properties, ctx: FlowContext, outcome = ''): { next: string | null; name: string } {
  if (a.type === 'LIST_BRANCH') {
    const i = a.listBranches.findIndex((b) => matchesFlowBranch(props, b.filterBranch, ctx));
    if (i >= 0) return { next: a.listBranches[i].connection?.nextActionId ?? null, name: a.listBranches[i].branchName ?? `branch ${i + 1}` };
  } else {
    const value = (isOutcomeBranch(a) ? outcome : (props[a.inputValue.propertyName ?? ''] ?? '')).trim().toLowerCase();
    const hit = a.staticBranches.find((b) => String(b.branchValue).trim().toLowerCase() === value);
    if (hit) return { next: hit.connection?.nextActionId ?? null, name: String(hit.branchValue) };
  }
  return { next: a.defaultBranch?.nextActionId ?? null, name: a.defaultBranchName ?? 'None met' };
}

export interface EventFilterBranch {
  filterBranchType?: string;
  filterBranchOperator?: string;
  eventTypeId: string;
  operator?: string;
  filters?: FlowFilterBranch['filters'];
  filterBranches?: FlowFilterBranch[];
}

export type EnrollmentCriteria =
  | { type: 'EVENT_BASED'; shouldReEnroll?: boolean; eventFilterBranches: EventFilterBranch[]; listMembershipFilterBranches?: unknown[] }
  | { type: 'LIST_BASED'; shouldReEnroll?: boolean; listFilterBranch: FlowFilterBranch; reEnrollmentTriggersFilterBranches?: unknown[]; unEnrollObjectsNotMeetingCriteria?: boolean }
  | { type: 'MANUAL'; shouldReEnroll?: boolean };

/** A contact workflow as HubSpot's flows v4 API shapes it; the fields Seqflow acts on. */
export interface FlowDefinition {
  type: 'CONTACT_FLOW';
  objectTypeId: '0-1';
  flowType: 'WORKFLOW';
  name: string;
  description?: string;
  isEnabled: boolean;
  startActionId?: string;
  nextAvailableActionId?: string;
  actions: FlowAction[];
  enrollmentCriteria?: EnrollmentCriteria;
  timeWindows: FlowTimeWindow[];
  blockedDates: FlowBlockedDate[];
  suppressionListIds: unknown[];
  customProperties: Record<string, unknown>;
  dataSources: unknown[];
  canEnrollFromSalesforce: boolean;
  uuid?: string;
}

const DELAY_UNITS: Record<string, number> = {
  SECONDS: 1000,
  MINUTES: MINUTE_MS,
  HOURS: 60 * MINUTE_MS,
  DAYS: DAY_MS,
  WEEKS: 7 * DAY_MS,
};
const MAX_DELAY_MS = 366 * DAY_MS;

/** The delay of a `0-1` action, or a problem with its fields. */
export function delayMillis(fields: Record<string, unknown>): number | string {
  const delta = Number(fields.delta);
  const unit = String(fields.time_unit ?? fields.timeUnit ?? '').toUpperCase();
  if (!Number.isFinite(delta) || delta < 0) return 'delta must be a non-negative number';
  if (!(unit in DELAY_UNITS)) return `time_unit must be one of ${Object.keys(DELAY_UNITS).join(', ')}`;
  const ms = delta * DELAY_UNITS[unit];
  return ms > MAX_DELAY_MS ? 'a delay may be at most one year' : ms;
}

/** The first action of a run: startActionId, else the first listed action. */
export const startAction = (def: FlowDefinition): string | null => def.startActionId ?? def.actions[0]?.actionId ?? null;

/** The next action after a single-connection action (branches choose per contact). */
export const nextAction = (def: FlowDefinition, actionId: string): string | null => {
  const a = def.actions.find((x) => x.actionId === actionId);
  return a?.type === 'SINGLE_CONNECTION' ? (a.connection?.nextActionId ?? null) : null;
};

export const findAction = (def: FlowDefinition, actionId: string | null): FlowAction | null =>
  actionId === null ? null : (def.actions.find((a) => a.actionId === actionId) ?? null);

/** The action types and trigger events a flow may use: the registries' (src/services/workflow-*). */
export interface KnownFlowParts {
  /** The action type of an id, with its check of the action's fields; undefined: unknown. */
  actionType(id: string): { validate?(fields: Record<string, unknown>): string | null } | undefined;
  eventTypeIds: readonly string[];
}

/**
 * Structural checks of a flow: known action types, unique ids, connections that point at an
 * existing action, no cycles, a start that exists, and well-formed trigger and action fields.
 */
export function validateFlowStructure(def: FlowDefinition, known: KnownFlowParts): Problem[] {
  const problems: Problem[] = [];
  const ids = new Map<string, number>();
  def.actions.forEach((a, i) => {
    if (ids.has(a.actionId)) problems.push({ in: `actions[${i}].actionId`, message: `Action id ${a.actionId} is used twice.` });
    ids.set(a.actionId, i);
    if (a.type === 'LIST_BRANCH') {
      a.listBranches.forEach((b, j) => problems.push(...validateFlowBranch(b.filterBranch, `actions[${i}].listBranches[${j}].filterBranch`)));
      return;
    }
    if (a.type === 'STATIC_BRANCH' && isOutcomeBranch(a)) {
      problems.push(...outcomeBranchProblems(a, `actions[${i}]`));
      return;
    }
    if (a.type === 'STATIC_BRANCH') {
      if (!a.inputValue?.propertyName) problems.push({ in: `actions[${i}].inputValue.propertyName`, message: 'A value branch needs the property it branches on.' });
      return;
    }
    const type = known.actionType(a.actionTypeId);
    if (!type) {
      problems.push({ in: `actions[${i}].actionTypeId`, message: `Unknown actionTypeId ${a.actionTypeId}; see GET /automation/2026-09-beta/action-types.` });
    }
    const problem = type?.validate?.(a.fields ?? {});
    if (problem) problems.push({ in: `actions[${i}].fields`, message: problem });
  });
  def.actions.forEach((a, i) => {
    const where = a.type === 'SINGLE_CONNECTION' ? `actions[${i}].connection.nextActionId` : `actions[${i}]`;
    for (const next of successors(a)) {
      if (!ids.has(next)) problems.push({ in: where, message: `nextActionId ${next} does not name an action of this flow.` });
    }
  });
  def.actions.forEach((a, i) => {
    const read = a.type === 'STATIC_BRANCH' && isOutcomeBranch(a) ? a.inputValue.actionId : undefined;
    if (read !== undefined && !ids.has(String(read))) problems.push({ in: `actions[${i}].inputValue.actionId`, message: `inputValue.actionId ${read} does not name an action of this flow.` });
  });
  if (def.startActionId !== undefined && def.actions.length > 0 && !ids.has(def.startActionId)) {
    problems.push({ in: 'startActionId', message: `startActionId ${def.startActionId} does not name an action of this flow.` });
  }
  const cycle = findCycle(def);
  if (cycle) problems.push({ in: `actions[${ids.get(cycle)}].connection`, message: `The actions form a cycle through ${cycle}; a workflow must end.` });
  problems.push(...validateCriteria(def.enrollmentCriteria, known.eventTypeIds));
  return problems;
}

function outcomeBranchProblems(a: StaticBranchAction, where: string): Problem[] {
  const key = a.inputValue.dataKey ?? 'hs_action_status';
  if (!(OUTCOME_DATA_KEYS as readonly string[]).includes(key)) return [{ in: `${where}.inputValue.dataKey`, message: `dataKey must be one of ${OUTCOME_DATA_KEYS.join(', ')}.` }];
  if (key !== 'hs_action_status') return [];
  return a.staticBranches.flatMap((b, j) =>
    (OUTCOME_STATUSES as readonly string[]).includes(String(b.branchValue).toUpperCase())
      ? []
      : [{ in: `${where}.staticBranches[${j}].branchValue`, message: `An outcome branch's value is ${OUTCOME_STATUSES.join(', ')}; got ${JSON.stringify(b.branchValue)}.` }],
  );
}

/** Depth-first search over all connections; returns an action on a cycle, if any. */
function findCycle(def: FlowDefinition): string | null {
  const byId = new Map(def.actions.map((a) => [a.actionId, a]));
  const state = new Map<string, 'open' | 'done'>();
  const visit = (id: string): string | null => {
    if (state.get(id) === 'open') return id;
    if (state.get(id) === 'done' || !byId.has(id)) return null;
    state.set(id, 'open');
    for (const next of successors(byId.get(id)!)) {
      const found = visit(next);
      if (found) return found;
    }
    state.set(id, 'done');
    return null;
  };
  for (const a of def.actions) {
    const found = visit(a.actionId);
    if (found) return found;
  }
  return null;
}

function validateCriteria(c: EnrollmentCriteria | undefined, eventTypeIds: readonly string[]): Problem[] {
  if (!c) return [];
  if (c.type === 'EVENT_BASED') {
    if (!Array.isArray(c.eventFilterBranches) || c.eventFilterBranches.length === 0) {
      return [{ in: 'enrollmentCriteria.eventFilterBranches', message: 'An event-based trigger needs at least one event.' }];
    }
    const problems: Problem[] = [];
    c.eventFilterBranches.forEach((b, i) => {
      if (!eventTypeIds.includes(b.eventTypeId)) {
        problems.push({ in: `enrollmentCriteria.eventFilterBranches[${i}].eventTypeId`, message: `Unknown eventTypeId ${b.eventTypeId}.` });
      }
      if (b.filters?.length) {
        problems.push(...validateFlowBranch({ filterBranchType: 'AND', filters: b.filters }, `enrollmentCriteria.eventFilterBranches[${i}]`));
      }
    });
    return problems;
  }
  // A LIST_BASED trigger may test list membership (IN_LIST): "contact added to list" in HubSpot's model.
  if (c.type === 'LIST_BASED') return validateFlowBranch(c.listFilterBranch, 'enrollmentCriteria.listFilterBranch', { inList: true });
  return [];
}

/** Something that happened to a contact, as triggers see it. */
export interface TriggerEvent {
  eventTypeId: string;
  /** Event properties filters can refine on, e.g. hs_form_id for a form submission. */
  properties: Properties;
}

/** Does an event-based trigger fire for this event? Branches are OR-ed; a branch's filters refine it. */
export function eventTriggerFires(c: EnrollmentCriteria | undefined, e: TriggerEvent, ctx: FlowContext): boolean {
  if (c?.type !== 'EVENT_BASED') return false;
  return c.eventFilterBranches.some(
    (b) => b.eventTypeId === e.eventTypeId && (!b.filters?.length || matchesFlowBranch(e.properties, { filterBranchType: 'AND', filters: b.filters }, ctx)),
  );
}

/** The lists a contact was on before a change and is on after it, as list ids. */
export interface ListsBeforeAfter {
  before: ReadonlySet<string>;
  after: ReadonlySet<string>;
}
const NO_LISTS: ListsBeforeAfter = { before: new Set(), after: new Set() };

/**
 * Does a list-based trigger fire on a change? Only when the contact starts to match: its
 * properties, or its list memberships (IN_LIST filters), or both.
 */
export function listTriggerFires(
  c: EnrollmentCriteria | undefined,
  before: Properties | null,
  after: Properties,
  ctx: FlowContext,
  lists: ListsBeforeAfter = NO_LISTS,
): boolean {
  if (c?.type !== 'LIST_BASED') return false;
  const now = matchesFlowBranch(after, c.listFilterBranch, { ...ctx, listIds: lists.after });
  return now && !(before && matchesFlowBranch(before, c.listFilterBranch, { ...ctx, listIds: lists.before }));
}

/** The list ids an IN_LIST filter of the trigger names (to check that they exist). */
export function listIdsOfCriteria(c: EnrollmentCriteria | undefined): string[] {
  if (c?.type !== 'LIST_BASED') return [];
  const walk = (b: FlowFilterBranch | undefined, depth: number): string[] =>
    !b || depth > 16 ? [] : [...(b.filters ?? []).flatMap((f) => (f.filterType === 'IN_LIST' ? [String(f.listId)] : [])), ...(b.filterBranches ?? []).flatMap((x) => walk(x, depth + 1))];
  return [...new Set(walk(c.listFilterBranch, 0))];
}

export const listCriteriaMatch = (c: EnrollmentCriteria | undefined, props: Properties, ctx: FlowContext): boolean =>
  c?.type === 'LIST_BASED' && matchesFlowBranch(props, c.listFilterBranch, ctx);
