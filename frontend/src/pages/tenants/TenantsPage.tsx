// The tenant tree the user may see (a provincial admin: the whole province), a level at a time: the top nodes
// come first, a node's children are fetched when it is expanded (GET /api/tenants?parent=), and the search box asks
// the server (name or division code) instead of filtering a tree held in the browser. Plus the onboarding wizard.
import { useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, Form, Input, Modal, Radio, Result, Space, Steps, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { BankOutlined, CrownOutlined, PlusOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router-dom';
import { call, client } from '../../api';
import type { Schemas } from '../../api';
import { useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useAuth } from '../../auth';
import { levelLabel, useI18n } from '../../i18n';
import { OneTimeSecret, useApiError } from '../admin/shared';
import { tenantHref, useTenantLevel } from '../../tenant';
import { TenantPicker } from '../../components/TenantPicker';
import { ProvincialAdmins } from './ProvincialAdmins';
import { NewProvince } from './NewProvince';

export type TenantNode = Schemas['TenantNode'];

interface TreeRow extends TenantNode {
  children?: TreeRow[];
}

type OnboardResult = Schemas['OnboardOut'];

const LEVELS = ['province', 'city', 'county', 'township'];
const SEARCH_PAGE = 50;

export default function TenantsPage() {
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const top = useTenantLevel(null);
  const roots = useMemo(() => top.data?.tenants ?? [], [top.data]);
  const templates = top.data?.templates ?? [];
  const [expanded, setExpanded] = useState<string[]>([]);
  const [typed, setTyped] = useState('');
  const [search, setSearch] = useState('');
  const [searchPage, setSearchPage] = useState(1);
  const [wizardParent, setWizardParent] = useState<TenantNode | null | undefined>(undefined);
  const [appointIn, setAppointIn] = useState<TenantNode | null>(null);
  const [newProvince, setNewProvince] = useState(false);

  useEffect(() => {
    const id = setTimeout(() => {
      setSearch(typed.trim());
      setSearchPage(1);
    }, 250);
    return () => clearTimeout(id);
  }, [typed]);
  // the top nodes open by default (a provincial admin sees the cities at once)
  useEffect(() => {
    if (roots.length) setExpanded((keys) => (keys.length ? keys : roots.filter((r) => r.childCount > 0).map((r) => r.id)));
  }, [roots]);

  const levels = useQueries({
    queries: expanded.map((parent) => ({
      queryKey: ['tenants', 'level', parent],
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        call(client.GET('/api/tenants', { params: { query: { parent, limit: 500 } }, signal })),
      staleTime: 60_000,
    })),
  });
  const childrenOf = new Map<string, Schemas['TenantTree'] | undefined>(expanded.map((id, i) => [id, levels[i]?.data]));
  const found = useQuery({
    queryKey: ['tenants', 'search', search, searchPage],
    queryFn: ({ signal }) =>
      call(client.GET('/api/tenants', {
        params: { query: { searchString: search, limit: SEARCH_PAGE, offset: (searchPage - 1) * SEARCH_PAGE } },
        signal,
      })),
    enabled: !!search,
    placeholderData: (prev) => prev,
  });

  const load = () => queryClient.invalidateQueries({ queryKey: ['tenants'] });

  const toRow = (n: TenantNode): TreeRow => {
    if (n.childCount === 0) return { ...n };
    const level = childrenOf.get(n.id);
    return { ...n, children: level ? level.tenants.map(toRow) : [] };
  };
  const tree = roots.map(toRow);
  const templateName = (key: string | null) => {
    const tpl = templates.find((x) => x.key === key);
    return tpl ? (lang === 'en' ? tpl.en : tpl.zh.split('（')[0]) : '—';
  };
  const canOnboardSomewhere = can('tenant:onboard') && roots.length > 0;
  const loading = top.isFetching || levels.some((q) => q.isFetching);

  const columns: ColumnsType<TreeRow> = [
    {
      title: t('tenants.name'),
      dataIndex: 'name',
      render: (name: string, row) => (
        <span data-testid={`tenant-row-${row.divisionCode}`}>
          {search && row.ancestors?.length ? <Typography.Text type="secondary">{row.ancestors.join(' / ')} / </Typography.Text> : null}
          {name}
        </span>
      ),
    },
    { title: t('tenants.level'), dataIndex: 'level', width: 100, render: (level: string) => <Tag>{levelLabel(t, level)}</Tag> },
    { title: t('tenants.code'), dataIndex: 'divisionCode', width: 150 },
    {
      title: t('tenants.below'),
      dataIndex: 'descendantCount',
      width: 110,
      responsive: ['md'],
      render: (n: number, row) => (n ? <span data-testid={`tenant-below-${row.divisionCode}`}>{t('tenants.belowCount', { n })}</span> : '—'),
    },
    { title: t('tenants.template'), dataIndex: 'template', responsive: ['lg'], render: (key: string | null) => templateName(key) },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 260,
      render: (_: unknown, row) => (
        <Space size="small" wrap>
          {row.canOnboard && (
            <Button size="small" icon={<PlusOutlined />} data-testid={`onboard-under-${row.divisionCode}`} onClick={() => setWizardParent(row)}>
              {t('tenants.onboard')}
            </Button>
          )}
          {row.level === 'province' && can('provincial_admin:appoint') && (
            <Button size="small" icon={<CrownOutlined />} data-testid={`provincial-admins-${row.divisionCode}`} onClick={() => setAppointIn(row)}>
              {t('tenants.provincialAdmins')}
            </Button>
          )}
          {row.level !== 'province' && can('department:read') && (
            <Button
              size="small"
              type="link"
              data-testid={`manage-${row.divisionCode}`}
              onClick={() => {
                navigate(tenantHref(row.id, '/org'));
              }}
            >
              {t('tenants.manage')}
            </Button>
          )}
        </Space>
      ),
    },
  ];
  const truncated = levels.map((q) => q.data).find((d) => d && d.total > d.tenants.length);

  return (
    <Card
      title={<span data-testid="page-title">{t('tenants.title')}</span>}
      data-testid="page-tenants"
      extra={
        <Space wrap>
          {can('province:create') && (
            <Button icon={<BankOutlined />} data-testid="province-new" onClick={() => setNewProvince(true)}>
              {t('province.new')}
            </Button>
          )}
          {canOnboardSomewhere && (
            <Button type="primary" icon={<PlusOutlined />} data-testid="onboard-open" onClick={() => setWizardParent(null)}>
              {t('tenants.onboard')}
            </Button>
          )}
        </Space>
      }
    >
      <Input.Search
        allowClear
        data-testid="tenant-search"
        placeholder={t('tenants.search')}
        value={typed}
        onChange={(e) => setTyped(e.target.value)}
        onSearch={(v) => setTyped(v)}
        style={{ maxWidth: 420, marginBottom: 12 }}
      />
      {search ? (
        <Table<TreeRow>
          rowKey="id"
          size="middle"
          loading={found.isFetching}
          columns={columns}
          dataSource={found.data?.tenants ?? []}
          pagination={{
            current: searchPage,
            pageSize: SEARCH_PAGE,
            total: found.data?.total ?? 0,
            showSizeChanger: false,
            onChange: setSearchPage,
          }}
          data-testid="tenant-search-results"
          scroll={{ x: 640 }}
        />
      ) : (
        <>
          {truncated ? (
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 12 }}
              message={t('tenants.more', { shown: truncated.tenants.length, total: truncated.total })}
            />
          ) : null}
          <Table<TreeRow>
            rowKey="id"
            size="middle"
            loading={loading}
            columns={columns}
            dataSource={tree}
            pagination={false}
            expandable={{
              expandedRowKeys: expanded,
              onExpandedRowsChange: (keys) => setExpanded(keys.map(String)),
            }}
            data-testid="tenant-tree"
            scroll={{ x: 640 }}
          />
        </>
      )}
      {appointIn && <ProvincialAdmins province={appointIn} onClose={() => setAppointIn(null)} />}
      {newProvince && (
        <NewProvince
          onClose={(created) => {
            setNewProvince(false);
            if (created) {
              void load();
              setAppointIn(created); // appoint its provincial admins next
            }
          }}
        />
      )}
      {wizardParent !== undefined && (
        <OnboardWizard
          fallbackParent={roots.find((r) => r.canOnboard) ?? null}
          templates={templates}
          initialParent={wizardParent}
          onClose={(changed, parentId) => {
            setWizardParent(undefined);
            if (changed) {
              if (parentId) setExpanded((keys) => (keys.includes(parentId) ? keys : [...keys, parentId]));
              void load();
            }
          }}
        />
      )}
    </Card>
  );
}

interface WizardValues {
  parentId: string;
  level: string;
  divisionCode: string;
  name: string;
  template: string;
  adminDisplayName: string;
  adminUsername: string;
}

const STEP_FIELDS: (keyof WizardValues)[][] = [
  ['parentId', 'level', 'divisionCode', 'name'],
  ['template'],
  ['adminDisplayName', 'adminUsername'],
];

function OnboardWizard({
  fallbackParent,
  templates,
  initialParent,
  onClose,
}: {
  fallbackParent: TenantNode | null;
  templates: Schemas['Template'][];
  initialParent: TenantNode | null;
  onClose: (changed: boolean, parentId?: string) => void;
}) {
  const { t, lang } = useI18n();
  const onError = useApiError();
  const [form] = Form.useForm<WizardValues>();
  const [step, setStep] = useState(0);
  const [submitting, setSubmitting] = useState(false);
  const [result, setResult] = useState<OnboardResult | null>(null);
  const [parent, setParent] = useState<TenantNode | null>(initialParent ?? fallbackParent);
  const levels = LEVELS.filter((l) => parent && LEVELS.indexOf(l) > LEVELS.indexOf(parent.level) && l !== 'province');

  const next = async () => {
    try {
      await form.validateFields(STEP_FIELDS[step]);
      setStep(step + 1);
    } catch {
      // the form shows what is missing
    }
  };

  const submit = async () => {
    try {
      await form.validateFields(STEP_FIELDS[2]);
    } catch {
      return;
    }
    const v = form.getFieldsValue(true) as WizardValues;
    setSubmitting(true);
    try {
      const res = await call(client.POST('/api/t/{tenant_id}/tenants', {
        params: { path: { tenant_id: v.parentId } },
        body: {
          level: v.level,
          divisionCode: v.divisionCode.trim(),
          name: v.name.trim(),
          template: v.template,
          adminUsername: v.adminUsername.trim(),
          adminDisplayName: v.adminDisplayName.trim(),
        },
      }));
      setResult(res);
      setStep(3);
    } catch (err) {
      onError(err, form);
      const fields = (err as { fields?: { field: string }[] }).fields ?? [];
      const back = STEP_FIELDS.findIndex((names) => fields.some((f) => names.includes(f.field as keyof WizardValues)));
      if (back >= 0) setStep(back);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Modal
      open
      width={720}
      title={t('onboard.title')}
      maskClosable={false}
      onCancel={() => onClose(!!result, parent?.id)}
      destroyOnClose
      footer={
        result ? (
          <Button type="primary" data-testid="onboard-close" onClick={() => onClose(true, parent?.id)}>
            {t('common.done')}
          </Button>
        ) : (
          <Space>
            {step > 0 && <Button onClick={() => setStep(step - 1)}>{t('common.prev')}</Button>}
            {step < 2 && (
              <Button type="primary" data-testid="onboard-next" onClick={() => void next()}>
                {t('common.next')}
              </Button>
            )}
            {step === 2 && (
              <Button type="primary" data-testid="onboard-submit" loading={submitting} onClick={() => void submit()}>
                {t('onboard.submit')}
              </Button>
            )}
          </Space>
        )
      }
    >
      <Steps
        size="small"
        current={step}
        style={{ margin: '8px 0 24px' }}
        items={[
          { title: t('onboard.step.where') },
          { title: t('onboard.step.template') },
          { title: t('onboard.step.admin') },
          { title: t('onboard.step.done') },
        ]}
      />
      <Form<WizardValues>
        form={form}
        layout="vertical"
        requiredMark={false}
        preserve
        initialValues={{ parentId: (initialParent ?? fallbackParent)?.id, template: 'county_hall' }}
        data-testid="onboard-form"
      >
        <div style={{ display: step === 0 ? 'block' : 'none' }}>
          <Form.Item name="parentId" label={t('onboard.parent')} rules={[{ required: true, message: t('common.required') }]}>
            <TenantPicker testId="onboard-parent" disabledWhen={(n) => !n.canOnboard} onChange={(_id, node) => setParent(node)} />
          </Form.Item>
          <Form.Item name="level" label={t('onboard.level')} rules={[{ required: true, message: t('common.required') }]}>
            <Radio.Group data-testid="onboard-level" optionType="button" buttonStyle="solid">
              {levels.map((l) => (
                <Radio.Button key={l} value={l}>
                  <span data-testid={`onboard-level-${l}`}>{levelLabel(t, l)}</span>
                </Radio.Button>
              ))}
            </Radio.Group>
          </Form.Item>
          <Form.Item
            name="divisionCode"
            label={t('onboard.divisionCode')}
            extra={t('onboard.divisionCodeHelp')}
            rules={[
              { required: true, message: t('common.required') },
              { pattern: /^\d{6}(-[0-9A-Za-z]{1,8})?$/, message: t('onboard.divisionCodeInvalid') },
            ]}
          >
            <Input data-testid="onboard-division-code" maxLength={15} placeholder="421122" />
          </Form.Item>
          <Form.Item name="name" label={t('onboard.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
            <Input data-testid="onboard-name" maxLength={200} placeholder="XX县政务服务中心" />
          </Form.Item>
        </div>
        <div style={{ display: step === 1 ? 'block' : 'none' }}>
          <Form.Item name="template" label={t('onboard.template')} rules={[{ required: true, message: t('common.required') }]}>
            <Radio.Group data-testid="onboard-template" style={{ width: '100%' }}>
              <Space direction="vertical" style={{ width: '100%' }}>
                {templates.map((tpl) => (
                  <Radio key={tpl.key} value={tpl.key}>
                    <span data-testid={`onboard-template-${tpl.key}`}>{lang === 'en' ? tpl.en : tpl.zh}</span>
                  </Radio>
                ))}
              </Space>
            </Radio.Group>
          </Form.Item>
        </div>
        <div style={{ display: step === 2 ? 'block' : 'none' }}>
          <Form.Item
            name="adminDisplayName"
            label={t('onboard.adminDisplayName')}
            rules={[{ required: true, whitespace: true, message: t('common.required') }]}
          >
            <Input data-testid="onboard-admin-name" maxLength={100} />
          </Form.Item>
          <Form.Item
            name="adminUsername"
            label={t('onboard.adminUsername')}
            extra={t('onboard.usernameHelp')}
            rules={[
              { required: true, message: t('common.required') },
              { pattern: /^[a-z0-9][a-z0-9_.-]{2,63}$/, message: t('onboard.usernameHelp') },
            ]}
          >
            <Input data-testid="onboard-admin-username" maxLength={64} autoComplete="off" />
          </Form.Item>
        </div>
      </Form>
      {step === 3 && result && (
        <Result
          status="success"
          style={{ padding: '8px 0' }}
          title={<span data-testid="onboard-success">{t('onboard.success', { name: result.tenant.name })}</span>}
          subTitle={
            <Typography.Text>
              {t('onboard.adminUsername')}: <Typography.Text code data-testid="onboard-result-username">{result.admin.username}</Typography.Text>
            </Typography.Text>
          }
          extra={
            <div style={{ textAlign: 'left' }}>
              <OneTimeSecret
                value={result.oneTimePassword}
                testId="onboard-otp"
                title={t('onboard.otpTitle')}
                hint={t('onboard.otpHint')}
              />
            </div>
          }
        />
      )}
      {!parent && <Alert type="warning" message={t('error.403.subtitle')} />}
    </Modal>
  );
}
