import { useState } from 'react';
import { Alert, Button, Form, Input } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { ApiError, authApi } from '../api';
import { useAuth } from '../auth';
import { useI18n } from '../i18n';
import CenteredCard from '../layout/CenteredCard';
import { FullPageSpin } from '../layout/guards';

interface LoginForm {
  username: string;
  password: string;
}

export default function Login() {
  const { me, loading, setMe } = useAuth();
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const location = useLocation();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const from = (location.state as { from?: string } | null)?.from;
  const target = from && from.startsWith('/') && !from.startsWith('/login') ? from : '/';

  if (loading) return <FullPageSpin />;
  if (me) return <Navigate to={me.mustChangePassword ? '/change-password' : target} replace />;

  const onFinish = async (values: LoginForm) => {
    setSubmitting(true);
    setError(null);
    try {
      const user = await authApi.login(values.username.trim(), values.password);
      setMe(user);
      navigate(user.mustChangePassword ? '/change-password' : target, { replace: true });
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, null));
      setSubmitting(false);
    }
  };

  return (
    <CenteredCard title={t('login.title')}>
      {error && (
        <Alert
          data-testid="login-error"
          type="error"
          showIcon
          message={error.message(lang)}
          style={{ marginBottom: 16 }}
        />
      )}
      <Form<LoginForm> layout="vertical" requiredMark={false} onFinish={onFinish} autoComplete="on">
        <Form.Item
          label={t('login.username')}
          name="username"
          rules={[{ required: true, whitespace: true, message: t('login.usernameRequired') }]}
        >
          <Input
            data-testid="login-username"
            prefix={<UserOutlined />}
            autoComplete="username"
            autoFocus
            size="large"
          />
        </Form.Item>
        <Form.Item
          label={t('login.password')}
          name="password"
          rules={[{ required: true, message: t('login.passwordRequired') }]}
        >
          <Input.Password
            data-testid="login-password"
            prefix={<LockOutlined />}
            autoComplete="current-password"
            size="large"
          />
        </Form.Item>
        <Form.Item style={{ marginBottom: 0 }}>
          <Button data-testid="login-submit" type="primary" htmlType="submit" block size="large" loading={submitting}>
            {t('login.submit')}
          </Button>
        </Form.Item>
      </Form>
    </CenteredCard>
  );
}
