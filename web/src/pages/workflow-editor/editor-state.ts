/**
 * The workflow editor's state and every way it changes, as one pure reducer: the save paths differ
 * in which error they show and which dialog or panel they close, and keeping those rules here
 * (rather than in a dozen setState calls) lets a unit test pin them down.
 */
import type { PanelState } from '../../components/ActionPanel';
import { ACTION, newActionId, parseTrigger, type TriggerDraft } from '../../lib/flow';
import type { Flow, FlowAction, GuardrailIssue } from '../../types';

/** The "Turn on" dialog: first the question, then (on 409 ENROLLS_MANY) the confirmation for many contacts. */
export type TurnOn = { step: 'ask'; enrollExisting: boolean } | { step: 'many'; enrollExisting: true; count: number; message: string } | null;

/** The ways the editor saves the workflow; each one reports success and failure in its own place. */
export type SaveKind = 'workflow' | 'action' | 'delete' | 'turnOn' | 'turnOff';

export interface EditorState {
  /** The workflow as edited; null until it has loaded. */
  draft: Flow | null;
  trigger: TriggerDraft;
  reEnroll: boolean;
  dirty: boolean;
  panel: PanelState | null;
  saving: boolean;
  saveError: unknown;
  /** A failed action save shows in the panel, next to the form it came from. */
  panelError: unknown;
  notice: string | null;
  /** Guardrail warnings returned by the last save. */
  warnings: GuardrailIssue[];
  turnOn: TurnOn;
  deleting: FlowAction | null;
}

export type EditorEvent =
  /** The workflow arrived from the server (first load or "Reload the workflow"). */
  | { type: 'loaded'; flow: Flow; preferPropertyTrigger: boolean }
  | { type: 'renamed'; name: string }
  | { type: 'triggerChanged'; trigger: TriggerDraft }
  | { type: 'reEnrollChanged'; reEnroll: boolean }
  /** The settings' time windows or blocked dates changed (saved with the workflow). */
  | { type: 'timingChanged'; timing: Partial<Pick<Flow, 'timeWindows' | 'blockedDates'>> }
  | { type: 'panelOpened'; panel: PanelState }
  | { type: 'actionTypeChosen'; actionTypeId: string }
  | { type: 'panelBack' }
  | { type: 'panelClosed' }
  | { type: 'turnOnChanged'; turnOn: TurnOn }
  | { type: 'deleteAsked'; action: FlowAction | null }
  | { type: 'reloadStarted' }
  | { type: 'saveStarted'; kind: SaveKind }
  | { type: 'saved'; kind: SaveKind; flow: Flow; notice: string }
  | { type: 'saveFailed'; kind: SaveKind; error: unknown }
  /** Turning on was refused because it would enroll many existing contacts: ask again, with the count. */
  | { type: 'enrollsMany'; count: number; message: string };

export const initialEditorState: EditorState = {
  draft: null,
  trigger: { kind: 'none' },
  reEnroll: false,
  dirty: false,
  panel: null,
  saving: false,
  saveError: null,
  panelError: null,
  notice: null,
  warnings: [],
  turnOn: null,
  deleting: null,
};

const emptyPropertyTrigger = (): TriggerDraft => ({ kind: 'property', conditions: [{ property: '', operator: 'IS_EQUAL_TO', value: '' }] });

/** Fields a new action starts with, so its form opens on sensible choices. */
const ACTION_DEFAULTS: Record<string, Record<string, unknown>> = {
  [ACTION.DELAY]: { delta: '1', time_unit: 'DAYS' },
  [ACTION.ENROLL]: { senderType: 'SPECIFIC_USER', shouldUseContactTimeZone: false },
};

export function editorReducer(state: EditorState, event: EditorEvent): EditorState {
  switch (event.type) {
    case 'loaded': {
      const parsed = parseTrigger(event.flow.enrollmentCriteria);
      // "Create workflow › based on property" lands here with ?trigger=property and no trigger yet.
      const trigger = parsed.kind === 'none' && event.preferPropertyTrigger ? emptyPropertyTrigger() : parsed;
      return { ...state, draft: event.flow, trigger, reEnroll: event.flow.enrollmentCriteria?.shouldReEnroll ?? false, dirty: false };
    }
    case 'renamed':
      return state.draft ? { ...state, draft: { ...state.draft, name: event.name }, dirty: true } : state;
    case 'triggerChanged':
      return { ...state, trigger: event.trigger, dirty: true };
    case 'reEnrollChanged':
      return { ...state, reEnroll: event.reEnroll, dirty: true };
    case 'timingChanged':
      return state.draft ? { ...state, draft: { ...state.draft, ...event.timing }, dirty: true } : state;
    case 'panelOpened':
      return { ...state, panel: event.panel, panelError: null };
    case 'actionTypeChosen': {
      if (state.panel?.mode !== 'choose' || !state.draft) return { ...state, panelError: null };
      const action: FlowAction = {
        type: 'SINGLE_CONNECTION',
        actionId: newActionId(state.draft),
        actionTypeId: event.actionTypeId,
        actionTypeVersion: 0,
        fields: ACTION_DEFAULTS[event.actionTypeId] ?? {},
      };
      return { ...state, panelError: null, panel: { mode: 'edit', insertAt: state.panel.insertAt, action } };
    }
    case 'panelBack':
      // Only a new action has a type list to go back to; editing an existing one has none.
      return state.panel?.mode === 'edit' && state.panel.insertAt !== null ? { ...state, panel: { mode: 'choose', insertAt: state.panel.insertAt } } : state;
    case 'panelClosed':
      return { ...state, panel: null };
    case 'turnOnChanged':
      return { ...state, turnOn: event.turnOn };
    case 'deleteAsked':
      return { ...state, deleting: event.action };
    case 'reloadStarted':
      return { ...state, saveError: null };
    case 'saveStarted':
      return saveStarted(state, event.kind);
    case 'saved':
      return saved({ ...state, draft: event.flow, dirty: false, warnings: event.flow.warnings ?? [], notice: event.notice }, event.kind);
    case 'saveFailed':
      return saveFailed(state, event.kind, event.error);
    case 'enrollsMany':
      return { ...state, saving: false, turnOn: { step: 'many', enrollExisting: true, count: event.count, message: event.message } };
  }
}

// Saving the workflow or an action and turning on disable the buttons while they run; turning off
// and deleting an action never have, and nothing here changes that.
function saveStarted(state: EditorState, kind: SaveKind): EditorState {
  switch (kind) {
    case 'workflow':
    case 'turnOn':
      return { ...state, saving: true, saveError: null };
    case 'action':
      return { ...state, saving: true, saveError: null, panelError: null };
    case 'delete':
    case 'turnOff':
      return { ...state, saveError: null };
  }
}

function saved(state: EditorState, kind: SaveKind): EditorState {
  switch (kind) {
    case 'workflow':
      return { ...state, saving: false };
    case 'action':
      return { ...state, saving: false, panel: null };
    case 'delete':
      return { ...state, deleting: null };
    case 'turnOn':
      return { ...state, saving: false, turnOn: null };
    case 'turnOff':
      return state;
  }
}

function saveFailed(state: EditorState, kind: SaveKind, error: unknown): EditorState {
  switch (kind) {
    case 'workflow':
      return { ...state, saving: false, saveError: error };
    case 'action':
      return { ...state, saving: false, panelError: error };
    case 'delete':
      return { ...state, saveError: error, deleting: null };
    case 'turnOn':
      return { ...state, saving: false, saveError: error, turnOn: null };
    case 'turnOff':
      return { ...state, saveError: error };
  }
}
