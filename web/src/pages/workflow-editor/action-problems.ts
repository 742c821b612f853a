/**
 * What is wrong with the workflow: the server's guardrail check plus what the editor can see for
 * itself (a sequence no longer listed, a sender who lost the right to send), so an action broken
 * by a change elsewhere is flagged before anyone saves.
 */
import type { SenderOption, SequenceRow } from '../../lib/data';
import { ACTION } from '../../lib/flow';
import { userName } from '../../lib/format';
import type { FlowAction, GuardrailIssue } from '../../types';

/** The server's check, plus warnings from the last save that the check does not repeat. */
export function mergeIssues(checked: GuardrailIssue[] | undefined, fromSave: GuardrailIssue[]): GuardrailIssue[] {
  const all = [...(checked ?? [])];
  for (const w of fromSave) if (!all.some((i) => i.code === w.code && i.actionId === w.actionId)) all.push(w);
  return all;
}

/** Problems per action id: the server's errors first, then what the loaded sequences and senders show. */
export function brokenActions(issues: GuardrailIssue[], ordered: FlowAction[], sequences: SequenceRow[] | undefined, senders: SenderOption[] | undefined): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (actionId: string, msg: string) => out.set(actionId, [...(out.get(actionId) ?? []), msg]);
  for (const i of issues) if (i.level === 'error' && i.actionId) add(i.actionId, i.message);
  for (const a of ordered) {
    if (a.actionTypeId !== ACTION.ENROLL) continue;
    const seqId = String(a.fields.sequenceId ?? '');
    if (sequences && seqId && !sequences.some((s) => s.id === seqId) && !issues.some((i) => i.actionId === a.actionId && i.code === 'SEQUENCE_DELETED')) {
      add(a.actionId, `Sequence ${seqId} was deleted or does not exist: this action no longer enrolls contacts. Choose another sequence.`);
    }
    if (senders && a.fields.senderType !== 'CONTACT_OWNER' && !issues.some((i) => i.actionId === a.actionId && i.code === 'SENDER_INELIGIBLE')) {
      const s = senders.find((o) => o.user.id === String(a.fields.userId ?? ''));
      if (s && !s.eligible) add(a.actionId, `${userName(s.user)} can no longer send sequences from workflows: ${s.reason}.`);
    }
  }
  return out;
}
