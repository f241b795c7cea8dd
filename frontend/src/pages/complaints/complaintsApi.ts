// Calls of the complaints API (/api/t/{tenant}/complaints/...) through the generated client; the types are the
// server's (frontend/src/api/schema.d.ts). No type here has the complainant's name or contact except
// `ComplaintIdentity`, which only the intake office can fetch.
import { call, client } from '../../api';
import type { Schemas, WithDefaults } from '../../api';

export type ComplaintClass = Schemas['ComplaintClass'];
export type ComplaintMeta = Schemas['ComplaintMeta'];
export type ComplaintEvent = Schemas['ComplaintEventView'];
export type Complaint = Schemas['ComplaintView'];
export type SummaryRow = Schemas['SummaryRow'];
export type Summary = Schemas['ComplaintSummary'];
export type ComplaintIn = WithDefaults<Schemas['ComplaintIn'],
  'anonymous' | 'complainantContact' | 'demand' | 'departments' | 'level' | 'problem'>;
export type StepIn = WithDefaults<Schemas['StepIn'], 'note'>;

const base = (t: string) => `/api/t/${t}/complaints`;
const tp = (t: string) => ({ tenant_id: t });
const cp = (t: string, id: string) => ({ path: { tenant_id: t, complaint_id: id } });
type Sig = AbortSignal | undefined;

export const complaintsApi = {
  meta: (t: string, signal?: Sig) => call(client.GET('/api/t/{tenant_id}/complaints/meta', { params: { path: tp(t) }, signal })),
  list: (t: string, month?: string, status?: string, signal?: Sig) =>
    call(client.GET('/api/t/{tenant_id}/complaints', { params: { path: tp(t), query: { month, status } }, signal })),
  one: (t: string, id: string, signal?: Sig) =>
    call(client.GET('/api/t/{tenant_id}/complaints/{complaint_id}', { params: cp(t, id), signal })),
  receive: (t: string, body: ComplaintIn) =>
    call(client.POST('/api/t/{tenant_id}/complaints', { params: { path: tp(t) }, body: body as Schemas['ComplaintIn'] })),
  review: (t: string, id: string, note: string) =>
    call(client.POST('/api/t/{tenant_id}/complaints/{complaint_id}/review', { params: cp(t, id), body: { note } })),
  step: (t: string, id: string, body: StepIn) =>
    call(client.POST('/api/t/{tenant_id}/complaints/{complaint_id}/steps', { params: cp(t, id), body: body as Schemas['StepIn'] })),
  identity: (t: string, id: string, signal?: Sig) =>
    call(client.GET('/api/t/{tenant_id}/complaints/{complaint_id}/identity', { params: cp(t, id), signal })),
  summary: (t: string, month: string, signal?: Sig) =>
    call(client.GET('/api/t/{tenant_id}/complaints/summary', { params: { path: tp(t), query: { month } }, signal })),
  // a file download: a link the browser follows, not a JSON call
  summaryXlsx: (t: string, month: string) => `${base(t)}/summary.xlsx?month=${month}`,
};
