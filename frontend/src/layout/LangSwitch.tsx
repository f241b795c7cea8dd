import { Segmented } from 'antd';
import { useI18n } from '../i18n';
import type { Lang } from '../i18n';

export default function LangSwitch({ size = 'middle' }: { size?: 'small' | 'middle' }) {
  const { lang, setLang, t } = useI18n();
  return (
    <Segmented<Lang>
      data-testid="lang-switch"
      size={size}
      value={lang}
      onChange={(value) => setLang(value)}
      options={[
        { label: t('lang.zh'), value: 'zh-CN' },
        { label: t('lang.en'), value: 'en' },
      ]}
    />
  );
}
