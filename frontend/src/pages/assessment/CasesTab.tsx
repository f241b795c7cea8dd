// 退回原单位: flagged -> reviewed -> approved (by the authority the rules name; a scan when it is outside the
// center) -> notified (printable notices to the home unit, discipline and personnel) -> returned (or dismissed).
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { keys } from '../../api/query';
import { App as AntApp, Button, Card, Checkbox, Empty, Form, Input, Modal, Popconfirm, Space, Steps, Typography } from 'antd';
import FileUpload, { fileUrl } from '../../components/FileUpload';
import { useI18n } from '../../i18n';
import { useApiError } from '../admin/shared';
import { assessmentApi } from './assessmentApi';
import type { ReturnCaseView } from './assessmentApi';
import { StatusTag } from './labels';

const FLOW = ['flagged', 'reviewed', 'approved', 'notified', 'returned'];

export default function CasesTab({ tenantId }: { tenantId: string }) {
  const { t } = useI18n();
  const label = (s: string) => t(`as.rc.status.${s}` as 'as.rc.status.flagged');
  const onError = useApiError();
  const { message } = AntApp.useApp();
  const cases = useQuery({
    queryKey: keys.tenant(tenantId, 'assessment', 'return-cases'),
    queryFn: ({ signal }) => assessmentApi.cases(tenantId, undefined, signal),
  });
  const items: ReturnCaseView[] | null = cases.data ?? null;
  const [dialog, setDialog] = useState<{ c: ReturnCaseView; action: 'dismiss' | 'approve' } | null>(null);
  const [form] = Form.useForm<{ note?: string; authority?: string; outside?: boolean; scan?: string[] }>();
  const catalogue = useQuery({
    queryKey: keys.tenant(tenantId, 'assessment', 'catalogue', null),
    queryFn: ({ signal }) => assessmentApi.catalogue(tenantId, undefined, signal),
  }).data;
  const rules = { authority: catalogue?.returnAuthority ?? '', outside: catalogue?.returnAuthorityOutside ?? false };
  const [printing, setPrinting] = useState<string | null>(null);
  const outside = Form.useWatch('outside', form);
  const load = () => void cases.refetch();
  const print = (id: string) => { setPrinting(id); setTimeout(() => window.print(), 50); };
  const step = async (c: ReturnCaseView, action: string, body: Record<string, unknown> = {}) => {
    try {
      await assessmentApi.caseStep(tenantId, c.id, action, body);
      message.success(t('as.rc.status.' + ({ review: 'reviewed', approve: 'approved', notify: 'notified', return: 'returned' }[action] ?? 'dismissed') as 'as.rc.status.flagged'));
      load();
      return true;
    } catch (err) {
      onError(err, form);
      return false;
    }
  };
  if (items && items.length === 0) return <Empty description={t('as.rc.none')} />;
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="return-cases">
      {(items ?? []).map((c) => (
        <Card key={c.id} size="small" data-testid={`case-${c.staffName}`}
          title={<Space>{c.staffName}{c.departmentName ? `（${c.departmentName}）` : ''}<StatusTag prefix="as.rc.status" value={c.status} /></Space>}
          extra={<Typography.Text type="secondary">{c.month}</Typography.Text>}>
          {c.status !== 'dismissed' && (
            <Steps size="small" current={FLOW.indexOf(c.status)} items={FLOW.map((s) => ({ title: label(s) }))} style={{ marginBottom: 12 }} />
          )}
          <Typography.Paragraph>
            {t('as.rc.triggers')}：{c.triggers.map((x) => `${x.name}${x.clause ? `（${x.clause}）` : ''}`).join('；')}
          </Typography.Paragraph>
          {c.authority && (
            <Typography.Paragraph type="secondary">
              {t('as.rc.authority')}：{c.authority}
              {c.scanFileId && <> · <a href={fileUrl(tenantId, c.scanFileId)} target="_blank" rel="noreferrer">{t('as.rc.scan')}</a></>}
            </Typography.Paragraph>
          )}
          {c.notices.length > 0 && (
            <Card size="small" type="inner" title={t('as.rc.notices')}
              extra={<Button size="small" onClick={() => print(c.id)} data-testid="case-print">{t('as.m.print')}</Button>}>
              <div className={printing === c.id ? 'as-print' : undefined}>
                {c.notices.map((n) => (
                  <div key={n.kind} className="as-case-notice">
                    <Typography.Title level={5}>{t('as.rc.noticeTo', { to: n.to })}</Typography.Title>
                    <Typography.Paragraph>{n.text}</Typography.Paragraph>
                  </div>
                ))}
              </div>
            </Card>
          )}
          {c.outcome && (
            <Typography.Paragraph type="secondary">
              {t('as.rc.outcome', { accounts: (c.outcome.accountsDisabled ?? []).join('、') || '—', pairs: (c.outcome.abPairsFlagged ?? []).length })}
            </Typography.Paragraph>
          )}
          <Space wrap>
            {c.status === 'flagged' && (
              <>
                <Button type="primary" onClick={() => step(c, 'review', { confirm: true })} data-testid="case-review">{t('as.rc.review')}</Button>
                <Button onClick={() => { form.resetFields(); setDialog({ c, action: 'dismiss' }); }}>{t('as.rc.dismiss')}</Button>
              </>
            )}
            {c.status === 'reviewed' && (
              <Button type="primary" onClick={() => {
                form.resetFields();
                form.setFieldsValue({ authority: rules.authority, outside: rules.outside });
                setDialog({ c, action: 'approve' });
              }} data-testid="case-approve">
                {t('as.rc.approve')}
              </Button>
            )}
            {c.status === 'approved' && <Button type="primary" onClick={() => step(c, 'notify')} data-testid="case-notify">{t('as.rc.notify')}</Button>}
            {c.status === 'notified' && (
              <Popconfirm title={t('as.rc.returnConfirm')} onConfirm={() => step(c, 'return')}>
                <Button danger data-testid="case-return">{t('as.rc.return')}</Button>
              </Popconfirm>
            )}
          </Space>
        </Card>
      ))}
      <Modal
        forceRender
        open={dialog !== null}
        title={dialog ? (dialog.action === 'approve' ? t('as.rc.approve') : t('as.rc.dismiss')) : ''}
        onCancel={() => setDialog(null)}
        onOk={async () => {
          const v = await form.validateFields();
          const ok = dialog!.action === 'approve'
            ? await step(dialog!.c, 'approve', { authority: v.authority, outside: !!v.outside, note: v.note ?? '', scanFileId: v.scan?.[0] })
            : await step(dialog!.c, 'review', { confirm: false, note: v.note ?? '' });
          if (ok) setDialog(null);
        }}
      >
        <Form form={form} layout="vertical">
          {dialog?.action === 'approve' && (
            <>
              <Form.Item name="authority" label={t('as.rc.authority')} rules={[{ required: true }]}>
                <Input maxLength={200} />
              </Form.Item>
              <Form.Item name="outside" valuePropName="checked">
                <Checkbox>{t('as.rc.outside')}</Checkbox>
              </Form.Item>
              {outside && (
                <Form.Item name="scan" label={t('as.rc.scan')} rules={[{ required: true, message: t('as.rc.scanRequired') }]}>
                  <FileUpload tenantId={tenantId} purpose="assessment.evidence" maxCount={1} data-testid="case-scan" />
                </Form.Item>
              )}
            </>
          )}
          <Form.Item name="note" label={t('as.rc.note')} rules={dialog?.action === 'dismiss' ? [{ required: true }] : []}>
            <Input.TextArea rows={3} maxLength={1000} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
