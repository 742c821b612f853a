/**
 * The editor's simple form of a workflow's timing: one range of hours on chosen weekdays, and
 * blocked dates as YYYY-MM-DD. HubSpot's timeWindows may differ per day; such a flow is shown as
 * it is and kept unless the form is changed.
 */
import type { Flow } from '../../types';

export type TimeWindow = Flow['timeWindows'][number];
export type BlockedDate = Flow['blockedDates'][number];
export type Day = TimeWindow['day'];

export const DAYS: { id: Day; label: string }[] = [
  { id: 'MONDAY', label: 'Mon' },
  { id: 'TUESDAY', label: 'Tue' },
  { id: 'WEDNESDAY', label: 'Wed' },
  { id: 'THURSDAY', label: 'Thu' },
  { id: 'FRIDAY', label: 'Fri' },
  { id: 'SATURDAY', label: 'Sat' },
  { id: 'SUNDAY', label: 'Sun' },
];
const MONTHS = ['JANUARY', 'FEBRUARY', 'MARCH', 'APRIL', 'MAY', 'JUNE', 'JULY', 'AUGUST', 'SEPTEMBER', 'OCTOBER', 'NOVEMBER', 'DECEMBER'] as const;

export interface TimingDraft {
  /** false: actions run as soon as a contact reaches them. */
  specificTimes: boolean;
  days: Day[];
  /** 'HH:MM'; the end may be '24:00'. */
  from: string;
  to: string;
  /** Per-day windows the simple form cannot show: kept as they are. */
  custom: boolean;
}

const hhmm = (t: { hour: number; minute: number } | undefined, otherwise: string) => (t ? `${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}` : otherwise);
const time = (s: string) => {
  const [hour, minute] = s.split(':').map(Number);
  return { hour, minute };
};

export function timingOf(windows: TimeWindow[]): TimingDraft {
  if (windows.length === 0) return { specificTimes: false, days: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'], from: '09:00', to: '17:00', custom: false };
  const ranges = new Set(windows.map((w) => `${hhmm(w.startTime, '00:00')}-${hhmm(w.endTime, '24:00')}`));
  const days = DAYS.map((d) => d.id).filter((d) => windows.some((w) => w.day === d));
  const [from, to] = [...ranges][0].split('-');
  return { specificTimes: true, days, from, to, custom: ranges.size > 1 || days.length !== windows.length };
}

export function windowsOf(t: TimingDraft): TimeWindow[] {
  if (!t.specificTimes) return [];
  return t.days.map((day) => ({ day, startTime: time(t.from), endTime: time(t.to) }));
}

export const dateOf = (b: BlockedDate): string => `${b.year}-${String(MONTHS.indexOf(b.month) + 1).padStart(2, '0')}-${String(b.dayOfMonth).padStart(2, '0')}`;
export function blockedDateOf(iso: string): BlockedDate | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return null;
  return { year: Number(m[1]), month: MONTHS[Number(m[2]) - 1], dayOfMonth: Number(m[3]) };
}

/** A problem the server would refuse the timing for, in the form's words; or null. */
export function timingProblem(t: TimingDraft): string | null {
  if (!t.specificTimes) return null;
  if (t.days.length === 0) return 'Choose at least one day.';
  return t.to !== '24:00' && t.to <= t.from ? 'The end time must be after the start time.' : null;
}
