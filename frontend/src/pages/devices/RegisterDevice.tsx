// Register an attendance terminal (serial + name); its token is shown once. Used by the devices page and the
// terminals status page, so both register devices the same way.
import { useState } from 'react';
import { Form, Input, Modal, Typography } from 'antd';
import { call, client } from '../../api';
import { useI18n } from '../../i18n';
import { OneTimeSecret } from '../admin/shared';
import { EditModal } from '../org/OrgPage';

export function RegisterDevice({ tenantId, open, onClose, onRegistered }: {
  tenantId: string;
  open: boolean;
  onClose: () => void;
  onRegistered: () => void;
}) {
  const { t } = useI18n();
  const [token, setToken] = useState<string | null>(null);
  return (
    <>
      {open && (
        <EditModal<{ serialNumber: string; name: string }>
          title={t('devices.register')}
          testId="device-form"
          initial={{}}
          onCancel={onClose}
          onSave={async (v) => {
            const res = await call(client.POST('/api/t/{tenant_id}/devices', { params: { path: { tenant_id: tenantId } }, body: v }));
            onClose();
            setToken(res.token);
            onRegistered();
          }}
        >
          <Form.Item name="serialNumber" label={t('devices.serial')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
            <Input maxLength={64} data-testid="device-serial" />
          </Form.Item>
          <Form.Item name="name" label={t('devices.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
            <Input maxLength={100} data-testid="device-name" />
          </Form.Item>
          <Typography.Paragraph type="secondary" data-testid="device-default-network">
            {t('devices.defaultNetworkHelp')}
          </Typography.Paragraph>
        </EditModal>
      )}
      <Modal
        open={!!token}
        title={t('devices.tokenTitle')}
        closable={false}
        maskClosable={false}
        cancelButtonProps={{ style: { display: 'none' } }}
        okText={t('common.done')}
        onOk={() => setToken(null)}
      >
        {token && <OneTimeSecret value={token} testId="device-token" title={t('devices.tokenTitle')} hint={t('devices.tokenHint')} />}
      </Modal>
    </>
  );
}
