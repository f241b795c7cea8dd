// Texts of issue 8's security work (password rules, authority over accounts, audit verification findings,
// unconfirmed revocations, terminal defaults), in both languages.
export const securityZh = {
  'security.pwHint': '至少 8 位，包含大写、小写、数字、符号中的三类；不能是常见密码，也不能是管理员给的一次性密码',
  'security.noAuthority': '无权管理',
  'security.noAuthorityTip': '该账号在其他机构持有角色，或权限高于您：只能由拥有其全部权限的管理员操作',
  'audit.checkpointMissing':
    '审计链记录了第 {to} 条处的检查点，但检查点文件中没有（文件被删除或其中的记录被移除）',
  'audit.invalidSeq': '审计链中有序号小于 1 的记录（第 {seq} 条，伪造）',
  'audit.duplicateSeq': '审计链中有两条序号相同的记录（第 {seq} 条）',
  'audit.countMismatch': '审计记录的条数与最大序号不一致（在第 {seq} 条处）',
  'roles.revokeUnconfirmed':
    '撤销已保存，但有 {n} 个服务进程未确认已生效；这些进程在重新连接前会逐次从数据库重新读取权限',
  'devices.defaultNetworkHelp':
    '为防止他人冒用序列号，新考勤机默认只允许从您当前所在的网络（同一 /24 网段）连接；登记后可在“允许的地址”中修改。',
};

export const securityEn: Record<keyof typeof securityZh, string> = {
  'security.pwHint':
    '8+ characters with three of: lower case, upper case, digits, symbols; not a common password, nor the one-time password an admin gave you',
  'security.noAuthority': 'Not yours to manage',
  'security.noAuthorityTip':
    'This account holds roles elsewhere or above yours: only an admin holding all of its authority can act on it',
  'audit.checkpointMissing':
    'The chain records a checkpoint at event {to} that the checkpoint file lacks (file deleted or lines removed)',
  'audit.invalidSeq': 'The chain holds an event with a sequence number below 1 (event {seq}, forged)',
  'audit.duplicateSeq': 'Two events share sequence number {seq}',
  'audit.countMismatch': 'The number of events differs from the highest sequence number (at event {seq})',
  'roles.revokeUnconfirmed':
    'Revoked and saved, but {n} server process(es) did not confirm it; until they reconnect they re-read permissions from the database on every request',
  'devices.defaultNetworkHelp':
    'So that nobody can use the serial number elsewhere, a new terminal may connect only from your current network (the same /24) by default; change it under allowed addresses after registering.',
};
