import { Card, Empty } from 'antd';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n';

/** A titled page whose feature is not built yet. */
export default function Placeholder({ pageKey, titleKey }: { pageKey: string; titleKey: MessageKey }) {
  const { t } = useI18n();
  return (
    <Card title={<span data-testid="page-title">{t(titleKey)}</span>} data-testid={`page-${pageKey}`}>
      <Empty description={t('common.comingSoon')} />
    </Card>
  );
}
