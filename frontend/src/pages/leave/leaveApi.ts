// Types and calls of the leave API (/api/t/{tenant}/leave/...).
import { api } from '../../api';

export type Half = 'am' | 'pm';

export interface Problem {
  code: string;
  field: string | null;
  zh: string;
  en: string;
  severity: 'error' | 'warning';
}

export interface Step {
  id: string | null;
  seq: number;
  approver: string;
  nameZh: string;
  nameEn: string;
  mode: 'sequential' | 'all_of';
  outside: boolean;
  decision: 'pending' | 'approved' | 'rejected' | 'skipped';
  approvers: string[];
  decidedByName: string | null;
  decidedAt: string | null;
  note: string | null;
  recordedForOutside: boolean;
  scanFileId: string | null;
}

export interface Quota {
  role: string;
  month: string;
  usedDays: number;
  usedTimes: number;
  maxDays: number | null;
  maxTimes: number | null;
  counts: boolean;
}

export interface CheckResult {
  ok: boolean;
  days: number;
  halfDays: number;
  problems: Problem[];
  chain: Step[];
  quota: Quota | null;
  substituteRequired: boolean;
  suggestedSubstituteId: string | null;
  suggestedSubstituteName: string | null;
}

export interface ExternalSubstitute {
  name: string;
  phone: string;
  unit: string;
}

export interface LeaveIn {
  leaveType: string;
  start: string;
  end: string;
  startHalf: Half;
  endHalf: Half;
  reason: string;
  substituteStaffId?: string | null;
  externalSubstitute?: ExternalSubstitute | null;
  attachments?: string[];
  sickNoteFileId?: string | null;
  staffId?: string | null;
}

export interface Outcome {
  kind: string;
  on: string;
  halfDays: number;
  leaveType: string | null;
  clause: string;
  zh: string;
  en: string;
}

export interface LeaveView {
  id: string;
  staffId: string;
  staffName: string;
  departmentName: string | null;
  role: string;
  leaveType: string;
  originalType: string | null;
  start: string;
  startHalf: Half;
  end: string;
  endHalf: Half;
  days: number;
  reason: string;
  status: string;
  phase: string;
  submittedAt: string;
  substituteStaffId: string | null;
  substituteName: string | null;
  externalSubstitute: ExternalSubstitute | null;
  attachments: string[];
  sickNoteFileId: string | null;
  warnings: Problem[];
  steps: Step[];
  recordedPaper: boolean;
  closureDue: string | null;
  closedAt: string | null;
  closureChannel: string | null;
  actualEnd: string | null;
  actualEndHalf: Half | null;
  outcomes: Outcome[];
  canWithdraw: boolean;
  canCancel: boolean;
  canClose: boolean;
  canDecide: boolean;
  decideStepId: string | null;
  canRecordOutside: boolean;
  recordStepId: string | null;
  substituteStatus: 'none' | 'pending' | 'confirmed' | 'declined' | 'registered';
  substituteNote: string | null;
  coverRule: 'none' | 'block' | 'off_post';
  canAnswerSubstitute: boolean;
  canNameSubstitute: boolean;
}

export interface LeavePage {
  items: LeaveView[];
  total: number;
}

export interface LeaveTypeOption {
  key: string;
  nameZh: string;
  nameEn: string;
  countsTowardQuota: boolean;
}

export interface LeaveMeta {
  leaveTypes: LeaveTypeOption[];
  closureChannels: string[];
  closureRequired: boolean;
  substituteScope: string;
  myStaffId: string | null;
  myStaffName: string | null;
  canManage: boolean;
  canApprove: boolean;
  isChief: boolean;
  coverToAnswer: number;
}

export interface Colleague {
  id: string;
  name: string;
  departmentName: string | null;
  windowId: string | null;
}

export interface ApproverRow {
  id: string;
  kind: string;
  userId: string;
  username: string;
  displayName: string;
}

export interface ListQuery {
  scope: 'mine' | 'inbox' | 'department' | 'all';
  status?: string;
  leaveType?: string;
  month?: string;
  ledger?: string;
  page?: number;
  pageSize?: number;
}

const base = (t: string) => `/api/t/${t}/leave`;

export const leaveApi = {
  meta: (t: string) => api.get<LeaveMeta>(`${base(t)}/meta`),
  colleagues: (t: string) => api.get<Colleague[]>(`${base(t)}/colleagues`),
  check: (t: string, body: LeaveIn, signal?: AbortSignal) =>
    api.post<CheckResult>(`${base(t)}/check`, body, { signal }),
  submit: (t: string, body: LeaveIn) => api.post<LeaveView>(`${base(t)}/requests`, body),
  list: (t: string, q: ListQuery) =>
    api.get<LeavePage>(`${base(t)}/requests`, { query: { ...q } as Record<string, string | number | undefined> }),
  withdraw: (t: string, id: string) => api.post<LeaveView>(`${base(t)}/requests/${id}/withdraw`),
  cancel: (t: string, id: string) => api.post<LeaveView>(`${base(t)}/requests/${id}/cancel`),
  decide: (t: string, id: string, body: { approve: boolean; note?: string; stepId?: string; scanFileId?: string }) =>
    api.post<LeaveView>(`${base(t)}/requests/${id}/decision`, body),
  close: (t: string, id: string, body: { channel: string; actualEnd?: string; actualEndHalf?: Half; sickNoteFileId?: string; note?: string }) =>
    api.post<LeaveView>(`${base(t)}/requests/${id}/closure`, body),
  answerSubstitute: (t: string, id: string, body: { confirm: boolean; note?: string }) =>
    api.post<LeaveView>(`${base(t)}/requests/${id}/substitute/answer`, body),
  nameSubstitute: (t: string, id: string, body: { substituteStaffId?: string; externalSubstitute?: ExternalSubstitute; note?: string }) =>
    api.post<LeaveView>(`${base(t)}/requests/${id}/substitute`, body),
  outcomes: (t: string) => api.post<{ requests: number; applied: number }>(`${base(t)}/outcomes`),
  approvers: (t: string) => api.get<ApproverRow[]>(`${base(t)}/approvers`),
  assign: (t: string, kind: string, userId: string) => api.post<ApproverRow>(`${base(t)}/approvers`, { kind, userId }),
  unassign: (t: string, id: string) => api.delete<void>(`${base(t)}/approvers/${id}`),
  ledgerUrl: (t: string, q: { month?: string; status?: string; ledger?: string; lang: string }) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(q)) if (v) p.set(k, v);
    return `${base(t)}/ledger.xlsx?${p.toString()}`;
  },
};
