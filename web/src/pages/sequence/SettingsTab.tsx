import { Field } from '../../components/ui';
import { HoursByDay } from '../../components/HoursByDay';
import { ScheduleChoice } from '../../components/ScheduleChoice';
import { useSchedules } from '../../lib/schedules';
import { Link } from '../../router';
import { useUsers } from '../../lib/data';
import { minuteToTime, timeToMinute, userName } from '../../lib/format';
import type { SequenceSettings } from '../../types';
import type { Draft } from './sequence-draft';

/** The owner, the send window and days (or the named schedule used instead), threading and when a contact is unenrolled. */
export function SettingsTab({ draft, change, isNew }: { draft: Draft; change(f: (d: Draft) => Draft): void; isNew: boolean }) {
  const users = useUsers();
  const set = <K extends keyof SequenceSettings>(k: K, v: SequenceSettings[K]) => change((d) => ({ ...d, settings: { ...d.settings, [k]: v } }));
  const s = draft.settings;
  return (
    <section className="card" aria-label="Settings" style={{ marginTop: '1rem' }}>
      <h2>Settings</h2>
      <div className="row">
        <Field label="Owner" hint={isNew ? undefined : 'The owner is set when the sequence is created.'}>
          {(id) => (
            <select id={id} value={draft.userId} disabled={!isNew} onChange={(e) => change((d) => ({ ...d, userId: e.target.value }))}>
              {users.data?.map((u) => (
                <option key={u.id} value={u.id}>
                  {userName(u)} ({u.email})
                </option>
              ))}
            </select>
          )}
        </Field>
        <ScheduleChoice value={s.scheduleId ?? null} onChange={(v) => set('scheduleId', v)} />
        <Field label="Selling strategy">
          {(id) => (
            <select id={id} value={s.sellingStrategy} onChange={(e) => set('sellingStrategy', e.target.value as SequenceSettings['sellingStrategy'])}>
              <option value="LEAD_BASED">Lead-based</option>
              <option value="ACCOUNT_BASED">Account-based (a reply from the company unenrolls all its contacts)</option>
            </select>
          )}
        </Field>
      </div>
      {s.scheduleId ? (
        <ScheduleInUse scheduleId={s.scheduleId} />
      ) : (
        <>
          <div className="row">
            <Field label="Send follow-ups on">
              {(id) => (
                <select id={id} value={s.eligibleFollowUpDays} onChange={(e) => set('eligibleFollowUpDays', e.target.value as SequenceSettings['eligibleFollowUpDays'])}>
                  <option value="EVERYDAY">Every day</option>
                  <option value="WEEKDAYS_ONLY">Weekdays only</option>
                  <option value="BUSINESS_DAYS">Business days (skip holidays)</option>
                </select>
              )}
            </Field>
            <Field label="Send window starts">{(id) => <input id={id} type="time" value={minuteToTime(s.sendWindowStartMinute)} onChange={(e) => set('sendWindowStartMinute', timeToMinute(e.target.value))} />}</Field>
            <Field label="Send window ends">
              {(id) => <input id={id} type="time" value={s.sendWindowEndMinute >= 1440 ? '23:59' : minuteToTime(s.sendWindowEndMinute)} onChange={(e) => set('sendWindowEndMinute', e.target.value === '23:59' ? 1440 : timeToMinute(e.target.value))} />}
            </Field>
          </div>
          <HoursByDay window={{ startMinute: s.sendWindowStartMinute, endMinute: s.sendWindowEndMinute }} days={s.sendWindowsByWeekday ?? {}} onChange={(v) => set('sendWindowsByWeekday', v)} />
        </>
      )}
      <label className="check">
        <input type="checkbox" checked={s.useThreadedFollowUps} onChange={(e) => set('useThreadedFollowUps', e.target.checked)} /> Send follow-up emails as replies in the same thread
      </label>
      <label className="check">
        <input type="checkbox" checked={s.unenrollOnReply} onChange={(e) => set('unenrollOnReply', e.target.checked)} /> Unenroll the contact when they reply
      </label>
      <label className="check">
        <input type="checkbox" checked={s.unenrollOnMeeting} onChange={(e) => set('unenrollOnMeeting', e.target.checked)} /> Unenroll the contact when they book a meeting
      </label>
      <TrackingSwitches settings={s} set={set} />
    </section>
  );
}

/** Open and click tracking, off by default, with what turning it on costs the recipients' privacy. */
function TrackingSwitches({ settings: s, set }: { settings: SequenceSettings; set<K extends 'trackOpens' | 'trackClicks'>(k: K, v: boolean): void }) {
  return (
    <fieldset aria-label="Open and click tracking">
      <legend>Open and click tracking</legend>
      <label className="check">
        <input type="checkbox" checked={s.trackOpens} aria-describedby="tracking-privacy" onChange={(e) => set('trackOpens', e.target.checked)} /> Track opens
      </label>
      <label className="check">
        <input type="checkbox" checked={s.trackClicks} aria-describedby="tracking-privacy" onChange={(e) => set('trackClicks', e.target.checked)} /> Track link clicks
      </label>
      <p className="hint" id="tracking-privacy">
        Off by default. Turning it on adds an invisible image and rewrites links through this server, so recipients&apos; mail apps contact Seqflow when they open or click. Apple Mail and Gmail fetch
        images through privacy proxies, so some &quot;opens&quot; are the proxy, not the person; we mark those. Some recipients and laws (GDPR/ePrivacy) require consent for tracking. Plain-text
        parts and the unsubscribe link are never changed.
      </p>
    </fieldset>
  );
}

/**
 * A named schedule decides when to send: the sequence's own window fields are kept (switching back
 * restores them) but not shown, so the rep never edits hours that do nothing.
 */
function ScheduleInUse({ scheduleId }: { scheduleId: string }) {
  const schedules = useSchedules();
  const name = schedules.data?.find((x) => x.id === scheduleId)?.name ?? `schedule ${scheduleId}`;
  return (
    <p className="message" role="note" aria-label="Sending schedule">
      Sending by schedule {name} — <Link to="/account/schedules">edit the schedule</Link>
    </p>
  );
}
