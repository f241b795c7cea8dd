// Calls of the assessment API (/api/t/{tenant}/assessment/...) through the generated client; the types are the
// server's (frontend/src/api/schema.d.ts, `make api-client`), named here for the pages.
import { call, client } from '../../api';
import type { Schemas, WithDefaults } from '../../api';
import type { paths } from '../../api/schema';

export type CatalogueItem = Schemas['CatalogueItem'];
export type Category = Schemas['Category'];
export type Catalogue = Schemas['Catalogue'];
export type PersonOption = Schemas['PersonOption'];
export type WindowOption = Schemas['WindowOption'];
export type RecordView = Schemas['RecordView'];
export type RecordPage = Schemas['RecordPage'];
export type CardLine = Schemas['CardLine'];
export type CategoryScore = Schemas['CategoryScore'];
export type ScorecardView = Schemas['ScorecardView'];
export type MonthView = Schemas['MonthView'];
export type PayRow = Schemas['PayRow'];
export type PayList = Schemas['PayList'];
export type DepartmentNotice = Schemas['DepartmentNotice'];
export type AppealView = Schemas['AppealView'];
/** The server stores a return case's triggers, history, notices and outcome as JSON and types them as free
 * objects (`{[key: string]: unknown}`); their shape as `returns.py` writes it. */
export type ReturnCaseView = Omit<Schemas['ReturnCaseView'], 'triggers' | 'history' | 'notices' | 'outcome'> & {
  triggers: { name: string; clause?: string; recordIds?: string[]; immediate?: boolean }[];
  history: { status: string; at: string; note: string }[];
  notices: { to: string; kind: string; text: string }[];
  outcome: { accountsDisabled?: string[]; abPairsFlagged?: string[]; windowVacated?: string | null } | null;
};
export type RecordIn = WithDefaults<Schemas['RecordIn'], 'quantity' | 'source'>;
export type CaseStepIn = WithDefaults<Schemas['CaseStepIn'], 'confirm' | 'note' | 'outside'>;
const rec = (r: RecordIn) => r as Schemas['RecordIn'];
export type UnitLine = Schemas['UnitLine'];
export type UnitCardView = Schemas['UnitCardView'];
export type CountRow = Schemas['CountRow'];
export type MonthSummary = Schemas['MonthSummary'];
export type AnnualRow = Schemas['AnnualRow'];
export type AnnualView = Schemas['AnnualView'];

/** Filters of the record lists (violations, bonuses). */
export type RecordQuery = NonNullable<paths['/api/t/{tenant_id}/assessment/violations']['get']['parameters']['query']>;

const base = (t: string) => `/api/t/${t}/assessment`;
const tp = (t: string) => ({ tenant_id: t });
type Sig = AbortSignal | undefined;

export const assessmentApi = {
  catalogue: (t: string, month?: string, signal?: Sig) =>
    call(client.GET('/api/t/{tenant_id}/assessment/catalogue', { params: { path: tp(t), query: { month } }, signal })),
  recordable: (t: string, signal?: Sig) =>
    call(client.GET('/api/t/{tenant_id}/assessment/recordable', { params: { path: tp(t) }, signal })),
  record: (t: string, body: RecordIn) =>
    call(client.POST('/api/t/{tenant_id}/assessment/violations', { params: { path: tp(t) }, body: rec(body) })),
  recordBonus: (t: string, body: RecordIn) =>
    call(client.POST('/api/t/{tenant_id}/assessment/bonuses', { params: { path: tp(t) }, body: rec(body) })),
  voidRecord: (t: string, id: string, reason: string) =>
    call(client.POST('/api/t/{tenant_id}/assessment/violations/{record_id}/void', {
      params: { path: { tenant_id: t, record_id: id } }, body: { reason } })),
  records: (t: string, query: RecordQuery, signal?: Sig) =>
    call(client.GET('/api/t/{tenant_id}/assessment/violations', { params: { path: tp(t), query }, signal })),
  bonuses: (t: string, query: RecordQuery, signal?: Sig) =>
    call(client.GET('/api/t/{tenant_id}/assessment/bonuses', { params: { path: tp(t), query }, signal })),
  voidBonus: (t: string, id: string, reason: string) =>
    call(client.POST('/api/t/{tenant_id}/assessment/bonuses/{record_id}/void', {
      params: { path: { tenant_id: t, record_id: id } }, body: { reason } })),
  amend: (t: string, type: 'violation' | 'bonus', id: string, reason: string, record: RecordIn) =>
    type === 'bonus'
      ? call(client.POST('/api/t/{tenant_id}/assessment/bonuses/{record_id}/amend', {
        params: { path: { tenant_id: t, record_id: id } }, body: { reason, record: rec(record) } }))
      : call(client.POST('/api/t/{tenant_id}/assessment/violations/{record_id}/amend', {
        params: { path: { tenant_id: t, record_id: id } }, body: { reason, record: rec(record) } })),
  summary: (t: string, month: string, signal?: Sig) =>
    call(client.GET('/api/t/{tenant_id}/assessment/months/{month}/summary', {
      params: { path: { tenant_id: t, month } }, signal })),
  year: (t: string, year: number, signal?: Sig) =>
    call(client.GET('/api/t/{tenant_id}/assessment/years/{year}', { params: { path: { tenant_id: t, year: String(year) } }, signal })),
  my: (t: string, month: string, signal?: Sig) =>
    call(client.GET('/api/t/{tenant_id}/assessment/my', { params: { path: tp(t), query: { month } }, signal })),
  staffCard: (t: string, staffId: string, month: string, signal?: Sig) =>
    call(client.GET('/api/t/{tenant_id}/assessment/staff/{staff_id}/card', {
      params: { path: { tenant_id: t, staff_id: staffId }, query: { month } }, signal })),
  month: (t: string, month: string, signal?: Sig) =>
    call(client.GET('/api/t/{tenant_id}/assessment/months/{month}', { params: { path: { tenant_id: t, month } }, signal })),
  close: (t: string, month: string) =>
    call(client.POST('/api/t/{tenant_id}/assessment/months/{month}/close', { params: { path: { tenant_id: t, month } } })),
  publish: (t: string, month: string) =>
    call(client.POST('/api/t/{tenant_id}/assessment/months/{month}/publish', { params: { path: { tenant_id: t, month } } })),
  reopen: (t: string, month: string, reason: string) =>
    call(client.POST('/api/t/{tenant_id}/assessment/months/{month}/reopen', {
      params: { path: { tenant_id: t, month } }, body: { reason } })),
  pay: (t: string, month: string, signal?: Sig) =>
    call(client.GET('/api/t/{tenant_id}/assessment/months/{month}/pay', { params: { path: { tenant_id: t, month } }, signal })),
  // file downloads: links the browser follows (an <a href>), not JSON calls
  payXlsx: (t: string, month: string) => `${base(t)}/months/${month}/pay.xlsx`,
  yearXlsx: (t: string, year: number) => `${base(t)}/years/${year}/sheet.xlsx`,
  notice: (t: string, month: string, dept: string, signal?: Sig) =>
    call(client.GET('/api/t/{tenant_id}/assessment/months/{month}/departments/{department_id}/notice', {
      params: { path: { tenant_id: t, month, department_id: dept } }, signal })),
  noticeXlsx: (t: string, month: string, dept: string) => `${base(t)}/months/${month}/departments/${dept}/notice.xlsx`,
  appeal: (t: string, recordId: string, reason: string) =>
    call(client.POST('/api/t/{tenant_id}/assessment/violations/{record_id}/appeal', {
      params: { path: { tenant_id: t, record_id: recordId } }, body: { reason } })),
  appeals: (t: string, status?: string, signal?: Sig) =>
    call(client.GET('/api/t/{tenant_id}/assessment/appeals', { params: { path: tp(t), query: { status } }, signal })),
  decide: (t: string, id: string, body: Schemas['AppealDecisionIn']) =>
    call(client.POST('/api/t/{tenant_id}/assessment/appeals/{appeal_id}/decision', {
      params: { path: { tenant_id: t, appeal_id: id } }, body })),
  cases: (t: string, status?: string, signal?: Sig) =>
    call(client.GET('/api/t/{tenant_id}/assessment/return-cases', { params: { path: tp(t), query: { status } }, signal }))
      .then((rows) => rows as ReturnCaseView[]),
  caseStep: (t: string, id: string, action: string, body: CaseStepIn) =>
    call(client.POST('/api/t/{tenant_id}/assessment/return-cases/{case_id}/{action}', {
      params: { path: { tenant_id: t, case_id: id, action } }, body: body as Schemas['CaseStepIn'] }))
      .then((row) => row as ReturnCaseView),
};
