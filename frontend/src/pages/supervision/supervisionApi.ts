// Calls of the supervision API (/api/t/{tenant}/supervision/...) through the generated client; the types are the
// server's (frontend/src/api/schema.d.ts), named here for the pages.
import { call, client } from '../../api';
import type { Schemas, WithDefaults } from '../../api';

export type ChecklistItem = Schemas['ChecklistItem'];
export type FixedCheck = Schemas['FixedCheck'];
export type PostWindow = Schemas['PostWindow'];
export type PatrolForm = Schemas['PatrolForm'];
export type FindingIn = Schemas['FindingIn'];
export type PatrolKind = Schemas['PatrolIn']['kind'];
export type PatrolIn = WithDefaults<Schemas['PatrolIn'], 'kind' | 'mode'>;
export type Finding = Schemas['Finding'];
export type PatrolOut = Schemas['PatrolOut'];
export type ComplianceDay = Schemas['ComplianceDay'];
export type RotaEntry = Schemas['RotaEntry'];
export type Rota = Schemas['Rota'];
export type MyDuty = Schemas['MyDuty'];
export type Outing = Schemas['Outing'];
export type OffPostTimer = Schemas['OffPostTimerOut'];
export type LogEvent = Schemas['LogEvent'];
export type DutyLog = Schemas['DutyLog'];
export type MeetingOut = Schemas['MeetingOut'];

const tp = (t: string) => ({ tenant_id: t });
type Sig = AbortSignal | undefined;

export const supervisionApi = {
  form: (t: string, signal?: Sig) =>
    call(client.GET('/api/t/{tenant_id}/supervision/patrol-form', { params: { path: tp(t) }, signal })),
  submit: (t: string, body: PatrolIn) =>
    call(client.POST('/api/t/{tenant_id}/supervision/patrols', { params: { path: tp(t) }, body: body as Schemas['PatrolIn'] })),
  history: (t: string, start: string, end: string, signal?: Sig) =>
    call(client.GET('/api/t/{tenant_id}/supervision/patrols', { params: { path: tp(t), query: { start, end } }, signal })),
  compliance: (t: string, start: string, end: string, signal?: Sig) =>
    call(client.GET('/api/t/{tenant_id}/supervision/compliance', { params: { path: tp(t), query: { start, end } }, signal })),
  rota: (t: string, start: string, end: string, signal?: Sig) =>
    call(client.GET('/api/t/{tenant_id}/supervision/rota', { params: { path: tp(t), query: { start, end } }, signal })),
  saveRota: (t: string, body: { start: string; end: string; entries: WithDefaults<Schemas['RotaEntryIn'], 'slot'>[] }) =>
    call(client.PUT('/api/t/{tenant_id}/supervision/rota', { params: { path: tp(t) }, body: body as Schemas['RotaIn'] })),
  myDuty: (t: string, signal?: Sig) =>
    call(client.GET('/api/t/{tenant_id}/supervision/my-duty', { params: { path: tp(t) }, signal })),
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

export const outingApi = {
  list: (t: string, signal?: Sig) =>
    call(client.GET('/api/t/{tenant_id}/supervision/outings', { params: { path: tp(t) }, signal })),
  report: (t: string, body: Schemas['OutingIn']) =>
    call(client.POST('/api/t/{tenant_id}/supervision/outings', { params: { path: tp(t) }, body })),
  decide: (t: string, id: string, approve: boolean) =>
    call(client.POST('/api/t/{tenant_id}/supervision/outings/{outing_id}/decision', {
      params: { path: { tenant_id: t, outing_id: id } }, body: { approve } })),
  back: (t: string, id: string) =>
    call(client.POST('/api/t/{tenant_id}/supervision/outings/{outing_id}/return', {
      params: { path: { tenant_id: t, outing_id: id } } })),
  timers: (t: string, signal?: Sig) =>
    call(client.GET('/api/t/{tenant_id}/supervision/off-post', { params: { path: tp(t) }, signal })),
  stop: (t: string, id: string) =>
    call(client.POST('/api/t/{tenant_id}/supervision/off-post/{timer_id}/stop', {
      params: { path: { tenant_id: t, timer_id: id } } })),
};

export const dutyLogApi = {
  read: (t: string, start: string, end: string, signal?: Sig) =>
    call(client.GET('/api/t/{tenant_id}/supervision/duty-log', { params: { path: tp(t), query: { start, end } }, signal })),
  write: (t: string, body: Schemas['DutyLogIn']) =>
    call(client.POST('/api/t/{tenant_id}/supervision/duty-log', { params: { path: tp(t) }, body })),
};

export const meetingApi = {
  get: (t: string, month: string, signal?: Sig) =>
    call(client.GET('/api/t/{tenant_id}/supervision/meeting', { params: { path: tp(t), query: { month } }, signal })),
  open: (t: string, month: string) =>
    call(client.POST('/api/t/{tenant_id}/supervision/meeting', { params: { path: tp(t) }, body: { month } })),
  signIn: (t: string, id: string, code: string) =>
    call(client.POST('/api/t/{tenant_id}/supervision/meeting/{meeting_id}/sign-in', {
      params: { path: { tenant_id: t, meeting_id: id } }, body: { code } })),
  mark: (t: string, id: string, staffId: string, status: string) =>
    call(client.POST('/api/t/{tenant_id}/supervision/meeting/{meeting_id}/mark', {
      params: { path: { tenant_id: t, meeting_id: id } }, body: { staffId, status } as Schemas['MarkIn'] })),
  close: (t: string, id: string) =>
    call(client.POST('/api/t/{tenant_id}/supervision/meeting/{meeting_id}/close', {
      params: { path: { tenant_id: t, meeting_id: id } } })),
};
