// The paged tenant tree, the tenant pickers and the background jobs drawer (issue 16).
export const treeZh = {
  'tenants.search': '按名称或行政区划代码搜索',
  'tenants.below': '下级',
  'tenants.belowCount': '{n} 个下级机构',
  'tenants.path': '所属',
  'tenants.more': '仅显示前 {shown} 个，共 {total} 个：请搜索',
  'tenants.pick': '选择机构（可搜索名称或代码）',
  'tenants.noMatch': '没有匹配的机构',
};

export const treeEn: Record<keyof typeof treeZh, string> = {
  'tenants.search': 'Search by name or division code',
  'tenants.below': 'Below',
  'tenants.belowCount': '{n} below',
  'tenants.path': 'Under',
  'tenants.more': 'Showing the first {shown} of {total}: search to find others',
  'tenants.pick': 'Choose a center (search by name or code)',
  'tenants.noMatch': 'No matching center',
};
