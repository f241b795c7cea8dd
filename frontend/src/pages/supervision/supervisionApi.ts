// Types and calls of the supervision API (/api/t/{tenant}/supervision/...).
import { api } from '../../api';

export interface ChecklistItem {
  offPost: boolean;
  key: string;
  name: string;
  nameEn: string;
  appliesTo: 'hall' | 'window' | 'staff';
  violationKind: string;
  sanction: string;
  photoRequired: boolean;
  clause: string;
}

export interface FixedCheck {
  key: string;
  name: string;
  nameEn: string;
  at: string;
  items: string[];
  clause: string;
}

export interface PostWindow {
  id: string;
  name: string;
  number: string;
  staff: { id: string; name: string; onOuting: boolean }[];
}

export interface PatrolForm {
  day: string;
  /** The server's clock (ISO): patrols are timed by it, not by the phone's own clock. */
  now: string;
  requiredTotal: number;
  requiredAm: number;
  requiredPm: number;
  midday: string;
  modes: string[];
  checklist: ChecklistItem[];
  fixedChecks: FixedCheck[];
  closingCheck: boolean;
  closingItems: string[];
  windows: PostWindow[];
  doneAm: number;
  donePm: number;
}

export interface FindingIn {
  itemKey: string;
  staffId?: string;
  windowId?: string;
  note?: string;
  evidence: string[];
}

export type PatrolKind = 'patrol' | 'fixed_check' | 'closing_check';

export interface PatrolIn {
  clientId: string;
  startedAt: string;
  kind: PatrolKind;
  checkKey?: string;
  mode: string;
  results: Record<string, 'ok' | 'fail'>;
  findings: FindingIn[];
  note?: string;
}

export interface Finding {
  id: string;
  itemKey: string;
  itemName: string;
  staffId: string | null;
  staffName: string | null;
  windowId: string | null;
  note: string | null;
  evidence: string[];
  sanction: string;
  violationKind: string | null;
  violationId: string | null;
  clause: string;
}

export interface PatrolOut {
  id: string;
  clientId: string;
  day: string;
  kind: PatrolKind;
  checkKey: string | null;
  mode: string;
  half: 'am' | 'pm';
  startedAt: string;
  submittedAt: string;
  officerName: string;
  results: Record<string, string>;
  note: string | null;
  findings: Finding[];
  replayed: boolean;
}

export interface ComplianceDay {
  day: string;
  dutyDay: boolean;
  officer: string | null;
  requiredTotal: number;
  requiredAm: number;
  requiredPm: number;
  doneTotal: number;
  doneAm: number;
  donePm: number;
  fixedRequired: string[];
  fixedDone: string[];
  closingRequired: boolean;
  closingDone: boolean;
  findings: number;
  compliant: boolean;
  future: boolean;
}

export interface RotaEntry {
  day: string;
  slot: number;
  staffId: string | null;
  staffName: string | null;
  windowId: string | null;
  windowName: string | null;
}

export interface Rota {
  start: string;
  end: string;
  rotaMode: 'staff_weekly' | 'window_monthly';
  windowsPerMonth: number;
  gapsAllowed: boolean;
  days: { day: string; dutyDay: boolean; reason: string | null }[];
  entries: RotaEntry[];
  staff: { id: string; name: string }[];
  windows: { id: string; name: string }[];
}

export interface MyDuty {
  enabled: boolean;
  days: { day: string; arriveBy: string[]; windowName: string | null }[];
  officerToday: string | null;
}

const base = (t: string) => `/api/t/${t}/supervision`;

export const supervisionApi = {
  form: (t: string) => api.get<PatrolForm>(`${base(t)}/patrol-form`),
  submit: (t: string, body: PatrolIn) => api.post<PatrolOut>(`${base(t)}/patrols`, body),
  history: (t: string, start: string, end: string) =>
    api.get<PatrolOut[]>(`${base(t)}/patrols`, { query: { start, end } }),
  compliance: (t: string, start: string, end: string) =>
    api.get<{ days: ComplianceDay[] }>(`${base(t)}/compliance`, { query: { start, end } }),
  rota: (t: string, start: string, end: string) => api.get<Rota>(`${base(t)}/rota`, { query: { start, end } }),
  saveRota: (t: string, body: { start: string; end: string; entries: Omit<RotaEntry, 'staffName' | 'windowName'>[] }) =>
    api.put<Rota>(`${base(t)}/rota`, body),
  myDuty: (t: string) => api.get<MyDuty>(`${base(t)}/my-duty`),
};

/** A patrol id made on the phone when the patrol starts (kept across retries of its submit). */
export function newClientId(): string {
  const c: Crypto = globalThis.crypto;
  if (typeof c.randomUUID === 'function') return c.randomUUID();
  const b = new Uint8Array(16);
  c.getRandomValues(b);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export interface Outing {
  id: string;
  staffId: string;
  staffName: string;
  day: string;
  reason: string;
  place: string;
  leavesAt: string;
  expectedBack: string;
  returnedAt: string | null;
  status: 'reported' | 'approved' | 'rejected' | 'returned';
  overdue: boolean;
}

export interface OffPostTimer {
  id: string;
  staffId: string;
  staffName: string;
  day: string;
  startedAt: string;
  stoppedAt: string | null;
  minutes: number | null;
  runningMinutes: number;
}

export const outingApi = {
  list: (t: string) => api.get<Outing[]>(`${base(t)}/outings`),
  report: (t: string, body: { reason: string; place: string; expectedBack: string; leavesAt?: string }) =>
    api.post<Outing>(`${base(t)}/outings`, body),
  decide: (t: string, id: string, approve: boolean) => api.post<Outing>(`${base(t)}/outings/${id}/decision`, { approve }),
  back: (t: string, id: string) => api.post<Outing>(`${base(t)}/outings/${id}/return`),
  timers: (t: string) => api.get<OffPostTimer[]>(`${base(t)}/off-post`),
  stop: (t: string, id: string) => api.post<OffPostTimer>(`${base(t)}/off-post/${id}/stop`),
};

export interface LogEvent {
  at: string;
  kind: string;
  text: string;
  who: string | null;
}

export interface DutyLog {
  start: string;
  end: string;
  center: string;
  days: { day: string; officer: string | null; events: LogEvent[] }[];
}

export const dutyLogApi = {
  read: (t: string, start: string, end: string) => api.get<DutyLog>(`${base(t)}/duty-log`, { query: { start, end } }),
  write: (t: string, body: { kind: string; text: string }) => api.post<LogEvent>(`${base(t)}/duty-log`, body),
};

export interface MeetingOut {
  id: string | null;
  month: string;
  day: string;
  nominalDay: string;
  moved: boolean;
  startsAt: string;
  status: 'planned' | 'open' | 'closed';
  code: string | null;
  attendees: { staffId: string; name: string; status: string | null; at: string | null; violationId: string | null }[];
  signedIn: boolean;
}

export const meetingApi = {
  get: (t: string, month: string) => api.get<MeetingOut>(`${base(t)}/meeting`, { query: { month } }),
  open: (t: string, month: string) => api.post<MeetingOut>(`${base(t)}/meeting`, { month }),
  signIn: (t: string, id: string, code: string) => api.post<MeetingOut>(`${base(t)}/meeting/${id}/sign-in`, { code }),
  mark: (t: string, id: string, staffId: string, status: string) =>
    api.post<MeetingOut>(`${base(t)}/meeting/${id}/mark`, { staffId, status }),
  close: (t: string, id: string) => api.post<MeetingOut>(`${base(t)}/meeting/${id}/close`),
};
