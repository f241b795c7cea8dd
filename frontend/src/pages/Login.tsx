// The login page is the first download of every visit: a plain form with antd's Input and Button (antd's Form with
// its validator stays in the pages' chunks), so the route's JavaScript stays under 250 KB gzip (tests/system/test_bundle.py).
import { useEffect, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { Alert, Button, Input, theme } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { ApiError, authApi } from '../api';
import { useAuth } from '../auth';
import { useI18n } from '../i18n';
import CenteredCard from '../layout/CenteredCard';
import { FullPageSpin } from '../layout/guards';
import { preloadAfterLogin } from '../preload';

/** A labelled field with its error below, laid out like antd's vertical Form.Item. */
function Field({ id, label, error, children }: { id: string; label: string; error?: string; children: ReactNode }) {
  const { token } = theme.useToken();
  return (
    <div style={{ marginBottom: 24 }}>
      <label htmlFor={id} style={{ display: 'block', paddingBottom: 8 }}>
        {label}
      </label>
      {children}
      {error && (
        <div role="alert" style={{ color: token.colorError, marginTop: 4 }}>
          {error}
        </div>
      )}
    </div>
  );
}

export default function Login() {
  const { me, loading, setMe } = useAuth();
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const location = useLocation();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [missing, setMissing] = useState<{ username?: boolean; password?: boolean }>({});
  const from = (location.state as { from?: string } | null)?.from;
  const target = from && from.startsWith('/') && !from.startsWith('/login') ? from : '/';

  useEffect(() => {
    // once the form is on screen, fetch what the first page after login needs (not part of the login download)
    const timer = window.setTimeout(preloadAfterLogin, 200);
    return () => window.clearTimeout(timer);
  }, []);

  if (loading) return <FullPageSpin />;
  if (me) return <Navigate to={me.mustChangePassword ? '/change-password' : target} replace />;

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const lack = { username: !username.trim(), password: !password };
    setMissing(lack);
    if (lack.username || lack.password) return;
    setSubmitting(true);
    setError(null);
    try {
      const user = await authApi.login(username.trim(), password);
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
      <form onSubmit={onSubmit} autoComplete="on" noValidate>
        <Field id="login-username" label={t('login.username')} error={missing.username ? t('login.usernameRequired') : undefined}>
          <Input
            id="login-username"
            data-testid="login-username"
            prefix={<UserOutlined />}
            autoComplete="username"
            autoFocus
            size="large"
            value={username}
            status={missing.username ? 'error' : undefined}
            onChange={(e) => {
              setUsername(e.target.value);
              if (missing.username) setMissing({ ...missing, username: !e.target.value.trim() });
            }}
          />
        </Field>
        <Field id="login-password" label={t('login.password')} error={missing.password ? t('login.passwordRequired') : undefined}>
          <Input.Password
            id="login-password"
            data-testid="login-password"
            prefix={<LockOutlined />}
            autoComplete="current-password"
            size="large"
            value={password}
            status={missing.password ? 'error' : undefined}
            onChange={(e) => {
              setPassword(e.target.value);
              if (missing.password) setMissing({ ...missing, password: !e.target.value });
            }}
          />
        </Field>
        <Button data-testid="login-submit" type="primary" htmlType="submit" block size="large" loading={submitting}>
          {t('login.submit')}
        </Button>
      </form>
    </CenteredCard>
  );
}
