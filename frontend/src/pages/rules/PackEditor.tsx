// One pack of one tenant: its form (rendered from the pack's JSON Schema), effective date, diff, history.
import { useEffect, useMemo, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { keys } from '../../api/query';
import type { ButtonProps } from 'antd';
import { Alert, App as AntApp, Button, Card, DatePicker, Input, Modal, Space, Spin, Switch, Tabs, Typography } from 'antd';
import Form from '@rjsf/antd';
import type CoreForm from '@rjsf/core';
import type { ErrorSchema, RJSFSchema, UiSchema } from '@rjsf/utils';
import validator from '@rjsf/validator-ajv8';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { ApiError, pickText } from '../../api';
import { useI18n } from '../../i18n';
import FieldFrame from './FieldFrame';
import type { FrameContext } from './FieldFrame';
import { localizeErrors, serverErrorSchema } from './formErrors';
import type { PackSettings, SaveBody, Values } from './rulesApi';
import { rulesApi, sameValue } from './rulesApi';
import VersionHistory from './VersionHistory';
import DateListWidget from './DateListWidget';
import { AddButton, SCHEMA_WIDGETS, fillCodes, mergeUi, uiFromSchema } from './schemaWidgets';
import { ChangesTable } from './ChangesTable';
import ImpactPanel from './ImpactPanel';
import type { ChangeLike } from './ChangesTable';

interface Props {
  tenantId: string;
  pack: string;
  /** A top-level setting to scroll to and highlight once the form is shown. */
  focus?: string | null;
  onSaved: () => void;
  /** The tenant has centers below: the what-if tab offers a preview over them. */
  hasBelow?: boolean;
}

// Widgets a pack may name in its ui_schema (`"ui:widget": "dateList"`), on top of @rjsf/antd's own.
// The others come from the schema's x-widget keys (schemaWidgets.tsx).
const WIDGETS = { dateList: DateListWidget, ...SCHEMA_WIDGETS };
const TEMPLATES = { ButtonTemplates: { AddButton } };

export default function PackEditor({ tenantId, pack, focus, onSaved, hasBelow = false }: Props) {
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  // the settings of the pack and language shown: an answer for another pack (switched while it was on its way)
  // lands under its own key, never in this editor
  const settings = useQuery({
    queryKey: keys.tenant(tenantId, 'packs', pack, 'settings', lang),
    queryFn: ({ signal }) => rulesApi.settings(tenantId, pack, lang, undefined, signal),
    staleTime: 0,
  });
  const data: PackSettings | null = settings.data ?? null;
  const [formData, setFormData] = useState<Values>({});
  const [enabled, setEnabled] = useState(false);
  const [locks, setLocks] = useState<Set<string>>(new Set());
  const [effective, setEffective] = useState<Dayjs>(dayjs());
  const [note, setNote] = useState('');
  const [extraErrors, setExtraErrors] = useState<ErrorSchema | undefined>();
  const [dateError, setDateError] = useState<string | undefined>();
  const [pending, setPending] = useState<{ body: SaveBody; changes: ChangeLike[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const [historyTick, setHistoryTick] = useState(0);
  const formRef = useRef<CoreForm>(null);

  // the form starts from each answer (on opening, and again after a save)
  useEffect(() => {
    if (!data) return;
    setFormData(data.values);
    setEnabled(data.enabled);
    setLocks(new Set(data.locks));
    setEffective(dayjs(data.today));
    setExtraErrors(undefined);
    setDateError(undefined);
  }, [data]);
  const load = () => settings.refetch();

  const loaded = !!data;
  useEffect(() => {
    if (!loaded || !focus) return;
    const el = document.querySelector(`[data-testid="field-${CSS.escape(focus)}"]`);
    if (!el) return;
    el.classList.add('rules-field-focus');
    el.scrollIntoView({ block: 'start', behavior: 'smooth' });
  }, [loaded, focus]);

  const fieldNames = useMemo(() => new Set(Object.keys(data?.values ?? {})), [data]);
  const fieldInfo = useMemo(() => Object.fromEntries((data?.fields ?? []).map((f) => [f.name, f])), [data]);
  const canEdit = !!data?.canUpdate;

  const uiSchema = useMemo<UiSchema>(() => {
    const fromSchema = data ? uiFromSchema(data.jsonSchema as Record<string, unknown>, lang) : {};
    const ui: UiSchema = mergeUi(fromSchema, (data?.uiSchema ?? {}) as UiSchema);
    for (const f of data?.fields ?? []) {
      if (f.state === 'locked' || !canEdit) ui[f.name] = { ...(ui[f.name] ?? {}), 'ui:disabled': true };
    }
    ui['ui:ObjectFieldTemplate'] = FieldFrame;
    ui['ui:title'] = '';
    ui['ui:description'] = '';
    ui['ui:submitButtonOptions'] = { norender: true };
    return ui;
  }, [data, canEdit, lang]);

  const context: FrameContext = {
    colSpan: { checkboxes: 24, textarea: 24, array: 24, object: 24, string: 6, integer: 6, number: 6, boolean: 6 },
    rowGutter: 16,
    descriptionLocation: 'tooltip',
    fields: fieldInfo,
    inherited: data?.inherited ?? {},
    locks,
    canEdit,
    canLock: !!data?.canLock,
    onReset: (name) => setFormData((prev) => ({ ...prev, [name]: data?.inherited[name] })),
    onToggleLock: (name, on) =>
      setLocks((prev) => {
        const next = new Set(prev);
        if (on) next.add(name);
        else next.delete(name);
        return next;
      }),
    t,
  };

  function body(): SaveBody {
    const overrides: Values = {};
    for (const f of data?.fields ?? []) {
      if (f.state === 'locked') continue;
      if (!sameValue(formData[f.name], data?.inherited[f.name])) overrides[f.name] = formData[f.name];
    }
    return {
      effectiveFrom: effective.format('YYYY-MM-DD'),
      enabled,
      overrides,
      locks: [...locks].sort(),
      note: note.trim() || undefined,
    };
  }

  function showServerError(err: unknown) {
    if (!(err instanceof ApiError)) {
      void message.error(t('error.unknown'));
      return;
    }
    setExtraErrors(serverErrorSchema(err.fields, lang, fieldNames));
    setDateError(err.fieldMessage('effectiveFrom', lang));
    void message.error(err.message(lang));
  }

  async function review() {
    setExtraErrors(undefined);
    setDateError(undefined);
    const valid = formRef.current?.validateForm() ?? false;
    if (!valid) {
      const n = (formRef.current?.state.errors ?? []).length || 1;
      void message.error(t('rules.invalid', { n }));
      return;
    }
    const b = body();
    setBusy(true);
    try {
      const res = await rulesApi.preview(tenantId, pack, b);
      if (!res.changes.length) void message.info(t('rules.noChanges'));
      else {
        const meta = res.changes.filter((c) => c.field.startsWith('@'));
        setPending({ body: b, changes: [...meta, ...res.values] });
      }
    } catch (err) {
      showServerError(err);
    } finally {
      setBusy(false);
    }
  }

  async function confirm() {
    if (!pending) return;
    setBusy(true);
    try {
      const v = await rulesApi.save(tenantId, pack, pending.body);
      setPending(null);
      setNote('');
      void message.success(t('rules.saved', { v: v.version, date: v.effectiveFrom }));
      await load();
      setHistoryTick((n) => n + 1);
      onSaved();
    } catch (err) {
      setPending(null);
      showServerError(err);
    } finally {
      setBusy(false);
    }
  }

  if (!data) return <Spin style={{ display: 'block', margin: 48 }} />;

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} data-testid="pack-editor" data-pack={pack}>
      <Card size="small">
        <Typography.Title level={4} style={{ marginTop: 0 }} data-testid="pack-title">
          {pickText(data.pack.title, lang)}
          <Typography.Text type="secondary" style={{ fontSize: 13, marginLeft: 8 }}>
            {data.pack.name} · v{data.pack.version}
          </Typography.Text>
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 12 }}>
          {pickText(data.pack.description, lang)}
        </Typography.Paragraph>
        {!canEdit ? <Alert type="info" showIcon message={t('rules.readOnly')} style={{ marginBottom: 12 }} /> : null}
        <Space wrap size="large" align="start">
          <Space>
            <Switch
              data-testid="pack-enabled"
              checked={enabled}
              disabled={!canEdit}
              onChange={setEnabled}
            />
            <span>{t('rules.enable')}</span>
          </Space>
          <Space direction="vertical" size={2}>
            <Space>
              <span>{t('rules.effectiveFrom')}</span>
              <span data-testid="effective-from">
                <DatePicker
                  value={effective}
                  allowClear={false}
                  disabled={!canEdit}
                  status={dateError ? 'error' : undefined}
                  disabledDate={(d) => d.isBefore(dayjs(data.today), 'day')}
                  onChange={(d) => d && setEffective(d)}
                />
              </span>
            </Space>
            {dateError ? (
              <Typography.Text type="danger" data-testid="effective-from-error">
                {dateError}
              </Typography.Text>
            ) : (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('rules.effectiveHint')}
              </Typography.Text>
            )}
          </Space>
          <Input
            data-testid="change-note"
            style={{ width: 280 }}
            disabled={!canEdit}
            placeholder={t('rules.noteHint')}
            addonBefore={t('rules.note')}
            value={note}
            maxLength={500}
            onChange={(e) => setNote(e.target.value)}
          />
        </Space>
      </Card>

      <Card size="small" title={t('rules.settings')} className="rules-form">
        <Form
          ref={formRef}
          schema={data.jsonSchema as RJSFSchema}
          uiSchema={uiSchema}
          formData={formData}
          formContext={{ ...context, formData }}
          validator={validator}
          widgets={WIDGETS}
          templates={TEMPLATES}
          transformErrors={localizeErrors(t)}
          extraErrors={extraErrors}
          showErrorList={false}
          noHtml5Validate
          disabled={!canEdit}
          onChange={(e) => {
            setFormData(fillCodes(data.jsonSchema as Record<string, unknown>, e.formData as Values));
            if (extraErrors) setExtraErrors(undefined);
          }}
        >
          <></>
        </Form>
        {canEdit ? (
          <Button type="primary" data-testid="rules-save" loading={busy} onClick={() => void review()}>
            {t('rules.save')}
          </Button>
        ) : null}
      </Card>

      <Card size="small" title={t('rules.history')}>
        <VersionHistory tenantId={tenantId} pack={pack} tick={historyTick} schema={data.jsonSchema} />
      </Card>

      <Modal
        open={!!pending}
        title={t('rules.confirmTitle')}
        okText={t('rules.confirmOk')}
        cancelText={t('rules.cancel')}
        okButtonProps={{ 'data-testid': 'confirm-save', loading: busy } as ButtonProps}
        onOk={() => void confirm()}
        onCancel={() => setPending(null)}
        width={880}
        data-testid="diff-modal"
      >
        <Typography.Paragraph>
          {t('rules.effectiveFrom')}: <b data-testid="diff-effective">{pending?.body.effectiveFrom}</b>
        </Typography.Paragraph>
        <Tabs
          destroyInactiveTabPane
          items={[
            {
              key: 'diff',
              label: <span data-testid="diff-tab">{t('impact.tab.diff')}</span>,
              children: <ChangesTable changes={pending?.changes ?? []} schema={data.jsonSchema} testId="diff-table" />,
            },
            {
              key: 'impact',
              label: <span data-testid="impact-tab">{t('impact.tab.impact')}</span>,
              children: pending ? <ImpactPanel tenantId={tenantId} pack={pack} body={pending.body} today={data.today} hasBelow={hasBelow} /> : null,
            },
          ]}
        />
      </Modal>
    </Space>
  );
}
