import { Form, Link, NavLink, useFetcher, useLocation, useNavigation, useParams, useSubmit } from '@remix-run/react';
import type { ReactNode } from 'react';
import { LANGUAGE_NAMES, LANGUAGES, useI18n, type MessageKey } from '../i18n/i18n';
import { carriedQuery } from '../lib/dashboard-params';
import type { ShellData, ShellWorkspace } from '../models/workspace.server';
import { SECTIONS, SECTION_PATHS, sectionHref, type SectionPath } from '../sections';
import { useIsHydrated } from './use-is-hydrated';

const SECTION_LABELS: Record<SectionPath, MessageKey> = {
  '': 'section.overview',
  channels: 'section.channels',
  funnel: 'section.funnel',
  attribution: 'section.attribution',
  calls: 'section.calls',
  managers: 'section.managers',
  leads: 'section.leads',
  forecast: 'section.forecast',
  plans: 'section.plans',
  data: 'section.data',
};

// Top bar (product, workspace switcher, language, user menu), section
// navigation and the main area. The switcher lists only the signed-in user's
// workspaces; signed out, there is neither switcher nor navigation. The
// workspace comes from the URL; an unknown or absent one falls back to the
// first, so even the 404 page offers a way back. Section links carry the
// dashboard filters (period, comparison, filters, model), so moving between
// pages keeps the view.
export function AppShell({ user, workspaces, children }: ShellData & { children: ReactNode }) {
  const { t } = useI18n();
  const params = useParams();
  const navigation = useNavigation();
  const location = useLocation();
  const current = workspaces.find((w) => w.slug === params.workspace) ?? workspaces[0];
  const isPending = navigation.state === 'loading';
  const carried = params.workspace === current?.slug ? carriedQuery(location.search) : '';

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('shell.skipToContent')}
      </a>
      <header className="topbar">
        <Link to="/" className="brand" aria-label={t('shell.home')}>
          <svg className="brand-mark" viewBox="0 0 24 24" aria-hidden="true">
            <path d="M4 18 L10 11 L14 14 L20 6" fill="none" stroke="currentColor" strokeWidth="2.5" strokeLinecap="round" strokeLinejoin="round" />
            <circle cx="20" cy="6" r="2.5" fill="currentColor" />
          </svg>
          <span className="brand-name">Leadpath</span>
        </Link>
        <div className="topbar-controls">
          {current ? <WorkspaceSwitcher workspaces={workspaces} current={current.slug} /> : null}
          <LanguageSwitcher />
          {user ? <UserMenu email={user.email} current={current} /> : null}
        </div>
      </header>
      <div className="shell-body">
        {current ? (
          <nav className="sidenav" aria-label={t('shell.sections')}>
            <ul>
              {SECTIONS.map((s) => (
                <li key={s.path}>
                  <NavLink to={`${sectionHref(current.slug, s.path)}${carried}`} end={s.path === ''} prefetch="intent">
                    {t(SECTION_LABELS[s.path])}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
        <main id="main" className={isPending ? 'content is-pending' : 'content'} aria-busy={isPending || undefined}>
          {children}
        </main>
      </div>
    </div>
  );
}

function WorkspaceSwitcher({ workspaces, current }: { workspaces: ShellWorkspace[]; current: string }) {
  const { t } = useI18n();
  const submit = useSubmit();
  const isHydrated = useIsHydrated();
  const section = currentSection(useLocation().pathname);

  return (
    // A plain GET form: without JavaScript the button submits it; with
    // JavaScript picking a workspace is enough.
    <Form method="get" action="/switch-workspace" className="switcher">
      <label htmlFor="workspace-switcher">{t('shell.workspace')}</label>
      <select
        id="workspace-switcher"
        name="workspace"
        key={current}
        defaultValue={current}
        onChange={(event) => submit(event.currentTarget.form)}
      >
        {workspaces.map((w) => (
          <option key={w.slug} value={w.slug}>
            {t('menu.workspaceRole', { name: w.name, role: t(ROLE_LABELS[w.role]) })}
          </option>
        ))}
      </select>
      <input type="hidden" name="section" value={section} />
      <button type="submit" className={isHydrated ? 'visually-hidden' : 'button'}>
        {t('shell.open')}
      </button>
    </Form>
  );
}

export const ROLE_LABELS: Record<ShellWorkspace['role'], MessageKey> = {
  owner: 'role.owner',
  marketer: 'role.marketer',
  manager: 'role.manager',
  viewer: 'role.viewer',
};

/**
 * Who is signed in, their account page, the current workspace's users and API
 * tokens when their role may manage them, and signing out (a POST: a link or
 * an image could otherwise sign anyone out). A <details> disclosure, so it
 * opens without JavaScript; it closes on every navigation (keyed by path).
 */
function UserMenu({ email, current }: { email: string; current: ShellWorkspace | undefined }) {
  const { t } = useI18n();
  const location = useLocation();
  return (
    <details className="user-menu" key={location.pathname}>
      <summary aria-label={t('menu.label')} title={t('menu.signedInAs', { email })}>
        <span className="user-menu-email">{email}</span>
      </summary>
      <div className="user-menu-panel">
        <p className="user-menu-who">{t('menu.signedInAs', { email })}</p>
        <ul>
          <li>
            <Link to="/account">{t('menu.account')}</Link>
          </li>
          {current?.canManageUsers ? (
            <li>
              <Link to={`/w/${current.slug}/users`}>{t('menu.users')}</Link>
            </li>
          ) : null}
          {current?.canManageTokens ? (
            <li>
              <Link to={`/w/${current.slug}/tokens`}>{t('menu.tokens')}</Link>
            </li>
          ) : null}
        </ul>
        <Form method="post" action="/logout">
          <button type="submit" className="button button-secondary">
            {t('menu.signOut')}
          </button>
        </Form>
      </div>
    </details>
  );
}

/**
 * The interface language: a POST to /language stores it in the lp_lang
 * cookie and comes back to the same page (every loader then runs again in
 * the new language). Works without JavaScript through the button.
 */
function LanguageSwitcher() {
  const { t, lang } = useI18n();
  const fetcher = useFetcher();
  const location = useLocation();
  const isHydrated = useIsHydrated();
  return (
    <fetcher.Form method="post" action="/language" className="switcher switcher-language">
      <label htmlFor="language-switcher" className="visually-hidden">
        {t('shell.language')}
      </label>
      <select id="language-switcher" name="lang" key={lang} defaultValue={lang} onChange={(event) => fetcher.submit(event.currentTarget.form)}>
        {LANGUAGES.map((l) => (
          <option key={l} value={l} lang={l}>
            {LANGUAGE_NAMES[l]}
          </option>
        ))}
      </select>
      <input type="hidden" name="redirectTo" value={`${location.pathname}${location.search}`} />
      <button type="submit" className={isHydrated ? 'visually-hidden' : 'button'}>
        {t('shell.open')}
      </button>
    </fetcher.Form>
  );
}

/** The section of /w/:workspace/:section, so switching keeps the reader on the same page. */
function currentSection(pathname: string): SectionPath {
  const segment = pathname.split('/')[3] ?? '';
  return SECTION_PATHS.find((p) => p === segment) ?? '';
}
