// Texts of the security rules shown in the UI (password form, accounts page), in both languages.
export const securityZh = {
  'security.pwHint': '至少 8 位，包含大写、小写、数字、符号中的三类；不能是常见密码，也不能是管理员给的一次性密码',
  'security.noAuthority': '无权管理',
  'security.noAuthorityTip': '该账号在其他机构持有角色，或权限高于您：只能由拥有其全部权限的管理员操作',
};

export const securityEn: Record<keyof typeof securityZh, string> = {
  'security.pwHint':
    '8+ characters with three of: lower case, upper case, digits, symbols; not a common password, nor the one-time password an admin gave you',
  'security.noAuthority': 'Not yours to manage',
  'security.noAuthorityTip':
    'This account holds roles elsewhere or above yours: only an admin holding all of its authority can act on it',
};
