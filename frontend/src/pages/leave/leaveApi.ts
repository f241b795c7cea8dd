// Calls of the leave API (/api/t/{tenant}/leave/...) through the generated client; the types are the server's
// (frontend/src/api/schema.d.ts), named here for the pages.
import { call, client } from '../../api';
import type { Schemas, WithDefaults } from '../../api';
import type { paths } from '../../api/schema';

export type Half = Schemas['LeaveIn']['startHalf'];
export type Problem = Schemas['Problem'];
export type Step = Schemas['Step'];
export type Quota = Schemas['Quota'];
export type CheckResult = Schemas['CheckResult'];
export type ExternalSubstitute = Schemas['ExternalSubstitute'];
export type LeaveIn = WithDefaults<Schemas['LeaveIn'], 'startHalf' | 'endHalf'>;
export type Outcome = Schemas['Outcome'];
export type LeaveView = Schemas['leave_schemas_LeaveView'];
export type LeavePage = Schemas['LeavePage'];
export type LeaveTypeOption = Schemas['LeaveTypeOption'];
export type LeaveMeta = Schemas['LeaveMeta'];
export type Colleague = Schemas['Colleague'];
export type ApproverRow = Schemas['ApproverRow'];
export type ListQuery = NonNullable<paths['/api/t/{tenant_id}/leave/requests']['get']['parameters']['query']>;

const base = (t: string) => `/api/t/${t}/leave`;
const tp = (t: string) => ({ tenant_id: t });
const rp = (t: string, id: string) => ({ path: { tenant_id: t, request_id: id } });
type Sig = AbortSignal | undefined;

export const leaveApi = {
  meta: (t: string, signal?: Sig) => call(client.GET('/api/t/{tenant_id}/leave/meta', { params: { path: tp(t) }, signal })),
  colleagues: (t: string, signal?: Sig) =>
    call(client.GET('/api/t/{tenant_id}/leave/colleagues', { params: { path: tp(t) }, signal })),
  check: (t: string, body: LeaveIn, signal?: Sig) =>
    call(client.POST('/api/t/{tenant_id}/leave/check', { params: { path: tp(t) }, body: body as Schemas['LeaveIn'], signal })),
  submit: (t: string, body: LeaveIn) =>
    call(client.POST('/api/t/{tenant_id}/leave/requests', { params: { path: tp(t) }, body: body as Schemas['LeaveIn'] })),
  list: (t: string, query: ListQuery, signal?: Sig) =>
    call(client.GET('/api/t/{tenant_id}/leave/requests', { params: { path: tp(t), query }, signal })),
  withdraw: (t: string, id: string) =>
    call(client.POST('/api/t/{tenant_id}/leave/requests/{request_id}/withdraw', { params: rp(t, id) })),
  cancel: (t: string, id: string) =>
    call(client.POST('/api/t/{tenant_id}/leave/requests/{request_id}/cancel', { params: rp(t, id) })),
  decide: (t: string, id: string, body: Schemas['DecisionIn']) =>
    call(client.POST('/api/t/{tenant_id}/leave/requests/{request_id}/decision', { params: rp(t, id), body })),
  close: (t: string, id: string, body: WithDefaults<Schemas['ClosureIn'], 'channel'>) =>
    call(client.POST('/api/t/{tenant_id}/leave/requests/{request_id}/closure', {
      params: rp(t, id), body: body as Schemas['ClosureIn'] })),
  answerSubstitute: (t: string, id: string, body: Schemas['SubstituteAnswerIn']) =>
    call(client.POST('/api/t/{tenant_id}/leave/requests/{request_id}/substitute/answer', { params: rp(t, id), body })),
  nameSubstitute: (t: string, id: string, body: Schemas['SubstituteIn']) =>
    call(client.POST('/api/t/{tenant_id}/leave/requests/{request_id}/substitute', { params: rp(t, id), body })),
  outcomes: (t: string) => call(client.POST('/api/t/{tenant_id}/leave/outcomes', { params: { path: tp(t) } })),
  approvers: (t: string, signal?: Sig) =>
    call(client.GET('/api/t/{tenant_id}/leave/approvers', { params: { path: tp(t) }, signal })),
  assign: (t: string, kind: string, userId: string) =>
    call(client.POST('/api/t/{tenant_id}/leave/approvers', { params: { path: tp(t) }, body: { kind, userId } as Schemas['ApproverIn'] })),
  unassign: (t: string, id: string) =>
    call(client.DELETE('/api/t/{tenant_id}/leave/approvers/{assignment_id}', {
      params: { path: { tenant_id: t, assignment_id: id } } })),
  // a file download: a link the browser follows, not a JSON call
  ledgerUrl: (t: string, q: { month?: string; status?: string; ledger?: string; lang: string }) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(q)) if (v) p.set(k, v);
    return `${base(t)}/ledger.xlsx?${p.toString()}`;
  },
};
