// Calls of the case ledger API (/api/t/{tenant}/cases/...) through the generated client; the types are the
// server's (frontend/src/api/schema.d.ts), named here for the pages.
import { api, call, client } from '../../api';
import type { Schemas, WithDefaults } from '../../api';

export type ServiceItem = Schemas['ServiceItemView'];
export type Notice = Schemas['NoticeView'];
export type CaseView = Schemas['CaseView'];
export type Board = Schemas['complaints_schemas_Board'];
export type ImportReport = Schemas['ImportReport'];
export type CaseIn = Schemas['CaseIn'];
export type PauseKind = Schemas['PauseIn']['kind'];

const base = (t: string) => `/api/t/${t}/cases`;
const tp = (t: string) => ({ tenant_id: t });
const cp = (t: string, id: string) => ({ path: { tenant_id: t, case_id: id } });
type Sig = AbortSignal | undefined;

// multipart uploads: the one kind of call the generated client cannot type (FormData), through `api`
function upload(path: string, file: File, goodOnly: boolean) {
  const form = new FormData();
  form.append('file', file);
  return api.post<ImportReport>(path, form, { query: { goodOnly: goodOnly || undefined } });
}

export const casesApi = {
  items: (t: string, signal?: Sig) => call(client.GET('/api/t/{tenant_id}/cases/items', { params: { path: tp(t) }, signal })),
  importItems: (t: string, file: File, goodOnly: boolean) => upload(`${base(t)}/items/import`, file, goodOnly),
  importEvents: (t: string, file: File, goodOnly: boolean) => upload(`${base(t)}/events/import`, file, goodOnly),
  log: (t: string, body: Schemas['CaseIn']) => call(client.POST('/api/t/{tenant_id}/cases', { params: { path: tp(t) }, body })),
  list: (t: string, signal?: Sig) => call(client.GET('/api/t/{tenant_id}/cases', { params: { path: tp(t) }, signal })),
  one: (t: string, id: string, signal?: Sig) => call(client.GET('/api/t/{tenant_id}/cases/{case_id}', { params: cp(t, id), signal })),
  board: (t: string, signal?: Sig) => call(client.GET('/api/t/{tenant_id}/cases/board', { params: { path: tp(t) }, signal })),
  cards: (t: string) => call(client.POST('/api/t/{tenant_id}/cases/cards', { params: { path: tp(t) } })),
  notice: (t: string, id: string, kind: string, materials: string[]) =>
    call(client.POST('/api/t/{tenant_id}/cases/{case_id}/notices', { params: cp(t, id), body: { kind, materials } as Schemas['NoticeIn'] })),
  pause: (t: string, id: string, body: WithDefaults<Schemas['PauseIn'], 'note'>) =>
    call(client.POST('/api/t/{tenant_id}/cases/{case_id}/pause', { params: cp(t, id), body: body as Schemas['PauseIn'] })),
  resume: (t: string, id: string) => call(client.POST('/api/t/{tenant_id}/cases/{case_id}/resume', { params: cp(t, id) })),
  complete: (t: string, id: string) => call(client.POST('/api/t/{tenant_id}/cases/{case_id}/complete', { params: cp(t, id) })),
  // a file download: a link the browser follows, not a JSON call
  statsUrl: (t: string, month: string) => `${base(t)}/stats.xlsx?month=${month}`,
};
