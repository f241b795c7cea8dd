// Types and calls of the assessment API (/api/t/{tenant}/assessment/...).
import { api } from '../../api';

export interface CatalogueItem {
  key: string;
  name: string;
  nameEn: string;
  category: string;
  categoryName: string;
  clause: string;
  points: number[];
  pointsMin: number;
  pointsMax: number;
  subject: string;
  evidenceRequired: boolean;
  warnFirst: boolean;
  fineYuan: number;
  immediateReturn: boolean;
  monthlyCap: number;
}

export interface Category {
  key: string;
  name: string;
  nameEn: string;
  maxPoints: number;
}

export interface Catalogue {
  categories: Category[];
  violations: CatalogueItem[];
  bonuses: CatalogueItem[];
  appealWorkingDays: number;
  returnAuthority: string;
  returnAuthorityOutside: boolean;
}

export interface PersonOption {
  id: string;
  name: string;
  employeeNo: string;
}

export interface WindowOption {
  id: string | null;
  label: string;
  departmentId: string | null;
  departmentName: string | null;
  staff: PersonOption[];
}

export interface RecordView {
  id: string;
  type: 'violation' | 'bonus';
  subject: string;
  staffId: string | null;
  staffName: string | null;
  windowId: string | null;
  windowLabel: string | null;
  departmentId: string | null;
  departmentName: string | null;
  kind: string;
  name: string;
  category: string;
  clause: string;
  day: string;
  quantity: number;
  points: number | null;
  source: string;
  evidence: string[];
  note: string | null;
  recorderName: string | null;
  recordedAt: string;
  status: string;
  sanction: string | null;
  voidReason: string | null;
  appealStatus: string | null;
  amendsId: string | null;
}

export interface RecordPage {
  items: RecordView[];
  total: number;
  page: number;
  pageSize: number;
}

export interface CardLine {
  recordId: string;
  type: 'violation' | 'bonus';
  kind: string;
  name: string;
  nameEn: string;
  category: string;
  clause: string;
  day: string;
  occurrence: number;
  quantity: number;
  points: number;
  fineYuan: number;
  sanction: string;
  warning: boolean;
  source: string;
  evidence: string[];
  note: string | null;
  recorderName: string | null;
  status: string;
  appealStatus: string | null;
  appealDeadline: string | null;
  canAppeal: boolean;
}

export interface CategoryScore {
  key: string;
  name: string;
  nameEn: string;
  maxPoints: number;
  score: number;
  lines: CardLine[];
}

export interface ScorecardView {
  staffId: string;
  staffName: string;
  employeeNo: string;
  departmentName: string | null;
  month: string;
  state: 'provisional' | 'closed' | 'published';
  total: number;
  deducted: number;
  bonus: number;
  payYuan: number;
  finesYuan: number;
  returnToUnit: boolean;
  returnReasons: string[];
  awardEligible: boolean;
  yearDeductions: number;
  categories: CategoryScore[];
  excluded: CardLine[];
  /** A center without points (001 townships): lines show their sanction, the card no score or pay. */
  sanctionsOnly?: boolean;
}

export interface MonthView {
  month: string;
  status: 'open' | 'closed' | 'published';
  closedAt: string | null;
  closedByName: string | null;
  publishedAt: string | null;
  reopened: number;
  attendanceFinalThrough: string | null;
  attendanceFinal: boolean;
  records: number;
  scorecards: number;
  openAppeals: number;
  returnCases: number;
}

export interface PayRow {
  staffId: string;
  employeeNo: string;
  name: string;
  departmentId: string | null;
  departmentName: string | null;
  windowLabel: string | null;
  categories: Record<string, number>;
  total: number;
  deducted: number;
  bonus: number;
  payYuan: number;
  finesYuan: number;
  returnToUnit: boolean;
  awardEligible: boolean;
}

export interface PayList {
  month: string;
  status: string;
  center: string;
  categories: Category[];
  rows: PayRow[];
  totalPayYuan: number;
  totalFinesYuan: number;
}

export interface DepartmentNotice {
  month: string;
  center: string;
  departmentId: string;
  departmentName: string;
  people: {
    name: string;
    employeeNo: string;
    total: number;
    payYuan: number;
    finesYuan: number;
    returnToUnit: boolean;
    lines: { day: string; name: string; clause: string; points: number; fineYuan: number }[];
  }[];
}

export interface AppealView {
  id: string;
  record: RecordView;
  staffName: string;
  reason: string;
  filedAt: string;
  deadline: string;
  status: string;
  decidedByName: string | null;
  decisionNote: string | null;
  newPoints: number | null;
  totalBefore: number | null;
  totalAfter: number | null;
}

export interface ReturnCaseView {
  id: string;
  staffId: string;
  staffName: string;
  departmentName: string | null;
  month: string;
  status: string;
  triggers: { name: string; clause?: string; recordIds?: string[]; immediate?: boolean }[];
  history: { status: string; at: string; note: string }[];
  authority: string | null;
  scanFileId: string | null;
  notices: { to: string; kind: string; text: string }[];
  outcome: { accountsDisabled?: string[]; abPairsFlagged?: string[]; windowVacated?: string | null } | null;
  createdAt: string;
}

export interface RecordIn {
  kind: string;
  day: string;
  quantity?: number;
  staffId?: string;
  windowId?: string;
  departmentId?: string;
  points?: number;
  source?: string;
  evidence?: string[];
  note?: string;
}

export interface UnitLine {
  recordId: string;
  name: string;
  clause: string;
  category: string;
  day: string;
  occurrence: number;
  points: number;
  staffName: string | null;
}

export interface UnitCardView {
  subject: 'window' | 'department';
  unitId: string;
  name: string;
  departmentName: string | null;
  categories: Record<string, number>;
  total: number;
  deducted: number;
  bonus: number;
  awardEligible: boolean;
  lines: UnitLine[];
}

export interface CountRow {
  key: string;
  name: string;
  count: number;
  points: number;
}

export interface MonthSummary {
  month: string;
  status: string;
  center: string;
  staff: number;
  averageTotal: number;
  fullMarks: number;
  distribution: Record<string, number>;
  totalPayYuan: number;
  totalFinesYuan: number;
  bySource: CountRow[];
  byCategory: CountRow[];
  topKinds: CountRow[];
  appeals: Record<string, number>;
  returnCases: Record<string, number>;
  awardIneligible: number;
  units: UnitCardView[];
}

export interface AnnualRow {
  staffId: string;
  employeeNo: string;
  name: string;
  departmentName: string | null;
  chief: boolean;
  monthsScored: number;
  averageTotal: number;
  deductions: number;
  leaveDays: Record<string, number>;
  absenceDays: number;
  awardEligible: boolean;
  awardReasons: string[];
  bonusCancelled: boolean;
  bonusReasons: string[];
  chiefCandidate: boolean;
}

export interface AnnualView {
  year: number;
  center: string;
  monthsClosed: string[];
  rows: AnnualRow[];
  chiefCandidates: number;
}

const base = (t: string) => `/api/t/${t}/assessment`;

export const assessmentApi = {
  catalogue: (t: string, month?: string) => api.get<Catalogue>(`${base(t)}/catalogue`, { query: { month } }),
  recordable: (t: string) => api.get<WindowOption[]>(`${base(t)}/recordable`),
  record: (t: string, body: RecordIn) => api.post<RecordView>(`${base(t)}/violations`, body),
  recordBonus: (t: string, body: RecordIn) => api.post<RecordView>(`${base(t)}/bonuses`, body),
  voidRecord: (t: string, id: string, reason: string) =>
    api.post<RecordView>(`${base(t)}/violations/${id}/void`, { reason }),
  records: (t: string, query: Record<string, string | number | undefined>) =>
    api.get<RecordPage>(`${base(t)}/violations`, { query }),
  bonuses: (t: string, query: Record<string, string | number | undefined>) =>
    api.get<RecordPage>(`${base(t)}/bonuses`, { query }),
  voidBonus: (t: string, id: string, reason: string) =>
    api.post<RecordView>(`${base(t)}/bonuses/${id}/void`, { reason }),
  amend: (t: string, type: 'violation' | 'bonus', id: string, reason: string, record: RecordIn) =>
    api.post<RecordView>(`${base(t)}/${type === 'bonus' ? 'bonuses' : 'violations'}/${id}/amend`, { reason, record }),
  summary: (t: string, month: string) => api.get<MonthSummary>(`${base(t)}/months/${month}/summary`),
  year: (t: string, year: number) => api.get<AnnualView>(`${base(t)}/years/${year}`),
  my: (t: string, month: string) => api.get<ScorecardView>(`${base(t)}/my`, { query: { month } }),
  staffCard: (t: string, staffId: string, month: string) =>
    api.get<ScorecardView>(`${base(t)}/staff/${staffId}/card`, { query: { month } }),
  month: (t: string, month: string) => api.get<MonthView>(`${base(t)}/months/${month}`),
  close: (t: string, month: string) => api.post<{ scorecards: number; attendanceRecords: number; returnCases: number }>(
    `${base(t)}/months/${month}/close`),
  publish: (t: string, month: string) => api.post<MonthView>(`${base(t)}/months/${month}/publish`),
  reopen: (t: string, month: string, reason: string) =>
    api.post<MonthView>(`${base(t)}/months/${month}/reopen`, { reason }),
  pay: (t: string, month: string) => api.get<PayList>(`${base(t)}/months/${month}/pay`),
  payXlsx: (t: string, month: string) => `${base(t)}/months/${month}/pay.xlsx`,
  yearXlsx: (t: string, year: number) => `${base(t)}/years/${year}/sheet.xlsx`,
  notice: (t: string, month: string, dept: string) =>
    api.get<DepartmentNotice>(`${base(t)}/months/${month}/departments/${dept}/notice`),
  noticeXlsx: (t: string, month: string, dept: string) => `${base(t)}/months/${month}/departments/${dept}/notice.xlsx`,
  appeal: (t: string, recordId: string, reason: string) =>
    api.post<AppealView>(`${base(t)}/violations/${recordId}/appeal`, { reason }),
  appeals: (t: string, status?: string) => api.get<AppealView[]>(`${base(t)}/appeals`, { query: { status } }),
  decide: (t: string, id: string, body: { decision: string; note: string; newPoints?: number }) =>
    api.post<AppealView>(`${base(t)}/appeals/${id}/decision`, body),
  cases: (t: string, status?: string) => api.get<ReturnCaseView[]>(`${base(t)}/return-cases`, { query: { status } }),
  caseStep: (t: string, id: string, action: string, body: Record<string, unknown>) =>
    api.post<ReturnCaseView>(`${base(t)}/return-cases/${id}/${action}`, body),
};
