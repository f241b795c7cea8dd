// 巡查 on the phone: start a patrol (or the fixed / closing check), mark the hall items, tap a person on post to
// record a finding with a photo, submit. The patrol's id is made when it starts and kept (also in localStorage), so
// a submit retried on a flaky network stores it once.
import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { keys } from '../../api/query';
import { Alert, App as AntApp, Button, Card, Empty, Form, Input, List, Modal, Radio, Segmented, Select, Space, Spin, Tag, Typography } from 'antd';
import FileUpload from '../../components/FileUpload';
import { isMessageKey, useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n';
import { useApiError } from '../admin/shared';
import { newClientId, supervisionApi } from './supervisionApi';
import type { ChecklistItem, FindingIn, PatrolForm, PatrolIn, PatrolKind, PatrolOut } from './supervisionApi';

const DRAFT_KEY = 'govhall.patrolDraft';

/** A patrol being walked (kept in localStorage until its submit succeeds): the body with every list present. */
type Draft = Omit<PatrolIn, 'kind' | 'findings' | 'results'> & {
  kind: PatrolKind;
  findings: (FindingIn & { evidence: string[] })[];
  results: NonNullable<PatrolIn['results']>;
  tenantId: string;
  names: Record<string, string>;
};

function itemName(item: ChecklistItem | undefined, lang: string): string {
  if (!item) return '';
  return lang === 'en' ? item.nameEn || item.name : item.name;
}

export default function PatrolTab({ tenantId }: { tenantId: string }) {
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const onError = useApiError();
  const formQuery = useQuery({
    queryKey: keys.tenant(tenantId, 'supervision', 'patrol-form'),
    queryFn: ({ signal }) => supervisionApi.form(tenantId, signal),
  });
  const form: PatrolForm | null = formQuery.data ?? null;
  const [skew, setSkew] = useState(0); // server clock minus the phone's, in ms
  const [mode, setMode] = useState<string>('on_site');
  const [draft, setDraft] = useState<Draft | null>(() => {
    try {
      const saved = JSON.parse(localStorage.getItem(DRAFT_KEY) ?? 'null') as Draft | null;
      return saved && saved.tenantId === tenantId ? saved : null;
    } catch {
      return null;
    }
  });
  const [person, setPerson] = useState<{ id: string; name: string; windowId: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<PatrolOut | null>(null);
  const [findingForm] = Form.useForm<{ itemKey: string; note?: string; evidence: string[] }>();
  const chosen = Form.useWatch('itemKey', findingForm);

  useEffect(() => {
    if (!form) return;
    setSkew(new Date(form.now).getTime() - Date.now());
    setMode((m) => (form.modes.includes(m) ? m : form.modes[0] ?? 'on_site'));
  }, [form]);
  const load = () => void formQuery.refetch();
  useEffect(() => {
    if (draft) localStorage.setItem(DRAFT_KEY, JSON.stringify(draft));
    else localStorage.removeItem(DRAFT_KEY);
  }, [draft]);

  if (!form) return <Spin />;
  const items = new Map(form.checklist.map((c) => [c.key, c]));
  const staffItems = form.checklist.filter((c) => c.appliesTo === 'staff');

  const start = (kind: PatrolKind, checkKey?: string) => {
    setDone(null);
    const keys =
      kind === 'fixed_check'
        ? form.fixedChecks.find((f) => f.key === checkKey)?.items ?? []
        : kind === 'closing_check'
          ? form.closingItems
          : form.checklist.filter((c) => c.appliesTo !== 'staff').map((c) => c.key);
    setDraft({
      tenantId, clientId: newClientId(), startedAt: new Date(Date.now() + skew).toISOString(), kind, checkKey, mode,
      results: Object.fromEntries(keys.map((k) => [k, 'ok' as const])), findings: [], names: {},
    });
  };

  const submit = async () => {
    if (!draft) return;
    setBusy(true);
    try {
      const { tenantId: _t, names: _n, ...body } = draft;
      const out = await supervisionApi.submit(tenantId, body);
      setDone(out);
      setDraft(null);
      const recorded = out.findings.filter((f) => f.violationId).length;
      void message.success(t('sv.submitted', { n: out.findings.length, v: recorded }));
      load();
    } catch (err) {
      onError(err); // the draft (and its id) stays: submitting again stores it once
    } finally {
      setBusy(false);
    }
  };

  const addFinding = async () => {
    if (!draft || !person) return;
    const v = await findingForm.validateFields();
    const f: Draft['findings'][number] = { itemKey: v.itemKey, staffId: person.id, windowId: person.windowId, note: v.note || undefined,
                           evidence: v.evidence ?? [] };
    setDraft({ ...draft, findings: [...draft.findings, f], names: { ...draft.names, [person.id]: person.name } });
    setPerson(null);
    findingForm.resetFields();
  };

  const chosenItem = chosen ? items.get(chosen) : undefined;

  if (!draft) {
    return (
      <Space direction="vertical" style={{ width: '100%' }} data-testid="patrol-home">
        <Card size="small" title={t('sv.today', { day: form.day })}>
          <Typography.Paragraph data-testid="patrol-progress" style={{ marginBottom: 8 }}>
            {t('sv.progress', { am: form.doneAm, ram: form.requiredAm, pm: form.donePm, rpm: form.requiredPm,
                                total: form.requiredTotal })}
          </Typography.Paragraph>
          <Space direction="vertical" style={{ width: '100%' }}>
            <Select value={mode} onChange={setMode} style={{ width: '100%' }} data-testid="patrol-mode"
              options={form.modes.map((m) => ({ value: m, label: isMessageKey(`sv.mode.${m}`) ? t(`sv.mode.${m}` as never) : m }))} />
            <Button type="primary" size="large" block onClick={() => start('patrol')} data-testid="patrol-start">
              {t('sv.start')}
            </Button>
            {form.fixedChecks.map((f) => (
              <Button key={f.key} size="large" block onClick={() => start('fixed_check', f.key)} data-testid={`patrol-fixed-${f.key}`}>
                {t('sv.startFixed', { name: lang === 'en' ? f.nameEn : f.name, at: f.at })}
              </Button>
            ))}
            {form.closingCheck && (
              <Button size="large" block onClick={() => start('closing_check')} data-testid="patrol-closing">
                {t('sv.startClosing')}
              </Button>
            )}
          </Space>
        </Card>
        {done && (
          <Alert type="success" showIcon data-testid="patrol-done"
            message={t('sv.submitted', { n: done.findings.length, v: done.findings.filter((f) => f.violationId).length })} />
        )}
      </Space>
    );
  }

  const at = new Date(draft.startedAt).toLocaleTimeString(lang === 'en' ? 'en-GB' : 'zh-CN', { hour: '2-digit', minute: '2-digit' });
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="patrol-running">
      <Alert type="info" showIcon message={t('sv.running', { kind: t(`sv.kind.${draft.kind}` as MessageKey), at })} description={t('sv.retryHint')} />
      {Object.keys(draft.results).length > 0 && (
        <Card size="small" title={t('sv.hall')}>
          <List size="small" dataSource={Object.keys(draft.results)} renderItem={(k) => (
            <List.Item extra={
              <Segmented size="small" value={draft.results[k]} data-testid={`patrol-result-${k}`}
                options={[{ value: 'ok', label: t('sv.ok') }, { value: 'fail', label: t('sv.fail') }]}
                onChange={(v) => setDraft({ ...draft, results: { ...draft.results, [k]: v as 'ok' | 'fail' } })} />
            }>
              {itemName(items.get(k), lang)}
            </List.Item>
          )} />
        </Card>
      )}
      {draft.kind === 'patrol' && (
        <Card size="small" title={t('sv.windows')}>
          <Space direction="vertical" style={{ width: '100%' }}>
            {form.windows.map((w) => (
              <div key={w.id} data-testid={`patrol-window-${w.number}`}>
                <Typography.Text strong>{w.number} {w.name}</Typography.Text>
                <div style={{ marginTop: 4 }}>
                  {w.staff.length === 0 ? <Typography.Text type="secondary">{t('sv.noStaff')}</Typography.Text> : (
                    <Space wrap>
                      {w.staff.map((p) => (
                        <Button key={p.id} size="large" data-testid={`patrol-person-${p.name}`}
                          onClick={() => setPerson({ id: p.id, name: p.name, windowId: w.id })}>
                          {p.name}
                          {p.onOuting && <Tag color="blue" style={{ marginLeft: 6 }}>{t('sv.onOuting')}</Tag>}
                          {draft.findings.some((f) => f.staffId === p.id) && <Tag color="red" style={{ marginLeft: 6 }}>!</Tag>}
                        </Button>
                      ))}
                    </Space>
                  )}
                </div>
              </div>
            ))}
          </Space>
        </Card>
      )}
      <Card size="small" title={t('sv.findings', { n: draft.findings.length })}>
        {draft.findings.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('sv.noFindings')} /> : (
          <List size="small" dataSource={draft.findings} data-testid="patrol-findings" renderItem={(f, i) => (
            <List.Item actions={[<Button key="x" type="link" danger onClick={() =>
              setDraft({ ...draft, findings: draft.findings.filter((_, j) => j !== i) })}>{t('common.delete')}</Button>]}>
              <Space direction="vertical" size={0}>
                <span>{f.staffId ? draft.names[f.staffId] : ''} · {itemName(items.get(f.itemKey), lang)}</span>
                {f.note && <Typography.Text type="secondary">{f.note}</Typography.Text>}
                {f.evidence.length > 0 && <Tag color="blue">{t('sv.photo')} × {f.evidence.length}</Tag>}
              </Space>
            </List.Item>
          )} />
        )}
      </Card>
      <Button type="primary" size="large" block loading={busy} onClick={submit} data-testid="patrol-submit">
        {t('sv.submit')}
      </Button>
      <Button size="large" block onClick={() => setDraft(null)} data-testid="patrol-discard">{t('sv.cancel')}</Button>
      <Modal open={person !== null} title={person ? t('sv.findingFor', { name: person.name }) : ''} onCancel={() => setPerson(null)}
        onOk={addFinding} okText={t('sv.add')} okButtonProps={{ 'data-testid': 'finding-add' } as never} destroyOnClose>
        <Form form={findingForm} layout="vertical" initialValues={{ evidence: [] }}>
          <Form.Item name="itemKey" label={t('sv.item')} rules={[{ required: true, message: t('common.required') }]}>
            <Radio.Group data-testid="finding-item">
              <Space direction="vertical">
                {staffItems.map((c) => (
                  <Radio key={c.key} value={c.key} data-testid={`finding-item-${c.key}`}>
                    {itemName(c, lang)} {c.photoRequired && <Tag color="orange">{t('sv.photoRequired')}</Tag>}
                  </Radio>
                ))}
              </Space>
            </Radio.Group>
          </Form.Item>
          <Form.Item name="note" label={t('sv.note')}>
            <Input.TextArea rows={2} maxLength={500} data-testid="finding-note" />
          </Form.Item>
          <Form.Item name="evidence" label={t('sv.photo')}
            rules={chosenItem?.photoRequired ? [{ required: true, type: 'array', min: 1, message: t('sv.photoRequired') }] : []}>
            <FileUpload tenantId={tenantId} purpose="assessment.patrol" imagesOnly capture maxCount={4} data-testid="finding-photo" />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
