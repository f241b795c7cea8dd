// Types and calls of the attendance API (/api/t/{tenant}/attendance/...).
import { api } from '../../api';

export type Finding =
  | 'absence'
  | 'missed_punch'
  | 'late_early'
  | 'late'
  | 'early_leave'
  | 'on_leave'
  | 'on_time'
  | 'rest_day'
  | 'in_progress'
  | 'pending'
  | 'future'
  | 'today';

export interface SessionView {
  label: string;
  start: string;
  end: string;
  status: string;
  openToPublic: boolean;
  inTime: string | null;
  outTime: string | null;
  lateMinutes: number;
  earlyMinutes: number;
  partialLeave: boolean;
  missing: string | null;
}

export interface DayView {
  date: string;
  finding: Finding;
  workday: boolean;
  reason: string | null;
  sessions: SessionView[];
  punches: string[];
  lateMinutes: number;
  earlyMinutes: number;
  missedPunches: number;
  absenceHalfDays: number;
  leaveHalfDays: number;
  final: boolean;
  /** The type of the day's leave (personal, sick, ...), when there is one. */
  leaveType?: string | null;
  /** `unclosed_leave`: a day of absence because a leave was not closed in time. */
  effect?: string | null;
  /** Punches outside every punch window: stored, counted for no session. */
  outsidePunches?: OutsidePunch[];
}

/** A punch no punch window takes, and the nearest window (hh:mm). */
export interface OutsidePunch {
  time: string;
  reason: 'before_window' | 'after_window' | 'between_windows' | 'rest_day';
  label: string | null;
  window: 'in' | 'out' | null;
  windowStart: string | null;
  windowEnd: string | null;
}

export interface DressCode {
  season: string;
  seasonName: string;
  seasonNameEn: string;
  dress: string;
  badgeRequired: boolean;
}

export interface TodayView {
  staffId: string;
  name: string;
  now: string;
  day: DayView;
  dressCode: DressCode | null;
  webClockIn: boolean;
  locationRequired: boolean;
}

export interface MonthTotals {
  workdays: number;
  onTimeDays: number;
  lateCount: number;
  earlyCount: number;
  lateMinutes: number;
  earlyMinutes: number;
  missedPunches: number;
  absenceHalfDays: number;
  convertedHalfDays: number;
  totalAbsenceHalfDays: number;
  leaveHalfDays: number;
  pendingDays: number;
  converted: Record<string, number>;
}

export interface MyMonth {
  staffId: string;
  name: string;
  month: string;
  days: DayView[];
  totals: MonthTotals;
  missedPunchRequestsLeft: number;
}

export interface ClockInResult {
  punchedAt: string;
  workDate: string;
  time: string;
  duplicate: boolean;
  /** Set when the punch falls outside every punch window: stored, not counted. */
  outside?: OutsidePunch | null;
}

export type BoardState = 'in' | 'late' | 'left' | 'on_leave' | 'not_punched' | 'absent' | 'upcoming' | 'rest';

export interface BoardCover {
  name: string;
  external: boolean;
  onPost: boolean | null;
  /** The rules want the substitute on post before the holder leaves (✗: the holder counts as off post). */
  onPostFirst: boolean;
  status: string;
}

export interface BoardRow {
  staffId: string;
  name: string;
  employeeNo: string;
  department: string | null;
  window: string | null;
  state: BoardState;
  finding: Finding;
  sessions: SessionView[];
  firstPunch: string | null;
  lastPunch: string | null;
  lateMinutes: number;
  leaveType?: string | null;
  /** Who covers the person on leave today (顶岗) and whether a colleague has punched in. */
  cover?: BoardCover | null;
}

export interface Board {
  date: string;
  now: string;
  workday: boolean;
  reason: string | null;
  currentSession: string | null;
  counts: Record<BoardState, number>;
  rows: BoardRow[];
  scope: 'center' | 'department';
  /** rows matching the search and state filter; `rows` is one page of them */
  total: number;
  limit: number;
  offset: number;
}

/** One page of a list that pages on the server (govhall.paging). */
export interface PageQuery {
  currentPage?: number;
  pageSize?: number;
  searchString?: string;
}

export interface SheetRow {
  staffId: string;
  name: string;
  employeeNo: string;
  department: string | null;
  window: string | null;
  days: Record<string, Finding>;
  totals: MonthTotals;
  /** ISO date -> leave type on the days with leave. */
  leaveTypes?: Record<string, string>;
}

export interface Sheet {
  month: string;
  dates: string[];
  workdays: string[];
  rows: SheetRow[];
  finalThrough: string | null;
  evaluatedAt: string | null;
  total: number;
  limit: number;
  offset: number;
}

export interface MissedPunch {
  id: string;
  staffId: string;
  staffName: string;
  workDate: string;
  time: string;
  reason: string;
  status: 'pending' | 'approved' | 'rejected' | 'withdrawn';
  createdAt: string;
  decidedAt: string | null;
  decisionNote: string | null;
}

export interface Terminal {
  deviceId: string | null;
  serialNumber: string;
  name: string | null;
  revoked: boolean;
  lastContactAt: string | null;
  lastUploadAt: string | null;
  lastPunchAt: string | null;
  syncedUntil: string | null;
  receivedCount: number;
  deviceRecordCount: number | null;
  pendingCount: number | null;
  backlog: number | null;
  rejectedLines7d: number;
  lastError: string | null;
}

const base = (tenantId: string | number) => `/api/t/${tenantId}/attendance`;

export const attendanceApi = {
  today: (t: string | number) => api.get<TodayView>(`${base(t)}/today`),
  clockIn: (t: string | number, body: { latitude?: number; longitude?: number; accuracy?: number }) =>
    api.post<ClockInResult>(`${base(t)}/clock-in`, body),
  myMonth: (t: string | number, month?: string) => api.get<MyMonth>(`${base(t)}/my-month`, { query: { month } }),
  staffMonth: (t: string | number, staffId: string, month?: string) =>
    api.get<MyMonth>(`${base(t)}/staff/${staffId}/month`, { query: { month } }),
  board: (t: string | number, page: PageQuery & { state?: string } = {}, signal?: AbortSignal) =>
    api.get<Board>(`${base(t)}/board`, { query: { ...page }, signal }),
  sheet: (t: string | number, month?: string, page: PageQuery = {}, signal?: AbortSignal) =>
    api.get<Sheet>(`${base(t)}/sheet`, { query: { month, ...page }, signal }),
  sheetXlsxUrl: (t: string | number, month: string, lang: string) =>
    `${base(t)}/sheet.xlsx?month=${encodeURIComponent(month)}&lang=${lang === 'en' ? 'en' : 'zh'}`,
  evaluate: (t: string | number, month: string) =>
    api.post<{ month: string; staff: number; days: number; finalThrough: string | null; seconds: number }>(
      `${base(t)}/evaluate`,
      undefined,
      { query: { month } },
    ),
  requestMissedPunch: (t: string | number, body: { workDate: string; time: string; reason: string }) =>
    api.post<MissedPunch>(`${base(t)}/missed-punches`, body),
  myMissedPunches: (t: string | number) => api.get<MissedPunch[]>(`${base(t)}/missed-punches/mine`),
  missedPunches: (t: string | number, status?: string, signal?: AbortSignal) =>
    api.get<MissedPunch[]>(`${base(t)}/missed-punches`, { query: { status }, signal }),
  decide: (t: string | number, id: string, approve: boolean, note?: string) =>
    api.post<MissedPunch>(`${base(t)}/missed-punches/${id}/decision`, { approve, note: note || null }),
  terminals: (t: string | number) => api.get<Terminal[]>(`${base(t)}/terminals`),
};
