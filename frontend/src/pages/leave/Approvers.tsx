// 审批人设置: the center's approver directory (稽查督办科, 分管领导, 主要领导, 中心) — which accounts decide those steps.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App as AntApp, Button, Form, Select, Space, Table } from 'antd';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n';
import { keys } from '../../api/query';
import { DeleteAction, useAll, useApiError } from '../admin/shared';
import { leaveApi } from './leaveApi';
import type { ApproverRow } from './leaveApi';

const KINDS = ['inspection_office', 'center_deputy_director', 'center_director', 'center'];

export default function Approvers({ tenantId }: { tenantId: string }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const onError = useApiError();
  const queryClient = useQueryClient();
  const key = keys.tenant(tenantId, 'leave', 'approvers');
  const rows = useQuery({ queryKey: key, queryFn: ({ signal }) => leaveApi.approvers(tenantId, signal) }).data ?? null;
  const load = () => void queryClient.invalidateQueries({ queryKey: key });
  const users = useAll('/api/t/{tenant_id}/users', tenantId);
  const [form] = Form.useForm<{ kind: string; userId: string }>();
  const add = async () => {
    const v = await form.validateFields();
    try {
      await leaveApi.assign(tenantId, v.kind, v.userId);
      message.success(t('leave.done'));
      form.resetFields();
      load();
    } catch (err) {
      onError(err);
    }
  };
  return (
    <div data-testid="leave-approvers">
      <Alert type="info" showIcon message={t('leave.approvers.hint')} style={{ marginBottom: 12 }} />
      <Form form={form} layout="inline" style={{ marginBottom: 12, rowGap: 8 }}>
        <Form.Item name="kind" rules={[{ required: true, message: t('leave.approvers.kind') }]}>
          <Select placeholder={t('leave.approvers.kind')} style={{ minWidth: 180 }} data-testid="approver-kind"
            options={KINDS.map((k) => ({ value: k, label: t(`leave.kind.${k}` as MessageKey) }))} />
        </Form.Item>
        <Form.Item name="userId" rules={[{ required: true, message: t('leave.approvers.user') }]}>
          <Select showSearch optionFilterProp="label" placeholder={t('leave.approvers.user')} style={{ minWidth: 200 }} data-testid="approver-user"
            options={users.items.map((u) => ({ value: u.id, label: `${u.displayName}（${u.username}）` }))} />
        </Form.Item>
        <Button type="primary" onClick={add} data-testid="approver-add">{t('leave.approvers.add')}</Button>
      </Form>
      <Table<ApproverRow>
        rowKey="id"
        size="small"
        loading={rows === null}
        dataSource={rows ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        columns={[
          { title: t('leave.approvers.kind'), render: (_, r) => t(`leave.kind.${r.kind}` as MessageKey),
            filters: KINDS.map((k) => ({ value: k, text: t(`leave.kind.${k}` as MessageKey) })), onFilter: (v, r) => r.kind === v },
          { title: t('leave.approvers.user'), render: (_, r) => `${r.displayName}（${r.username}）` },
          { title: '', width: 90, render: (_, r) => (
            <Space><DeleteAction remove={() => leaveApi.unassign(tenantId, r.id)} onDone={load} testId={`approver-remove-${r.id}`} /></Space>
          ) },
        ]}
      />
    </div>
  );
}
