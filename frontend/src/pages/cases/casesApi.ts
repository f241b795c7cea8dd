// Types and calls of the case ledger API (/api/t/{tenant}/cases/...).
import { api } from '../../api';

export interface ServiceItem {
  id: string;
  code: string;
  name: string;
  departmentName: string | null;
  legalDays: number;
  promisedDays: number;
  defaultType: string;
}

export interface Notice {
  id: string;
  caseId: string;
  kind: string;
  title: string;
  number: string;
  issuedAt: string;
  body: Record<string, unknown>;
}

export interface CaseView {
  id: string;
  number: string;
  itemCode: string;
  itemName: string;
  caseType: string;
  staffName: string | null;
  departmentName: string | null;
  windowName: string | null;
  applicant: string;
  acceptedAt: string;
  dueAt: string;
  completedAt: string | null;
  paused: boolean;
  pauseKind: string | null;
  remainingMinutes: number;
  overdueWorkingDays: number;
  card: '' | 'yellow' | 'red';
  cardPoints: number;
  participants: { departmentName: string; dueAt: string; completedAt: string | null }[];
  pauses: { kind: string; startedAt: string; endedAt: string | null; days: number; note: string | null; approvedBy: string | null }[];
  notices: Notice[];
}

export interface Board {
  now: string;
  cases: CaseView[];
  yellow: number;
  red: number;
}

export interface ImportReport {
  rows: number;
  good: number;
  bad: number;
  applied: number;
  skippedDuplicates: number;
  problems: { row: number; field: string; zh: string; en: string }[];
  committed: boolean;
}

const base = (t: string) => `/api/t/${t}/cases`;

function upload(path: string, file: File, goodOnly: boolean) {
  const form = new FormData();
  form.append('file', file);
  return api.post<ImportReport>(path, form, { query: { goodOnly: goodOnly || undefined } });
}

export const casesApi = {
  items: (t: string) => api.get<ServiceItem[]>(`${base(t)}/items`),
  importItems: (t: string, file: File, goodOnly: boolean) => upload(`${base(t)}/items/import`, file, goodOnly),
  importEvents: (t: string, file: File, goodOnly: boolean) => upload(`${base(t)}/events/import`, file, goodOnly),
  log: (t: string, body: Record<string, unknown>) => api.post<CaseView>(base(t), body),
  list: (t: string) => api.get<CaseView[]>(base(t)),
  one: (t: string, id: string) => api.get<CaseView>(`${base(t)}/${id}`),
  board: (t: string) => api.get<Board>(`${base(t)}/board`),
  cards: (t: string) => api.post<{ issued: number; violations: number }>(`${base(t)}/cards`),
  notice: (t: string, id: string, kind: string, materials: string[]) => api.post<Notice>(`${base(t)}/${id}/notices`, { kind, materials }),
  act: (t: string, id: string, act: 'pause' | 'resume' | 'complete', body?: unknown) => api.post<CaseView>(`${base(t)}/${id}/${act}`, body),
  statsUrl: (t: string, month: string) => `${base(t)}/stats.xlsx?month=${month}`,
};
