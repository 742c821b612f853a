import { describe, expect, it } from 'vitest';
import { ACTION, buildCriteria } from '../../lib/flow';
import type { Flow, FlowAction } from '../../types';
import { editorReducer, initialEditorState, type EditorEvent, type EditorState } from './editor-state';

const delay: FlowAction = { type: 'SINGLE_CONNECTION', actionId: '1', actionTypeId: ACTION.DELAY, actionTypeVersion: 0, fields: { delta: '2', time_unit: 'DAYS' } };

function flow(over: Partial<Flow> = {}): Flow {
  return {
    id: '7',
    uuid: 'b2d4e6f8-0000-4000-8000-000000000007',
    name: 'Book a meeting follow-up',
    type: 'CONTACT_FLOW',
    objectTypeId: '0-1',
    flowType: 'WORKFLOW',
    isEnabled: false,
    revisionId: '1',
    startActionId: '1',
    nextAvailableActionId: '2',
    actions: [delay],
    timeWindows: [],
    blockedDates: [],
    suppressionListIds: [],
    customProperties: {},
    dataSources: [],
    canEnrollFromSalesforce: false,
    crmObjectCreationStatus: 'COMPLETE',
    needsReview: false,
    createdAt: '2026-03-10T09:00:00.000Z',
    updatedAt: '2026-03-10T09:00:00.000Z',
    ...over,
  };
}

const run = (events: EditorEvent[], from: EditorState = initialEditorState) => events.reduce(editorReducer, from);
const loaded = (f = flow(), preferPropertyTrigger = false) => run([{ type: 'loaded', flow: f, preferPropertyTrigger }]);

describe('workflow editor state — loading and editing', () => {
  it("should take the flow's trigger and re-enrollment and start clean when the flow loads", () => {
    const criteria = buildCriteria({ kind: 'meeting' }, true);
    const s = run([{ type: 'renamed', name: 'x' }, { type: 'loaded', flow: flow({ enrollmentCriteria: criteria }), preferPropertyTrigger: false }], loaded());
    expect(s).toMatchObject({ trigger: { kind: 'meeting' }, reEnroll: true, dirty: false, draft: { name: 'Book a meeting follow-up' } });
  });

  it('should start an empty property condition when the flow has no trigger and the page was opened for a property trigger', () => {
    expect(loaded(flow(), true).trigger).toEqual({ kind: 'property', conditions: [{ property: '', operator: 'IS_EQUAL_TO', value: '' }] });
  });

  it("should keep the flow's own trigger when the page was opened for a property trigger", () => {
    expect(loaded(flow({ enrollmentCriteria: buildCriteria({ kind: 'created' }, false) }), true).trigger).toEqual({ kind: 'created' });
  });

  it('should mark the draft dirty when the name, the trigger or re-enrollment changes', () => {
    expect(run([{ type: 'renamed', name: 'New name' }], loaded())).toMatchObject({ dirty: true, draft: { name: 'New name' } });
    expect(run([{ type: 'triggerChanged', trigger: { kind: 'created' } }], loaded())).toMatchObject({ dirty: true, trigger: { kind: 'created' } });
    expect(run([{ type: 'reEnrollChanged', reEnroll: true }], loaded())).toMatchObject({ dirty: true, reEnroll: true });
  });
});

describe('workflow editor state — the action panel', () => {
  it("should open a new action's form with its defaults and a fresh id when a type is chosen from the list", () => {
    const s = run([{ type: 'panelOpened', panel: { mode: 'choose', insertAt: 1 } }, { type: 'actionTypeChosen', actionTypeId: ACTION.ENROLL }], loaded());
    expect(s.panel).toEqual({
      mode: 'edit',
      insertAt: 1,
      action: { type: 'SINGLE_CONNECTION', actionId: '2', actionTypeId: ACTION.ENROLL, actionTypeVersion: 0, fields: { senderType: 'SPECIFIC_USER', shouldUseContactTimeZone: false } },
    });
  });

  it('should only clear the panel error when a type is chosen while an action is being edited', () => {
    const editing = run([{ type: 'panelOpened', panel: { mode: 'edit', action: delay, insertAt: null } }, { type: 'saveStarted', kind: 'action' }, { type: 'saveFailed', kind: 'action', error: 'nope' }], loaded());
    const s = run([{ type: 'actionTypeChosen', actionTypeId: ACTION.DELAY }], editing);
    expect(s.panelError).toBeNull();
    expect(s.panel).toEqual(editing.panel);
  });

  it("should go back to the type list when a new action's form goes back, and stay put when an existing action is edited", () => {
    const chosen = run([{ type: 'panelOpened', panel: { mode: 'choose', insertAt: 0 } }, { type: 'actionTypeChosen', actionTypeId: ACTION.DELAY }, { type: 'panelBack' }], loaded());
    expect(chosen.panel).toEqual({ mode: 'choose', insertAt: 0 });
    const editing = run([{ type: 'panelOpened', panel: { mode: 'edit', action: delay, insertAt: null } }], loaded());
    expect(run([{ type: 'panelBack' }], editing)).toBe(editing);
  });

  it('should clear an earlier panel error when the panel opens again', () => {
    const failed = run([{ type: 'panelOpened', panel: { mode: 'choose', insertAt: 0 } }, { type: 'saveStarted', kind: 'action' }, { type: 'saveFailed', kind: 'action', error: 'bad' }], loaded());
    expect(failed.panelError).toBe('bad');
    expect(run([{ type: 'panelOpened', panel: { mode: 'choose', insertAt: 0 } }], failed).panelError).toBeNull();
  });
});

describe('workflow editor state — saving', () => {
  const saved = flow({ revisionId: '2', warnings: [{ code: 'COLD_IMPORT', level: 'warning', message: 'Cold leads' }] });

  it('should take the saved flow, its warnings and the notice, and no longer be dirty, when a save works', () => {
    const s = run([{ type: 'renamed', name: 'x' }, { type: 'saveStarted', kind: 'workflow' }, { type: 'saved', kind: 'workflow', flow: saved, notice: 'Workflow saved.' }], loaded());
    expect(s).toMatchObject({ draft: saved, dirty: false, saving: false, notice: 'Workflow saved.', warnings: saved.warnings, saveError: null });
  });

  it('should close the panel when saving an action works, and keep it open with the error in it when it fails', () => {
    const open = run([{ type: 'panelOpened', panel: { mode: 'edit', action: delay, insertAt: null } }, { type: 'saveStarted', kind: 'action' }], loaded());
    expect(open).toMatchObject({ saving: true, panelError: null, saveError: null });
    expect(run([{ type: 'saved', kind: 'action', flow: saved, notice: 'Delay saved.' }], open)).toMatchObject({ panel: null, saving: false });
    const failed = run([{ type: 'saveFailed', kind: 'action', error: 'invalid' }], open);
    expect(failed).toMatchObject({ panel: open.panel, panelError: 'invalid', saveError: null, saving: false });
  });

  it('should close the turn-on dialog and show the error when turning on fails', () => {
    const s = run([{ type: 'turnOnChanged', turnOn: { step: 'ask', enrollExisting: true } }, { type: 'saveStarted', kind: 'turnOn' }, { type: 'saveFailed', kind: 'turnOn', error: 'down' }], loaded());
    expect(s).toMatchObject({ turnOn: null, saveError: 'down', saving: false });
  });

  it('should ask again with the count when turning on would enroll many existing contacts', () => {
    const s = run([{ type: 'turnOnChanged', turnOn: { step: 'ask', enrollExisting: true } }, { type: 'saveStarted', kind: 'turnOn' }, { type: 'enrollsMany', count: 250, message: '250 contacts' }], loaded());
    expect(s).toMatchObject({ turnOn: { step: 'many', enrollExisting: true, count: 250, message: '250 contacts' }, saving: false, saveError: null });
  });

  it('should close the delete dialog whether deleting works or fails', () => {
    const asked = run([{ type: 'deleteAsked', action: delay }, { type: 'saveStarted', kind: 'delete' }], loaded());
    expect(run([{ type: 'saved', kind: 'delete', flow: saved, notice: 'Delay deleted.' }], asked).deleting).toBeNull();
    expect(run([{ type: 'saveFailed', kind: 'delete', error: 'gone' }], asked)).toMatchObject({ deleting: null, saveError: 'gone' });
  });

  it('should leave the buttons enabled when turning off or deleting is under way', () => {
    expect(run([{ type: 'saveStarted', kind: 'turnOff' }], loaded()).saving).toBe(false);
    expect(run([{ type: 'saveStarted', kind: 'delete' }], loaded()).saving).toBe(false);
  });

  it('should clear the save error when the workflow is reloaded after a stale save', () => {
    const failed = run([{ type: 'saveStarted', kind: 'workflow' }, { type: 'saveFailed', kind: 'workflow', error: 'stale' }], loaded());
    expect(run([{ type: 'reloadStarted' }], failed).saveError).toBeNull();
  });
});
