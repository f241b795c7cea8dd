import { Button, Result } from 'antd';
import { useNavigate } from 'react-router-dom';
import { useI18n } from '../i18n';

export default function NotFound() {
  const { t } = useI18n();
  const navigate = useNavigate();
  return (
    <div data-testid="page-404">
      <Result
        status="404"
        title={t('error.404.title')}
        subTitle={t('error.404.subtitle')}
        extra={<Button type="primary" onClick={() => navigate('/')}>{t('common.backHome')}</Button>}
      />
    </div>
  );
}
