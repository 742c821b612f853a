import { Link } from '../../router';
import { ErrorMessage, Loading } from '../../components/ui';
import { ActionList } from './ActionList';
import { ActionPanelHost } from './ActionPanelHost';
import { DeleteActionDialog } from './DeleteActionDialog';
import { EditorHeader } from './EditorHeader';
import { GuardrailWarnings } from './GuardrailWarnings';
import { SaveStatus } from './SaveStatus';
import { TimingCard } from './TimingCard';
import { TurnOnDialog } from './TurnOnDialog';
import { useWorkflowEditor } from './useWorkflowEditor';

/** Automation › Workflows › Edit: the trigger, the actions in order, and the panel that edits one. */
export function WorkflowEditor({ id }: { id: string }) {
  const editor = useWorkflowEditor(id);
  const { state, dispatch } = editor;
  const { draft, panel, turnOn, deleting } = state;

  if (editor.loadError) return <main className="page"><ErrorMessage error={editor.loadError} title="Could not load the workflow" /><Link to="/workflows">Back to workflows</Link></main>;
  if (!draft) return <main className="page"><Loading what="the workflow" /></main>;

  return (
    <main className={`page editor${panel ? ' with-panel' : ''}`}>
      <div className="editor-main">
        <EditorHeader
          id={id}
          draft={draft}
          dirty={state.dirty}
          saving={state.saving}
          onRename={(name) => dispatch({ type: 'renamed', name })}
          onSave={editor.saveAll}
          onTurnOn={() => dispatch({ type: 'turnOnChanged', turnOn: { step: 'ask', enrollExisting: false } })}
          onTurnOff={editor.turnOff}
        />
        <SaveStatus notice={state.notice} dirty={state.dirty} saveError={state.saveError} onReload={editor.reload} />
        <GuardrailWarnings draft={draft} issues={editor.issues} />
        <ActionList editor={editor} />
        {!editor.linear && <p className="hint">This workflow has branches; add and move actions through the API.</p>}
        <TimingCard key={draft.revisionId} draft={draft} onChange={(timing) => dispatch({ type: 'timingChanged', timing })} />
      </div>

      {panel && <ActionPanelHost editor={editor} panel={panel} />}
      {turnOn && <TurnOnDialog workflowId={id} turnOn={turnOn} saving={state.saving} onChange={(t) => dispatch({ type: 'turnOnChanged', turnOn: t })} onTurnOn={editor.turnOn} />}
      {deleting && <DeleteActionDialog name={editor.typeName(deleting.actionTypeId)} onCancel={() => dispatch({ type: 'deleteAsked', action: null })} onDelete={() => editor.deleteAction(deleting)} />}
    </main>
  );
}
