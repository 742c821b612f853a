import type { Tx } from '../../store/database.js';
import type { ActionStatus, WorkflowRun } from '../../store/workflows.js';
import type { Deps } from '../deps.js';
import type { At } from '../events.js';

/** A field of an action's form, as the catalog lists it (HubSpot's inputFieldDefinitions). */
export interface InputField {
  name: string;
  type: 'string' | 'number' | 'bool' | 'enumeration' | 'object';
  required: boolean;
  options?: readonly string[];
}

/** What running an action did: its status and reason go to the action log. */
export interface ActionOutcome {
  status: ActionStatus;
  reasonCode?: string;
  reasonText: string;
  /** Delay before the next action runs. */
  waitMs?: number;
  /** With status RETRYING: when the same action runs again. */
  retryAt?: number;
}

export interface ActionRun {
  tx: Tx;
  deps: Deps;
  at: At;
  run: WorkflowRun;
  fields: Record<string, unknown>;
}

/** A call-out attempt: no transaction is open while it waits on the network. */
export interface CallOutRun {
  deps: Deps;
  at: At;
  run: WorkflowRun;
  fields: Record<string, unknown>;
  /** 1 for the first attempt of this action in this run. */
  attempt: number;
  /** When the first attempt was made (now, on the first). */
  firstAttemptAt: number;
}

/**
 * One workflow action type: everything Seqflow knows about it lives in its own file and is
 * listed in ./index.ts. The catalog entry is what GET /automation/2026-09-beta/action-types and
 * the web app's actions panel show.
 */
export interface WorkflowActionType {
  /** HubSpot's actionTypeId (hubspot-api.md §2.3). */
  id: string;
  name: string;
  groupId: string;
  inputFields: readonly InputField[];
  /**
   * Waits for the workflow's time windows and blocked dates before it runs. HubSpot does not
   * reschedule delays (nor branches): the action after them waits instead.
   */
  keepsTimeWindows: boolean;
  /** A problem with the fields that the save refuses (400 INVALID_FLOW), or null. Pure. */
  validate?(fields: Record<string, unknown>): string | null;
  /** A problem found with I/O (DNS) at save, naming the field under `fields`; run before the save's transaction. */
  checkAtSave?(deps: Deps, fields: Record<string, unknown>): Promise<{ field: string; message: string } | null>;
  /** Does the action, in the run's transaction; its outcome is what the log records. */
  run(r: ActionRun): Promise<ActionOutcome>;
  /**
   * Instead of `run`, for actions that wait on the network (a webhook): called with no
   * transaction open, while the worker holds the run's lease; the outcome is then recorded and
   * the run moved in a transaction of its own. RETRYING keeps the run on this action until retryAt.
   */
  callOut?(r: CallOutRun): Promise<ActionOutcome>;
}

/** HubSpot's catalog entry of an action type. */
export const catalogEntry = (a: WorkflowActionType) => ({
  actionTypeId: a.id,
  actionName: a.name,
  groupId: a.groupId,
  objectTypeIds: ['0-1'],
  inputFieldDefinitions: a.inputFields.map((f) => ({ ...f })),
});
