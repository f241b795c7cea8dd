import { useState } from 'react';
import { Button, Drawer, Dropdown, Grid, Layout, Space, Tag, Typography, theme } from 'antd';
import { BankOutlined, KeyOutlined, LogoutOutlined, MenuOutlined, UserOutlined } from '@ant-design/icons';
import { Outlet, useNavigate } from 'react-router-dom';
import { useAuth } from '../auth';
import { levelLabel, useI18n } from '../i18n';
import { useTenant } from '../tenant';
import LangSwitch from './LangSwitch';
import NavMenu from './NavMenu';

const { Header, Sider, Content } = Layout;

function Brand({ dark }: { dark?: boolean }) {
  const { t } = useI18n();
  return (
    <div
      style={{
        height: 56,
        display: 'flex',
        alignItems: 'center',
        gap: 8,
        padding: '0 20px',
        fontWeight: 600,
        fontSize: 16,
        color: dark ? '#fff' : undefined,
        whiteSpace: 'nowrap',
        overflow: 'hidden',
      }}
    >
      <BankOutlined style={{ fontSize: 20, color: '#1677ff' }} />
      {t('app.shortTitle')}
    </div>
  );
}

export default function AppLayout() {
  const { me, logout } = useAuth();
  const { t } = useI18n();
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  const isMobile = screens.md === false;
  const [drawerOpen, setDrawerOpen] = useState(false);
  const { token } = theme.useToken();
  const tenant = useTenant();

  if (!me) return null;

  const userMenu = {
    items: [{ key: 'password', icon: <KeyOutlined />, label: t('header.changePassword') }],
    onClick: ({ key }: { key: string }) => {
      if (key === 'password') navigate('/change-password');
    },
  };

  return (
    <Layout style={{ minHeight: '100vh' }}>
      {!isMobile && (
        <Sider width={240} theme="dark" style={{ position: 'sticky', top: 0, height: '100vh', overflow: 'auto' }}>
          <Brand dark />
          <div data-testid="nav-menu">
            <NavMenu dark />
          </div>
        </Sider>
      )}
      <Layout>
        <Header
          style={{
            background: token.colorBgContainer,
            borderBottom: `1px solid ${token.colorBorderSecondary}`,
            padding: isMobile ? '0 8px' : '0 24px',
            display: 'flex',
            alignItems: 'center',
            gap: isMobile ? 8 : 16,
            position: 'sticky',
            top: 0,
            zIndex: 10,
            height: 56,
            lineHeight: '56px',
          }}
        >
          {isMobile && (
            <Button
              data-testid="menu-toggle"
              type="text"
              icon={<MenuOutlined />}
              aria-label={t('common.menu')}
              onClick={() => setDrawerOpen(true)}
            />
          )}
          <div style={{ flex: 1, minWidth: 0, display: 'flex', alignItems: 'center', gap: 8 }}>
            <Typography.Text strong ellipsis data-testid="tenant-name" style={{ fontSize: isMobile ? 14 : 16 }}>
              {tenant.name || me.tenant.name}
            </Typography.Text>
            {!isMobile && tenant.level && <Tag color="blue">{levelLabel(t, tenant.level)}</Tag>}
          </div>
          <LangSwitch size={isMobile ? 'small' : 'middle'} />
          {!isMobile && (
            <Dropdown menu={userMenu} trigger={['click']}>
              <Button type="text" icon={<UserOutlined />} data-testid="user-name">
                {me.displayName}
              </Button>
            </Dropdown>
          )}
          <Button
            data-testid="logout"
            type="text"
            icon={<LogoutOutlined />}
            aria-label={t('header.logout')}
            title={t('header.logout')}
            onClick={() => void logout()}
          >
            {isMobile ? null : t('header.logout')}
          </Button>
        </Header>
        <Content style={{ padding: isMobile ? 12 : 24 }}>
          <Outlet />
        </Content>
      </Layout>
      {isMobile && (
        <Drawer
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          placement="left"
          width={260}
          closable={false}
          styles={{ body: { padding: 0 } }}
          rootClassName="nav-drawer"
        >
          <div data-testid="nav-drawer">
            <Brand />
            <Space direction="vertical" size={0} style={{ padding: '0 20px 12px' }}>
              <Typography.Text strong data-testid="user-name">
                {me.displayName}
              </Typography.Text>
              <Typography.Link onClick={() => { setDrawerOpen(false); navigate('/change-password'); }}>
                {t('header.changePassword')}
              </Typography.Link>
            </Space>
            <NavMenu onNavigate={() => setDrawerOpen(false)} />
          </div>
        </Drawer>
      )}
    </Layout>
  );
}
