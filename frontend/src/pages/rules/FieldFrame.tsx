// The root object template of a pack's form: every top-level setting in a frame that says whether it is
// inherited (and from where), set here, or locked by a parent, with "inherit again" and (for provincial
// admins) "lock for the levels below".
import { Button, Checkbox, Space, Tag, Tooltip, Typography } from 'antd';
import { LockOutlined, RollbackOutlined } from '@ant-design/icons';
import type { ObjectFieldTemplateProps } from '@rjsf/utils';
import type { I18n } from '../../i18n';
import { levelLabel } from '../../i18n';
import type { FieldInfo, Values } from './rulesApi';
import { sameValue } from './rulesApi';

export interface FrameContext {
  /** read by @rjsf/antd's nested object template: several short fields per row */
  colSpan: Record<string, number>;
  rowGutter: number;
  descriptionLocation: 'tooltip' | 'below';
  fields: Record<string, FieldInfo>;
  inherited: Values;
  locks: Set<string>;
  canEdit: boolean;
  canLock: boolean;
  onReset: (name: string) => void;
  onToggleLock: (name: string, locked: boolean) => void;
  t: I18n['t'];
}

export function currentState(info: FieldInfo | undefined, value: unknown, inherited: unknown) {
  if (info?.state === 'locked') return 'locked' as const;
  return sameValue(value, inherited) ? ('inherited' as const) : ('overridden' as const);
}

export default function FieldFrame(props: ObjectFieldTemplateProps) {
  const ctx = props.formContext as FrameContext;
  const { t } = ctx;
  const data = (props.formData ?? {}) as Values;
  return (
    <div>
      {props.properties.map((prop) => {
        const info = ctx.fields[prop.name];
        const state = currentState(info, data[prop.name], ctx.inherited[prop.name]);
        const src = info?.state === 'inherited' ? info.source : null;
        const from =
          state === 'inherited' && src
            ? src.kind === 'default'
              ? t('rules.from.default')
              : t('rules.from.tenant', { name: `${src.tenantName} (${levelLabel(t, src.level ?? '')})` })
            : null;
        return (
          <div key={prop.name} className="rules-field" data-testid={`field-${prop.name}`} data-state={state}>
            <Space size={6} wrap style={{ marginBottom: 4 }}>
              {state === 'locked' ? (
                <Tag color="red" icon={<LockOutlined />} data-testid={`state-${prop.name}`}>
                  {t('rules.state.locked')}
                </Tag>
              ) : state === 'overridden' ? (
                <Tag color="blue" data-testid={`state-${prop.name}`}>
                  {t('rules.state.overridden')}
                </Tag>
              ) : (
                <Tag data-testid={`state-${prop.name}`}>{t('rules.state.inherited')}</Tag>
              )}
              {state === 'locked' && info?.lockedBy ? (
                <Typography.Text type="secondary">
                  {t('rules.lockedBy', { name: info.lockedBy.tenantName ?? '' })}
                </Typography.Text>
              ) : null}
              {from ? <Typography.Text type="secondary">{from}</Typography.Text> : null}
              {info?.ignoredOverride ? (
                <Typography.Text type="warning">{t('rules.ignoredOverride')}</Typography.Text>
              ) : null}
              {state === 'overridden' && ctx.canEdit ? (
                <Tooltip title={t('rules.reset')}>
                  <Button
                    size="small"
                    type="link"
                    icon={<RollbackOutlined />}
                    data-testid={`reset-${prop.name}`}
                    onClick={() => ctx.onReset(prop.name)}
                  >
                    {t('rules.reset')}
                  </Button>
                </Tooltip>
              ) : null}
              {ctx.canLock && state !== 'locked' ? (
                <Checkbox
                  data-testid={`lock-${prop.name}`}
                  checked={ctx.locks.has(prop.name)}
                  onChange={(e) => ctx.onToggleLock(prop.name, e.target.checked)}
                >
                  {t('rules.lockForBelow')}
                </Checkbox>
              ) : null}
            </Space>
            {prop.content}
          </div>
        );
      })}
    </div>
  );
}
