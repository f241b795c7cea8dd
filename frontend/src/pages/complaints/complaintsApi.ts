// Types and calls of the complaints API (/api/t/{tenant}/complaints/...). No type here has the complainant's
// name or contact except `ComplaintIdentity`, which only the intake office can fetch.
import { api } from '../../api';

export interface ComplaintClass {
  key: string;
  name: string;
  nameEn: string;
  amount: number;
  unit: string;
  clause: string;
  major: boolean;
  multiDepartment: boolean;
}

export interface ComplaintMeta {
  channels: string[];
  classes: ComplaintClass[];
  intakeOffice: string;
  anonymousAllowed: boolean;
  writtenNeedsWrittenReply: boolean;
  canReceive: boolean;
  canHandle: boolean;
  canReview: boolean;
  canSeeIdentity: boolean;
}

export interface ComplaintEvent {
  action: string;
  status: string;
  at: string;
  byName: string;
  note: string | null;
}

export interface Complaint {
  id: string;
  number: string;
  channel: string;
  level: string;
  written: boolean;
  classKey: string;
  className: string;
  clause: string;
  deadline: string;
  receivedAt: string;
  dueAt: string;
  status: string;
  overdue: boolean;
  anonymous: boolean;
  identityProtected: boolean;
  subject: string;
  problem: string;
  demand: string;
  staffName: string | null;
  windowName: string | null;
  departmentName: string | null;
  replyInWriting: boolean;
  reviewNote: string | null;
  assignedTo: string | null;
  conclusion: string | null;
  opinion: string | null;
  replyChannel: string | null;
  repliedAt: string | null;
  feedback: string | null;
  closedAt: string | null;
  extended: boolean;
  extensionNote: string | null;
  windowPoints: number;
  windowZeroes: boolean;
  personViolationId: string | null;
  rewardYuan: number;
  intakeOffice: string;
  events: ComplaintEvent[];
}

export interface SummaryRow {
  key: string;
  name: string;
  count: number;
  substantiated: number;
  points: number;
  zeroed: boolean;
}

export interface Summary {
  month: string;
  total: number;
  byStatus: SummaryRow[];
  byClass: SummaryRow[];
  byChannel: SummaryRow[];
  byWindow: SummaryRow[];
  substantiated: number;
  partly: number;
  unsubstantiated: number;
  overdue: number;
  repliedOnTime: number;
  rewardsYuan: number;
}

const base = (t: string) => `/api/t/${t}/complaints`;

export const complaintsApi = {
  meta: (t: string) => api.get<ComplaintMeta>(`${base(t)}/meta`),
  list: (t: string, month?: string, status?: string) => api.get<Complaint[]>(base(t), { query: { month, status } }),
  one: (t: string, id: string) => api.get<Complaint>(`${base(t)}/${id}`),
  receive: (t: string, body: Record<string, unknown>) => api.post<Complaint>(base(t), body),
  review: (t: string, id: string, note: string) => api.post<Complaint>(`${base(t)}/${id}/review`, { note }),
  step: (t: string, id: string, body: Record<string, unknown>) => api.post<Complaint>(`${base(t)}/${id}/steps`, body),
  identity: (t: string, id: string) => api.get<{ name: string; contact: string }>(`${base(t)}/${id}/identity`),
  summary: (t: string, month: string) => api.get<Summary>(`${base(t)}/summary`, { query: { month } }),
  summaryXlsx: (t: string, month: string) => `${base(t)}/summary.xlsx?month=${month}`,
};
