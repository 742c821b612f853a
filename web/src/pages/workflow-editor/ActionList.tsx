import { ActionNode } from './ActionNode';
import { AddButton } from './AddButton';
import { BranchPaths, branchName } from './BranchPaths';
import { TriggerCard } from './TriggerCard';
import type { WorkflowEditorModel } from './useWorkflowEditor';

/** The workflow as a list: the trigger, then each action with a + after it, then End. */
export function ActionList({ editor }: { editor: WorkflowEditorModel }) {
  const { state, dispatch, linear } = editor;
  const { panel } = state;
  return (
    <ol className="flow" aria-label="Workflow steps">
      <li className="flow-node trigger-node">
        <TriggerCard
          trigger={state.trigger}
          reEnroll={state.reEnroll}
          forms={editor.forms}
          onChange={(trigger) => dispatch({ type: 'triggerChanged', trigger })}
          onReEnroll={(reEnroll) => dispatch({ type: 'reEnrollChanged', reEnroll })}
        />
      </li>
      <AddButton label="Add action after trigger" onClick={() => dispatch({ type: 'panelOpened', panel: { mode: 'choose', insertAt: 0 } })} disabled={!linear} />
      {editor.ordered.map((a, i) => (
        <ActionNode
          key={a.actionId}
          action={a}
          index={i}
          name={a.type === 'SINGLE_CONNECTION' ? editor.typeName(a.actionTypeId) : branchName(a)}
          problems={editor.broken.get(a.actionId) ?? []}
          warnings={editor.issues.filter((w) => w.actionId === a.actionId && w.level === 'warning')}
          sequences={editor.sequences}
          senders={editor.senders.options}
          editable={a.type === 'SINGLE_CONNECTION'}
          selected={panel?.mode === 'edit' && panel.action.actionId === a.actionId}
          onEdit={() => dispatch({ type: 'panelOpened', panel: { mode: 'edit', action: a, insertAt: null } })}
          onDelete={() => dispatch({ type: 'deleteAsked', action: a })}
          addAfter={() => dispatch({ type: 'panelOpened', panel: { mode: 'choose', insertAt: i + 1 } })}
          canAdd={linear}
        >
          {a.type !== 'SINGLE_CONNECTION' && <BranchPaths action={a} actions={editor.ordered} typeName={editor.typeName} />}
        </ActionNode>
      ))}
      <li className="flow-end" aria-hidden="true">
        End
      </li>
    </ol>
  );
}
