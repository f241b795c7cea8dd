// Tiny in-house i18n: two message maps, a React context and t(key).
// zh-CN is the default; the choice is kept in localStorage under `govhall.lang`.
import { createContext, createElement, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { adminEn, adminZh } from './messages/admin';
import { assessmentEn, assessmentZh } from './messages/assessment';
import { attendanceEn, attendanceZh } from './messages/attendance';
import { complaintsEn, complaintsZh } from './messages/complaints';
import { leaveEn, leaveZh } from './messages/leave';
import { rulesEn, rulesZh } from './messages/rules';
import { filesEn, filesZh } from './messages/files';
import { securityEn, securityZh } from './messages/security';
import { treeEn, treeZh } from './messages/tree';
import { rulescodeEn, rulescodeZh } from './messages/rulescode';
import { redFlagEn, redFlagZh } from './messages/redflag';
import { supervisionEn, supervisionZh } from './messages/supervision';

export type Lang = 'zh-CN' | 'en';
export const LANGS: Lang[] = ['zh-CN', 'en'];
export const LANG_STORAGE_KEY = 'govhall.lang';

const zhCN = {
  ...adminZh,
  ...securityZh,
  ...treeZh,
  ...attendanceZh,
  ...assessmentZh,
  ...leaveZh,
  ...complaintsZh,
  ...rulesZh,
  ...filesZh,
  ...rulescodeZh,
  ...supervisionZh,
  ...redFlagZh,
  'app.title': '政务服务中心管理平台',
  'app.shortTitle': '政务大厅',
  'lang.zh': '中文',
  'lang.en': 'English',
  'common.loading': '加载中…',
  'common.backHome': '返回首页',
  'common.menu': '菜单',
  'common.save': '保存',

  'login.title': '用户登录',
  'login.username': '用户名',
  'login.password': '密码',
  'login.submit': '登录',
  'login.usernameRequired': '请输入用户名',
  'login.passwordRequired': '请输入密码',

  'password.title': '修改密码',
  'password.forced': '首次登录或密码已重置，请先修改密码。',
  'password.current': '当前密码',
  'password.new': '新密码',
  'password.confirm': '确认新密码',
  'password.submit': '修改密码',
  'password.currentRequired': '请输入当前密码',
  'password.newRequired': '请输入新密码',
  'password.tooShort': '新密码至少 8 位',
  'password.sameAsCurrent': '新密码不能与当前密码相同',
  'password.confirmRequired': '请再次输入新密码',
  'password.mismatch': '两次输入的新密码不一致',
  'password.changed': '密码已修改',

  'header.logout': '退出登录',
  'header.changePassword': '修改密码',

  'nav.home': '首页',
  'nav.tenants': '机构 / 中心',
  'nav.org': '部门与窗口',
  'nav.staff': '人员',
  'nav.rules': '规则配置',
  'nav.attendance': '考勤',
  'nav.leave': '请销假',
  'nav.assessment': '考核',

  'home.welcome': '您好，{name}',
  'home.tenant': '所属中心',
  'home.level': '层级',
  'home.roles': '角色',
  'home.username': '用户名',

  'role.platform_admin': '平台管理员',
  'role.provincial_admin': '省级管理员',
  'role.center_admin': '中心管理员',
  'role.chief_representative': '首席代表',
  'role.duty_officer': '值班人员',
  'role.clerk': '窗口工作人员',

  'level.platform': '平台',
  'level.province': '省级',
  'level.city': '市级',
  'level.county': '县级',
  'level.township': '乡镇级',

  'error.403.title': '无权访问',
  'error.403.subtitle': '您没有访问此页面的权限。',
  'error.404.title': '页面不存在',
  'error.404.subtitle': '您访问的页面不存在或已被移除。',
  'error.network': '无法连接服务器，请稍后重试。',
  'error.unknown': '操作失败，请稍后重试。',
};

export type MessageKey = keyof typeof zhCN;

const en: Record<MessageKey, string> = {
  ...adminEn,
  ...securityEn,
  ...treeEn,
  ...attendanceEn,
  ...assessmentEn,
  ...leaveEn,
  ...complaintsEn,
  ...rulesEn,
  ...filesEn,
  ...rulescodeEn,
  ...supervisionEn,
  ...redFlagEn,
  'app.title': 'Government Service Hall Platform',
  'app.shortTitle': 'govhall',
  'lang.zh': '中文',
  'lang.en': 'English',
  'common.loading': 'Loading…',
  'common.backHome': 'Back to home',
  'common.menu': 'Menu',
  'common.save': 'Save',

  'login.title': 'Sign in',
  'login.username': 'Username',
  'login.password': 'Password',
  'login.submit': 'Log in',
  'login.usernameRequired': 'Please enter your username',
  'login.passwordRequired': 'Please enter your password',

  'password.title': 'Change password',
  'password.forced': 'Your password must be changed before you continue.',
  'password.current': 'Current password',
  'password.new': 'New password',
  'password.confirm': 'Confirm new password',
  'password.submit': 'Change password',
  'password.currentRequired': 'Please enter your current password',
  'password.newRequired': 'Please enter a new password',
  'password.tooShort': 'The new password needs at least 8 characters',
  'password.sameAsCurrent': 'The new password must differ from the current one',
  'password.confirmRequired': 'Please enter the new password again',
  'password.mismatch': 'The two new passwords do not match',
  'password.changed': 'Password changed',

  'header.logout': 'Log out',
  'header.changePassword': 'Change password',

  'nav.home': 'Home',
  'nav.tenants': 'Centers',
  'nav.org': 'Departments & windows',
  'nav.staff': 'Staff',
  'nav.rules': 'Rules',
  'nav.attendance': 'Attendance',
  'nav.leave': 'Leave',
  'nav.assessment': 'Assessment',

  'home.welcome': 'Welcome, {name}',
  'home.tenant': 'Center',
  'home.level': 'Level',
  'home.roles': 'Roles',
  'home.username': 'Username',

  'role.platform_admin': 'Platform admin',
  'role.provincial_admin': 'Provincial admin',
  'role.center_admin': 'Center admin',
  'role.chief_representative': 'Chief representative',
  'role.duty_officer': 'Duty officer',
  'role.clerk': 'Window clerk',

  'level.platform': 'Platform',
  'level.province': 'Province',
  'level.city': 'City',
  'level.county': 'County',
  'level.township': 'Township',

  'error.403.title': 'Access denied',
  'error.403.subtitle': 'You do not have permission to open this page.',
  'error.404.title': 'Page not found',
  'error.404.subtitle': 'The page you are looking for does not exist.',
  'error.network': 'Cannot reach the server. Please try again later.',
  'error.unknown': 'Something went wrong. Please try again later.',
};

const messages: Record<Lang, Record<MessageKey, string>> = { 'zh-CN': zhCN, en };

export function isMessageKey(key: string): key is MessageKey {
  return key in zhCN;
}

export function translate(lang: Lang, key: MessageKey, vars?: Record<string, string | number>): string {
  const text = messages[lang][key] ?? key;
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

function initialLang(): Lang {
  try {
    const stored = window.localStorage.getItem(LANG_STORAGE_KEY);
    if (stored && (LANGS as string[]).includes(stored)) return stored as Lang;
  } catch {
    // storage may be unavailable (private mode); fall back to the default
  }
  return 'zh-CN';
}

export interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: (key: MessageKey, vars?: Record<string, string | number>) => string;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);

  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    try {
      window.localStorage.setItem(LANG_STORAGE_KEY, next);
    } catch {
      // ignore
    }
  }, []);

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = translate(lang, 'app.title');
  }, [lang]);

  const value = useMemo<I18n>(
    () => ({ lang, setLang, t: (key, vars) => translate(lang, key, vars) }),
    [lang, setLang],
  );
  return createElement(I18nContext.Provider, { value }, children);
}

export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useI18n must be used inside <I18nProvider>');
  return ctx;
}

/** Translate a role code; unknown roles are shown as they are. */
export function roleLabel(t: I18n['t'], role: string): string {
  const key = `role.${role}`;
  return isMessageKey(key) ? t(key) : role;
}

/** Translate a tenant level code; unknown levels are shown as they are. */
export function levelLabel(t: I18n['t'], level: string): string {
  const key = `level.${level}`;
  return isMessageKey(key) ? t(key) : level;
}
