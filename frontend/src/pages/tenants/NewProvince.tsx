// 新建省级机构: a platform admin creates a province (POST /api/platform/provinces), then appoints its admins.
import { useState } from 'react';
import { App as AntApp, Form, Input, Modal } from 'antd';
import type { ButtonProps } from 'antd';
import { call, client } from '../../api';
import { useI18n } from '../../i18n';
import { useApiError } from '../admin/shared';
import type { TenantNode } from './TenantsPage';

interface Values {
  name: string;
  divisionCode: string;
}

export function NewProvince({ onClose }: { onClose: (created: TenantNode | null) => void }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const onError = useApiError();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    try {
      const created = await call(client.POST('/api/platform/provinces', {
        body: { name: v.name.trim(), divisionCode: v.divisionCode.trim() } }));
      void message.success(t('province.created', { name: created.name }));
      onClose(created);
    } catch (err) {
      onError(err, form);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={t('province.new')}
      onCancel={() => onClose(null)}
      onOk={() => void submit()}
      okButtonProps={{ loading: busy, 'data-testid': 'province-submit' } as ButtonProps}
      destroyOnClose
    >
      <Form<Values> form={form} layout="vertical" requiredMark={false} data-testid="province-form">
        <Form.Item name="name" label={t('province.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
          <Input data-testid="province-name" maxLength={200} placeholder="湖南省政务服务中心" />
        </Form.Item>
        <Form.Item
          name="divisionCode"
          label={t('province.code')}
          extra={t('province.codeHelp')}
          rules={[
            { required: true, message: t('common.required') },
            { pattern: /^\d{2}0000$/, message: t('province.codeInvalid') },
          ]}
        >
          <Input data-testid="province-code" maxLength={6} placeholder="430000" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
