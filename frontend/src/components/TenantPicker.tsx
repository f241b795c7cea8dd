// A tenant picker that searches on the server (name or division code) instead of loading the whole tree: a
// province of 10,000 centers stays one small request per keystroke pause.
import { useEffect, useMemo, useState } from 'react';
import { Select } from 'antd';
import type { Schemas } from '../api';
import { levelLabel, useI18n } from '../i18n';
import { useTenantInfo, useTenantLevel, useTenantSearch } from '../tenant';

type TenantNode = Schemas['TenantNode'];

export function TenantPicker({
  value,
  onChange,
  disabledWhen,
  testId,
  style,
}: {
  value?: string;
  onChange?: (id: string, node: TenantNode) => void;
  /** Nodes shown but not choosable (e.g. where the user may not onboard). */
  disabledWhen?: (node: TenantNode) => boolean;
  testId?: string;
  style?: React.CSSProperties;
}) {
  const { t } = useI18n();
  const [typed, setTyped] = useState('');
  const [text, setText] = useState('');
  useEffect(() => {
    const id = setTimeout(() => setText(typed), 250);
    return () => clearTimeout(id);
  }, [typed]);
  const top = useTenantLevel(null);
  const firstRoot = top.data?.tenants[0]?.id ?? null;
  // Without a search: the top nodes and the level below the first one (what a provincial admin picks most).
  const below = useTenantLevel(firstRoot, !!firstRoot && !text);
  const found = useTenantSearch(text);
  const current = useTenantInfo(value ?? '', !!value);
  const nodes = useMemo(() => {
    const list: TenantNode[] = text
      ? found.data?.tenants ?? []
      : [...(top.data?.tenants ?? []), ...(below.data?.tenants ?? [])];
    const chosen = current.data?.tenants[0];
    if (chosen && !list.some((n) => n.id === chosen.id)) list.unshift(chosen);
    return list;
  }, [text, found.data, top.data, below.data, current.data]);
  const byId = useMemo(() => new Map(nodes.map((n) => [n.id, n])), [nodes]);
  return (
    <Select
      data-testid={testId}
      style={{ minWidth: 320, ...style }}
      value={value}
      showSearch
      filterOption={false}
      onSearch={setTyped}
      placeholder={t('tenants.pick')}
      notFoundContent={text ? t('tenants.noMatch') : undefined}
      loading={found.isFetching || top.isFetching}
      onChange={(id: string) => {
        const node = byId.get(id);
        if (node) onChange?.(id, node);
      }}
      options={nodes.map((n) => ({
        value: n.id,
        disabled: disabledWhen?.(n) ?? false,
        label: `${n.ancestors?.length ? `${n.ancestors.join(' / ')} / ` : ''}${n.name}（${levelLabel(t, n.level)} ${n.divisionCode}）`,
      }))}
    />
  );
}
