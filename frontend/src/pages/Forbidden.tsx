import { Button, Result } from 'antd';
import { useNavigate } from 'react-router-dom';
import { useI18n } from '../i18n';

export default function Forbidden() {
  const { t } = useI18n();
  const navigate = useNavigate();
  return (
    <div data-testid="page-403">
      <Result
        status="403"
        title={t('error.403.title')}
        subTitle={t('error.403.subtitle')}
        extra={<Button type="primary" onClick={() => navigate('/')}>{t('common.backHome')}</Button>}
      />
    </div>
  );
}
