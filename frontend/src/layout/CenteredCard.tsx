import { theme } from 'antd';
import { BankOutlined } from '@ant-design/icons';
import type { ReactNode } from 'react';
import { useI18n } from '../i18n';
import LangSwitch from './LangSwitch';

/** The frame of the pages shown outside the app layout (login, forced password change). Plain elements styled
 * with the theme's tokens, not Card/Typography: those pull in tabs, menus and tooltips the login page never shows
 * (the login route's JavaScript stays under 250 KB gzip, tests/system/test_bundle.py). */
export default function CenteredCard({ title, children }: { title: string; children: ReactNode }) {
  const { t } = useI18n();
  const { token } = theme.useToken();
  return (
    <div
      style={{
        minHeight: '100vh',
        background: 'linear-gradient(180deg, #e6f4ff 0%, #f5f5f5 60%)',
        display: 'flex',
        flexDirection: 'column',
        alignItems: 'center',
        padding: '16px 16px 48px',
      }}
    >
      <div style={{ alignSelf: 'flex-end' }}>
        <LangSwitch />
      </div>
      <div style={{ textAlign: 'center', margin: '8vh 0 24px' }}>
        <BankOutlined style={{ fontSize: 40, color: '#1677ff' }} />
        <h1 style={{ margin: '8px 0 0', fontSize: token.fontSizeHeading3, fontWeight: 600, color: token.colorTextHeading }}>
          {t('app.title')}
        </h1>
      </div>
      <section
        style={{
          width: '100%',
          maxWidth: 400,
          background: token.colorBgContainer,
          border: `1px solid ${token.colorBorderSecondary}`,
          borderRadius: token.borderRadiusLG,
        }}
      >
        <h2
          style={{
            margin: 0,
            padding: '16px 24px',
            fontSize: token.fontSizeLG,
            fontWeight: 600,
            borderBottom: `1px solid ${token.colorBorderSecondary}`,
          }}
        >
          {title}
        </h2>
        <div style={{ padding: 24 }}>{children}</div>
      </section>
    </div>
  );
}
