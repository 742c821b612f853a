import { ActionPanel, type PanelState } from '../../components/ActionPanel';
import type { WorkflowEditorModel } from './useWorkflowEditor';

/** The side panel that picks a new action's type and edits an action, wired to the editor. */
export function ActionPanelHost({ editor, panel }: { editor: WorkflowEditorModel; panel: PanelState }) {
  const { state, dispatch } = editor;
  return (
    <ActionPanel
      state={panel}
      actionTypes={editor.actionTypes}
      typeName={editor.typeName}
      sequences={editor.sequences}
      senders={editor.senders.options}
      users={editor.senders.users}
      error={state.panelError}
      saving={state.saving}
      problems={panel.mode === 'edit' ? (editor.broken.get(panel.action.actionId) ?? []) : []}
      onChoose={(actionTypeId) => dispatch({ type: 'actionTypeChosen', actionTypeId })}
      onBack={() => dispatch({ type: 'panelBack' })}
      onSave={(action) => editor.saveAction(action, panel.mode === 'edit' ? panel.insertAt : null)}
      onClose={() => dispatch({ type: 'panelClosed' })}
    />
  );
}
