import { Field } from '../../components/ui';
import { ScheduleChoice } from '../../components/ScheduleChoice';
import { useUsers } from '../../lib/data';
import { minuteToTime, timeToMinute, userName } from '../../lib/format';
import type { SequenceSettings } from '../../types';
import type { Draft } from './sequence-draft';

/** The owner, the send window and days, threading and when a contact is unenrolled. */
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
        <Field label="Selling strategy">
          {(id) => (
            <select id={id} value={s.sellingStrategy} onChange={(e) => set('sellingStrategy', e.target.value as SequenceSettings['sellingStrategy'])}>
              <option value="LEAD_BASED">Lead-based</option>
              <option value="ACCOUNT_BASED">Account-based (a reply from the company unenrolls all its contacts)</option>
            </select>
          )}
        </Field>
      </div>
      <WeekdayWindows settings={s} onChange={(v) => set('sendWindowsByWeekday', v)} />
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

const WEEKDAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const;
type ByWeekday = NonNullable<SequenceSettings['sendWindowsByWeekday']>;

/** Days with other hours than the send window above (Fri 08–12), or none at all. */
function WeekdayWindows({ settings: s, onChange }: { settings: SequenceSettings; onChange(v: ByWeekday): void }) {
  const days = s.sendWindowsByWeekday ?? {};
  const put = (day: (typeof WEEKDAYS)[number], w: ByWeekday[typeof day] | undefined) => {
    const next = { ...days };
    if (w === undefined) delete next[day];
    else next[day] = w;
    onChange(next);
  };
  return (
    <fieldset className="row" aria-label="Hours by day">
      <legend>Hours by day</legend>
      {WEEKDAYS.map((day) => {
        const w = days[day];
        const mode = w === undefined ? 'usual' : w === null ? 'none' : 'own';
        const name = day.charAt(0) + day.slice(1).toLowerCase();
        return (
          <Field key={day} label={name}>
            {(id) => (
              <span>
                <select
                  id={id}
                  value={mode}
                  onChange={(e) =>
                    put(day, e.target.value === 'usual' ? undefined : e.target.value === 'none' ? null : { startMinute: s.sendWindowStartMinute, endMinute: s.sendWindowEndMinute })
                  }
                >
                  <option value="usual">Send window</option>
                  <option value="own">Own hours</option>
                  <option value="none">No sending</option>
                </select>
                {w && (
                  <>
                    <input aria-label={`${name} starts`} type="time" value={minuteToTime(w.startMinute)} onChange={(e) => put(day, { ...w, startMinute: timeToMinute(e.target.value) })} />
                    <input
                      aria-label={`${name} ends`}
                      type="time"
                      value={w.endMinute >= 1440 ? '23:59' : minuteToTime(w.endMinute)}
                      onChange={(e) => put(day, { ...w, endMinute: e.target.value === '23:59' ? 1440 : timeToMinute(e.target.value) })}
                    />
                  </>
                )}
              </span>
            )}
          </Field>
        );
      })}
    </fieldset>
  );
}
