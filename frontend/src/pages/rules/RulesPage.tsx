// 规则配置: the policy packs of a tenant (a provincial admin may pick the province or any center below it),
// each pack's settings form rendered from its JSON Schema, with inheritance, locks, versions and history.
import { useMemo } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Badge, Card, Col, Empty, List, Row, Space, Tag, Typography } from 'antd';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { ApiError, pickText } from '../../api';
import { keys } from '../../api/query';
import { tenantHref, useTenant, useTenantInfo, useTenantLevel } from '../../tenant';
import { TenantPicker } from '../../components/TenantPicker';
import { useI18n } from '../../i18n';
import { ScopeBanner } from '../admin/shared';
import PackEditor from './PackEditor';
import { rulesApi } from './rulesApi';

export default function RulesPage() {
  const { t, lang } = useI18n();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  // the tenant is the one in the URL (/t/{tenant}/rules); the picker below just navigates
  const tenantId = useTenant().id;
  const top = useTenantLevel(null).data?.tenants ?? [];
  const manyTenants = top.length > 1 || (top[0]?.descendantCount ?? 0) > 0;
  const hasBelow = (useTenantInfo(tenantId).data?.tenants[0]?.childCount ?? 0) > 0;
  const selected = params.get('pack');
  const focus = params.get('field'); // a link to one setting, e.g. from the missing-calendar warning

  const packsQuery = useQuery({
    queryKey: keys.tenant(tenantId, 'packs'),
    queryFn: () => rulesApi.packs(tenantId),
    enabled: !!tenantId,
    meta: { silent: true },
  });
  const packs = packsQuery.isPending ? null : packsQuery.data ?? [];
  const error = packsQuery.error ? (packsQuery.error instanceof ApiError ? packsQuery.error.message(lang) : t('error.unknown')) : null;
  const reloadPacks = () => void queryClient.invalidateQueries({ queryKey: keys.tenant(tenantId, 'packs') });

  const current = useMemo(
    () => packs?.find((p) => p.name === selected) ?? packs?.find((p) => p.enabled) ?? packs?.[0],
    [packs, selected],
  );

  function choose(next: { tenant?: string; pack?: string }) {
    const p = new URLSearchParams(params);
    if (next.pack !== undefined) p.set('pack', next.pack);
    if (next.tenant !== undefined && next.tenant !== tenantId) {
      p.delete('field');
      navigate(`${tenantHref(next.tenant, '/rules')}?${p.toString()}`);
      return;
    }
    setParams(p, { replace: true });
  }

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} data-testid="page-rules">
      <Card size="small">
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          {t('rules.title')}
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ marginBottom: manyTenants ? 12 : 0 }}>
          {t('rules.intro')}
        </Typography.Paragraph>
        {manyTenants ? (
          <Space wrap>
            <span>{t('rules.tenant')}</span>
            <TenantPicker testId="rules-tenant" value={tenantId} onChange={(id) => choose({ tenant: id })} />
          </Space>
        ) : null}
      </Card>
      <ScopeBanner />
      {error ? <Alert type="error" showIcon message={error} /> : null}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={7} xl={6}>
          <Card size="small" title={t('rules.packs')} bodyStyle={{ padding: 0 }}>
            <List
              data-testid="pack-list"
              loading={packs === null}
              dataSource={packs ?? []}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} /> }}
              renderItem={(p) => (
                <List.Item
                  data-testid={`pack-${p.name}`}
                  className={p.name === current?.name ? 'rules-pack rules-pack-active' : 'rules-pack'}
                  onClick={() => choose({ pack: p.name })}
                  style={{ cursor: 'pointer', padding: '10px 16px' }}
                >
                  <List.Item.Meta
                    title={
                      <Space size={6}>
                        <Badge status={p.enabled ? 'success' : 'default'} />
                        <span>{pickText(p.title, lang)}</span>
                      </Space>
                    }
                    description={
                      <Space size={[4, 4]} wrap>
                        <Tag color={p.enabled ? 'green' : undefined}>
                          {p.enabled ? t('rules.enabled') : t('rules.disabled')}
                        </Tag>
                        <Tag>{p.settingsVersion ? t('rules.version', { v: p.settingsVersion }) : t('rules.noVersion')}</Tag>
                        {p.overridden ? <Tag color="blue">{t('rules.overriddenCount', { n: p.overridden })}</Tag> : null}
                        {p.locked ? <Tag color="red">{t('rules.lockedCount', { n: p.locked })}</Tag> : null}
                      </Space>
                    }
                  />
                </List.Item>
              )}
            />
          </Card>
        </Col>
        <Col xs={24} lg={17} xl={18}>
          {current ? (
            <PackEditor
              key={`${tenantId}/${current.name}`}
              tenantId={tenantId}
              pack={current.name}
              focus={current.name === selected ? focus : null}
              onSaved={reloadPacks}
              hasBelow={hasBelow}
            />
          ) : null}
        </Col>
      </Row>
    </Space>
  );
}
