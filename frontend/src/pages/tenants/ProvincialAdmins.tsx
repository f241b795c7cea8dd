// A province's provincial admins (platform admin only): appoint a new or existing account of the province, revoke.
// The server writes the authority into every tenant of the province and announces it to every worker.
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Button, Form, Input, Modal, Popconfirm, Radio, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { call, client } from '../../api';
import type { Schemas } from '../../api';
import { useI18n } from '../../i18n';
import { OneTimeSecret, useApiError } from '../admin/shared';
import type { TenantNode } from './TenantsPage';

type ProvincialAdmin = Schemas['ProvincialAdminOut'];

interface AppointValues {
  mode: 'new' | 'existing';
  username: string;
  displayName?: string;
}

export function ProvincialAdmins({ province, onClose }: { province: TenantNode; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const onError = useApiError();
  const [form] = Form.useForm<AppointValues>();
  const mode = Form.useWatch('mode', form) ?? 'new';
  const [saving, setSaving] = useState(false);
  const [otp, setOtp] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const key = ['platform', 'provinces', province.id, 'admins'];
  const params = { path: { province_id: province.id } };
  const answer = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => call(client.GET('/api/platform/provinces/{province_id}/admins', { params, signal })),
  });
  const admins: ProvincialAdmin[] = answer.data ?? [];
  const loading = answer.isFetching;
  const load = () => queryClient.invalidateQueries({ queryKey: key });

  const appoint = async () => {
    let v: AppointValues;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    try {
      const res = await call(client.POST('/api/platform/provinces/{province_id}/admins', {
        params,
        body: { username: v.username.trim(), displayName: v.mode === 'new' ? (v.displayName ?? '').trim() : null },
      }));
      message.success(t('provincial.appointed', { name: res.admin.displayName, n: res.tenants }));
      setOtp(res.oneTimePassword ?? null);
      form.resetFields();
      void load();
    } catch (err) {
      onError(err, form);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open
      width={680}
      title={t('provincial.title', { name: province.name })}
      onCancel={onClose}
      footer={<Button onClick={onClose}>{t('common.done')}</Button>}
      destroyOnClose
    >
      <Typography.Paragraph type="secondary">{t('provincial.help')}</Typography.Paragraph>
      <Table<ProvincialAdmin>
        rowKey="userId"
        size="small"
        loading={loading}
        dataSource={admins}
        pagination={false}
        data-testid="provincial-table"
        locale={{ emptyText: t('provincial.none') }}
        columns={[
          { title: t('users.username'), dataIndex: 'username', render: (u: string) => <code>{u}</code> },
          { title: t('users.displayName'), dataIndex: 'displayName' },
          {
            title: t('provincial.appointedAt'),
            dataIndex: 'appointedAt',
            render: (v: string, row) => (
              <Space size={4}>
                {dayjs(v).format('YYYY-MM-DD HH:mm')}
                {!row.isActive && <Tag color="red">{t('provincial.disabled')}</Tag>}
              </Space>
            ),
          },
          {
            title: t('common.actions'),
            key: 'a',
            width: 90,
            render: (_: unknown, row) => (
              <Popconfirm
                title={t('provincial.confirmRevoke', { name: row.displayName })}
                onConfirm={async () => {
                  try {
                    const answer = await call(client.DELETE('/api/platform/provinces/{province_id}/admins/{user_id}', {
                      params: { path: { province_id: province.id, user_id: row.userId } } }));
                    if (answer && answer.confirmed === false) {
                      message.warning(t('roles.revokeUnconfirmed', { n: answer.unconfirmedWorkers ?? '?' }), 8);
                    } else {
                      message.success(t('provincial.revoked'));
                    }
                    void load();
                  } catch (err) {
                    onError(err);
                  }
                }}
                okButtonProps={{ 'data-testid': 'provincial-revoke-confirm' } as Record<string, string>}
              >
                <Button type="link" size="small" danger data-testid={`provincial-revoke-${row.username}`}>
                  {t('provincial.revoke')}
                </Button>
              </Popconfirm>
            ),
          },
        ]}
      />
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('provincial.appoint')}
      </Typography.Title>
      <Form<AppointValues> form={form} layout="vertical" requiredMark={false} initialValues={{ mode: 'new' }} data-testid="provincial-form">
        <Form.Item name="mode">
          <Radio.Group optionType="button" buttonStyle="solid">
            <Radio.Button value="new" data-testid="provincial-mode-new">
              {t('provincial.modeNew')}
            </Radio.Button>
            <Radio.Button value="existing" data-testid="provincial-mode-existing">
              {t('provincial.modeExisting')}
            </Radio.Button>
          </Radio.Group>
        </Form.Item>
        <Form.Item
          name="username"
          label={t('users.username')}
          extra={mode === 'new' ? t('onboard.usernameHelp') : t('provincial.existingHelp')}
          rules={[
            { required: true, message: t('common.required') },
            { pattern: /^[a-z0-9][a-z0-9_.-]{2,63}$/, message: t('onboard.usernameHelp') },
          ]}
        >
          <Input maxLength={64} autoComplete="off" data-testid="provincial-username" />
        </Form.Item>
        {mode === 'new' && (
          <Form.Item name="displayName" label={t('users.displayName')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
            <Input maxLength={100} data-testid="provincial-display-name" />
          </Form.Item>
        )}
        <Button type="primary" loading={saving} onClick={() => void appoint()} data-testid="provincial-appoint-submit">
          {t('provincial.appoint')}
        </Button>
      </Form>
      {otp && (
        <div style={{ marginTop: 16 }}>
          <OneTimeSecret value={otp} testId="provincial-otp" title={t('onboard.otpTitle')} hint={t('onboard.otpHint')} />
        </div>
      )}
    </Modal>
  );
}
