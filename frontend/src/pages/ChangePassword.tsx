import { useState } from 'react';
import { Alert, App as AntApp, Button, Form, Input, Space } from 'antd';
import { useNavigate } from 'react-router-dom';
import { ApiError, authApi } from '../api';
import { useAuth } from '../auth';
import { useI18n } from '../i18n';
import CenteredCard from '../layout/CenteredCard';

interface PasswordForm {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

const MIN_LENGTH = 8;

export default function ChangePassword() {
  const { me, refresh, logout } = useAuth();
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<PasswordForm>();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const forced = !!me?.mustChangePassword;

  const onFinish = async (values: PasswordForm) => {
    setSubmitting(true);
    setError(null);
    try {
      await authApi.changePassword(values.currentPassword, values.newPassword);
      message.success(t('password.changed'));
      await refresh();
      navigate('/', { replace: true });
    } catch (err) {
      const apiErr = err instanceof ApiError ? err : new ApiError(0, null);
      const known = new Set(['currentPassword', 'newPassword']);
      const fieldErrors = apiErr.fields.filter((f) => known.has(f.field));
      if (fieldErrors.length) {
        form.setFields(
          fieldErrors.map((f) => ({
            name: f.field as keyof PasswordForm,
            errors: [apiErr.fieldMessage(f.field, lang) ?? ''],
          })),
        );
      }
      if (!fieldErrors.length || fieldErrors.length < apiErr.fields.length) setError(apiErr);
      setSubmitting(false);
    }
  };

  return (
    <CenteredCard title={t('password.title')}>
      {forced && <Alert type="warning" showIcon message={t('password.forced')} style={{ marginBottom: 16 }} />}
      {error && (
        <Alert data-testid="pw-error" type="error" showIcon message={error.message(lang)} style={{ marginBottom: 16 }} />
      )}
      <Form<PasswordForm> form={form} layout="vertical" requiredMark={false} onFinish={onFinish}>
        <Form.Item
          label={t('password.current')}
          name="currentPassword"
          rules={[{ required: true, message: t('password.currentRequired') }]}
        >
          <Input.Password data-testid="pw-current" autoComplete="current-password" />
        </Form.Item>
        <Form.Item
          label={t('password.new')}
          name="newPassword"
          extra={<span data-testid="pw-hint">{t('security.pwHint')}</span>}
          dependencies={['currentPassword']}
          rules={[
            { required: true, message: t('password.newRequired') },
            { min: MIN_LENGTH, message: t('password.tooShort') },
            ({ getFieldValue }) => ({
              validator: (_, value: string) =>
                value && value === getFieldValue('currentPassword')
                  ? Promise.reject(new Error(t('password.sameAsCurrent')))
                  : Promise.resolve(),
            }),
          ]}
        >
          <Input.Password data-testid="pw-new" autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          label={t('password.confirm')}
          name="confirm"
          dependencies={['newPassword']}
          rules={[
            { required: true, message: t('password.confirmRequired') },
            ({ getFieldValue }) => ({
              validator: (_, value: string) =>
                !value || value === getFieldValue('newPassword')
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('password.mismatch'))),
            }),
          ]}
        >
          <Input.Password data-testid="pw-confirm" autoComplete="new-password" />
        </Form.Item>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Button data-testid="pw-submit" type="primary" htmlType="submit" block loading={submitting}>
            {t('password.submit')}
          </Button>
          {forced ? (
            <Button type="link" block onClick={() => void logout()}>
              {t('header.logout')}
            </Button>
          ) : (
            <Button type="link" block onClick={() => navigate('/')}>
              {t('common.backHome')}
            </Button>
          )}
        </Space>
      </Form>
    </CenteredCard>
  );
}
