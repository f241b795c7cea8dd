import { Card, Typography } from 'antd';
import { BankOutlined } from '@ant-design/icons';
import type { ReactNode } from 'react';
import { useI18n } from '../i18n';
import LangSwitch from './LangSwitch';

/** The frame of the pages shown outside the app layout (login, forced password change). */
export default function CenteredCard({ title, children }: { title: string; children: ReactNode }) {
  const { t } = useI18n();
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
        <Typography.Title level={3} style={{ margin: '8px 0 0' }}>
          {t('app.title')}
        </Typography.Title>
      </div>
      <Card title={title} style={{ width: '100%', maxWidth: 400 }}>
        {children}
      </Card>
    </div>
  );
}
