// Types and small helpers of the meetings pages (the API is docs/openapi/meetings.json).
export const KINDS = ['joint_meeting', 'symposium', 'forum', 'seminar', 'social', 'consultation', 'training'] as const;
export const MANAGERS = ['admin', 'staff'];
export const OVERSEERS = ['admin', 'staff', 'liaison', 'supervisor'];

export interface Meeting {
  id: number;
  kind: string;
  title: string;
  description?: string | null;
  location?: string | null;
  online_url?: string | null;
  organizer?: string | null;
  capacity: number | null;
  is_public: boolean;
  rrule?: string | null;
  dtstart: string;
  duration_minutes: number;
  version: number;
  next_starts_at: number | null;
  next_starts_local?: string;
  can_manage?: boolean;
  invited?: boolean;
  my_series_rsvp?: string | null;
}

export interface ActionItem {
  id: number;
  meeting_id: number;
  occurrence_id: number;
  meeting_title: string;
  title: string;
  owner_type: 'org' | 'user';
  owner_id: number;
  owner_name: string | null;
  due_on: string;
  status: 'open' | 'done' | 'cancelled';
  overdue: boolean;
  version: number;
}

export interface Occurrence {
  id: number;
  meeting_id: number;
  meeting_title?: string;
  meeting_kind?: string;
  starts_at: number;
  starts_local: string;
  ends_local: string;
  status: 'scheduled' | 'cancelled';
  moved: boolean;
  my_rsvp?: string | null;
  my_place?: string | null;
  attendance?: number;
  can_manage?: boolean;
  checkin_path?: string;
  agenda?: { id: number; position: number; title: string; presenter?: string | null; note?: string | null }[];
  carried_over?: ActionItem[];
  actions?: ActionItem[];
  minutes_markdown?: string | null;
  minutes_html?: string | null;
  checked_in?: boolean;
  attendance_count?: number;
  already?: boolean;
}

/** "2026-12-15T14:30" -> "2026-12-15 14:30". */
export const showLocal = (s?: string) => (s ? s.replace('T', ' ') : '');

/** The local date of a Unix time in Asia/Shanghai, "YYYY-MM-DD". */
export function localDate(unix: number): string {
  return new Date((unix + 8 * 3600) * 1000).toISOString().slice(0, 10);
}

export interface Recurrence {
  mode: 'none' | 'weekly' | 'monthly_nth' | 'monthly_day' | 'custom';
  interval: number;
  weekday: string; // MO..SU
  nth: number; // 1..4, -1 = last
  day: number; // 1..31
  custom: string;
}

const WEEKDAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];

/** The recurrence editor's defaults for a first start "YYYY-MM-DDTHH:MM". */
export function recurrenceFor(dtstart: string): Recurrence {
  const d = new Date(`${dtstart.slice(0, 10)}T00:00:00Z`);
  const valid = !Number.isNaN(d.getTime());
  const day = valid ? d.getUTCDate() : 1;
  return {
    mode: 'none',
    interval: 1,
    weekday: valid ? WEEKDAYS[d.getUTCDay()] : 'MO',
    nth: day > 28 ? -1 : Math.ceil(day / 7), // the 5th of a weekday is always the month's last
    day,
    custom: '',
  };
}

/** The RRULE text of the editor's choice (null for a one-off event). */
export function rruleOf(r: Recurrence): string | null {
  const every = r.interval > 1 ? `;INTERVAL=${r.interval}` : '';
  switch (r.mode) {
    case 'weekly':
      return `FREQ=WEEKLY${every};BYDAY=${r.weekday}`;
    case 'monthly_nth':
      return `FREQ=MONTHLY${every};BYDAY=${r.nth}${r.weekday}`;
    case 'monthly_day':
      return `FREQ=MONTHLY${every};BYMONTHDAY=${r.day}`;
    case 'custom':
      return r.custom.trim().replace(/^RRULE:/i, '') || null;
    default:
      return null;
  }
}
