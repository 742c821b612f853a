import { formFor } from '../../components/ActionPanel';
import type { SenderOption, SequenceRow } from '../../lib/data';
import { ACTION } from '../../lib/flow';
import { durationText, userName } from '../../lib/format';
import type { FlowAction } from '../../types';

/** The lines an action's card shows: what it does, in words, with names looked up where they are known. */
export function actionSummary(a: FlowAction, sequences: SequenceRow[] | undefined, senders: SenderOption[] | undefined): string[] {
  const f = a.fields;
  switch (a.actionTypeId) {
    case ACTION.ENROLL: {
      const seq = sequences?.find((s) => s.id === String(f.sequenceId ?? ''));
      const sender = senders?.find((s) => s.user.id === String(f.userId ?? ''));
      return [
        `Sequence: ${seq ? seq.name : f.sequenceId ? (sequences ? `deleted or missing sequence #${String(f.sequenceId)}` : `#${String(f.sequenceId)}`) : 'not chosen'}`,
        f.senderType === 'CONTACT_OWNER' ? 'Sender: the contact owner' : `Sender: ${sender ? userName(sender.user) : f.userId ? `user ${String(f.userId)}` : 'not chosen'}${f.senderEmail ? ` <${String(f.senderEmail)}>` : ''}`,
        ...(f.shouldUseContactTimeZone ? ["Sends in the contact's time zone"] : []),
      ];
    }
    case ACTION.UNENROLL:
      return ['Unenrolls the contact from the sequence they are active in.'];
    case ACTION.DELAY: {
      const n = Number(f.delta);
      const unit = String(f.time_unit ?? f.timeUnit ?? 'DAYS').toLowerCase().replace(/s$/, '');
      const ms = n * ({ minute: 60_000, hour: 3_600_000, day: 86_400_000, week: 604_800_000 }[unit] ?? 0);
      return [`Wait ${ms ? durationText(ms) : `${String(f.delta)} ${unit}s`}`];
    }
    case ACTION.SET_PROPERTY: {
      const v = f.value as { staticValue?: string } | string | undefined;
      return [`Set ${String(f.property_name ?? '?')} to "${typeof v === 'object' ? (v?.staticValue ?? '') : String(v ?? '')}"`];
    }
    case ACTION.CREATE_TASK:
      return [`Task: ${String(f.subject ?? '')}`];
    default:
      return formFor(a.actionTypeId)?.summary(f, senders?.map((s) => s.user)) ?? [JSON.stringify(f)];
  }
}
