// The attendance API (/api/t/{tenant}/attendance/...) through the generated client: wire types by their schema
// names (frontend/src/api/schema.d.ts, `make api-client`), narrowed where the server documents a closed set as a
// plain string (findings, board states); calls through `call(client.X(...))`, with the abort signal of the query.
import { call, client } from '../../api';
import type { Schemas } from '../../api';

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

export type BoardState = 'in' | 'late' | 'left' | 'on_leave' | 'not_punched' | 'absent' | 'upcoming' | 'rest';

export type SessionView = Schemas['SessionView'];
export type OutsidePunch = Omit<Schemas['OutsidePunchView'], 'reason' | 'window'> & {
  reason: 'before_window' | 'after_window' | 'between_windows' | 'rest_day';
  window: 'in' | 'out' | null;
};
/** A correction by the center (考勤更正) that decided sessions of a day: shown as 更 with its reason. */
export type CorrectionMark = Schemas['CorrectionMark'];
export type DayView = Omit<Schemas['DayView'], 'finding' | 'outsidePunches'> & {
  finding: Finding;
  outsidePunches?: OutsidePunch[];
};
export type DressCode = Schemas['DressCodeView'];
export type TodayView = Omit<Schemas['TodayView'], 'day'> & { day: DayView };
export type MonthTotals = Schemas['MonthTotals'];
export type MyMonth = Omit<Schemas['MyMonth'], 'days'> & { days: DayView[] };
export type ClockInResult = Omit<Schemas['ClockInResult'], 'outside'> & { outside?: OutsidePunch | null };
export type BoardCover = Schemas['BoardCover'];
export type BoardRow = Omit<Schemas['BoardRow'], 'state' | 'finding'> & { state: BoardState; finding: Finding };
export type Board = Omit<Schemas['attendance_schemas_Board'], 'rows' | 'counts' | 'scope'> & {
  rows: BoardRow[];
  counts: Record<BoardState, number>;
  scope: 'center' | 'department';
};
export type SheetRow = Omit<Schemas['SheetRow'], 'days'> & { days: Record<string, Finding> };
export type Sheet = Omit<Schemas['Sheet'], 'rows'> & { rows: SheetRow[] };
export type MissedPunch = Omit<Schemas['MissedPunchView'], 'status'> & {
  status: 'pending' | 'approved' | 'rejected' | 'withdrawn';
};
export type Terminal = Schemas['TerminalView'];
export type Correction = Schemas['CorrectionView'];
export type CorrectionPage = Schemas['CorrectionPage'];
export type CorrectionIn = Schemas['CorrectionIn'];

/** One page of a list that pages on the server (govhall.paging). */
export interface PageQuery {
  currentPage?: number;
  pageSize?: number;
  searchString?: string;
}

type Tenant = string | number;
const path = (t: Tenant) => ({ tenant_id: String(t) });

export const attendanceApi = {
  today: (t: Tenant, signal?: AbortSignal) =>
    call(client.GET('/api/t/{tenant_id}/attendance/today', { params: { path: path(t) }, signal })) as Promise<TodayView>,
  clockIn: (t: Tenant, body: { latitude?: number; longitude?: number; accuracy?: number }) =>
    call(client.POST('/api/t/{tenant_id}/attendance/clock-in', { params: { path: path(t) }, body })) as Promise<ClockInResult>,
  myMonth: (t: Tenant, month?: string, signal?: AbortSignal) =>
    call(client.GET('/api/t/{tenant_id}/attendance/my-month', { params: { path: path(t), query: { month } }, signal })) as Promise<MyMonth>,
  staffMonth: (t: Tenant, staffId: string, month?: string, signal?: AbortSignal) =>
    call(
      client.GET('/api/t/{tenant_id}/attendance/staff/{staff_id}/month', {
        params: { path: { ...path(t), staff_id: staffId }, query: { month } },
        signal,
      }),
    ) as Promise<MyMonth>,
  board: (t: Tenant, page: PageQuery & { state?: string } = {}, signal?: AbortSignal) =>
    call(
      client.GET('/api/t/{tenant_id}/attendance/board', {
        params: { path: path(t), query: { ...page, state: page.state as never } },
        signal,
      }),
    ) as unknown as Promise<Board>,
  sheet: (t: Tenant, month?: string, page: PageQuery = {}, signal?: AbortSignal) =>
    call(client.GET('/api/t/{tenant_id}/attendance/sheet', { params: { path: path(t), query: { month, ...page } }, signal })) as Promise<Sheet>,
  sheetXlsxUrl: (t: Tenant, month: string, lang: string) =>
    `/api/t/${t}/attendance/sheet.xlsx?month=${encodeURIComponent(month)}&lang=${lang === 'en' ? 'en' : 'zh'}`,
  evaluate: (t: Tenant, month: string) =>
    call(client.POST('/api/t/{tenant_id}/attendance/evaluate', { params: { path: path(t), query: { month } } })),
  requestMissedPunch: (t: Tenant, body: { workDate: string; time: string; reason: string }) =>
    call(client.POST('/api/t/{tenant_id}/attendance/missed-punches', { params: { path: path(t) }, body })) as Promise<MissedPunch>,
  myMissedPunches: (t: Tenant, signal?: AbortSignal) =>
    call(client.GET('/api/t/{tenant_id}/attendance/missed-punches/mine', { params: { path: path(t) }, signal })) as Promise<MissedPunch[]>,
  missedPunches: (t: Tenant, status?: string, signal?: AbortSignal) =>
    call(client.GET('/api/t/{tenant_id}/attendance/missed-punches', { params: { path: path(t), query: { status } }, signal })) as Promise<MissedPunch[]>,
  decide: (t: Tenant, id: string, approve: boolean, note?: string) =>
    call(
      client.POST('/api/t/{tenant_id}/attendance/missed-punches/{request_id}/decision', {
        params: { path: { ...path(t), request_id: id } },
        body: { approve, note: note || null },
      }),
    ) as Promise<MissedPunch>,
  terminals: (t: Tenant, signal?: AbortSignal) =>
    call(client.GET('/api/t/{tenant_id}/attendance/terminals', { params: { path: path(t) }, signal })),
  corrections: (t: Tenant, page: PageQuery = {}, signal?: AbortSignal) =>
    call(client.GET('/api/t/{tenant_id}/attendance/corrections', { params: { path: path(t), query: page }, signal })),
  createCorrection: (t: Tenant, body: CorrectionIn) =>
    call(client.POST('/api/t/{tenant_id}/attendance/corrections', { params: { path: path(t) }, body })),
  voidCorrection: (t: Tenant, id: string, reason: string) =>
    call(
      client.POST('/api/t/{tenant_id}/attendance/corrections/{correction_id}/void', {
        params: { path: { ...path(t), correction_id: id } },
        body: { reason },
      }),
    ),
};
