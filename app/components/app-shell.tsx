import { Form, Link, NavLink, useLocation, useNavigation, useParams, useSubmit } from '@remix-run/react';
import { useEffect, useState, type ReactNode } from 'react';
import type { WorkspaceInfo } from '../models/workspace.server';
import { SECTIONS, SECTION_PATHS, sectionHref, type SectionPath } from '../sections';

// Top bar (product, workspace switcher), section navigation and the main area.
// The workspace comes from the URL; an unknown or absent one falls back to the
// first, so even the 404 page offers a way back.
export function AppShell({ workspaces, children }: { workspaces: WorkspaceInfo[]; children: ReactNode }) {
  const params = useParams();
  const navigation = useNavigation();
  const current = workspaces.find((w) => w.slug === params.workspace) ?? workspaces[0];
  const isPending = navigation.state === 'loading';

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="brand" aria-label="Leadpath home">
          <svg className="brand-mark" viewBox="0 0 24 24" aria-hidden="true">
            <path d="M4 18 L10 11 L14 14 L20 6" fill="none" stroke="currentColor" strokeWidth="2.5" strokeLinecap="round" strokeLinejoin="round" />
            <circle cx="20" cy="6" r="2.5" fill="currentColor" />
          </svg>
          <span>Leadpath</span>
        </Link>
        {current ? <WorkspaceSwitcher workspaces={workspaces} current={current.slug} /> : null}
      </header>
      <div className="shell-body">
        {current ? (
          <nav className="sidenav" aria-label="Sections">
            <ul>
              {SECTIONS.map((s) => (
                <li key={s.path}>
                  <NavLink to={sectionHref(current.slug, s.path)} end={s.path === ''} prefetch="intent">
                    {s.label}
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

function WorkspaceSwitcher({ workspaces, current }: { workspaces: WorkspaceInfo[]; current: string }) {
  const submit = useSubmit();
  const isHydrated = useIsHydrated();
  const section = currentSection(useLocation().pathname);

  return (
    // A plain GET form: without JavaScript the button submits it; with
    // JavaScript picking a workspace is enough.
    <Form method="get" action="/switch-workspace" className="switcher">
      <label htmlFor="workspace-switcher">Workspace</label>
      <select
        id="workspace-switcher"
        name="workspace"
        key={current}
        defaultValue={current}
        onChange={(event) => submit(event.currentTarget.form)}
      >
        {workspaces.map((w) => (
          <option key={w.slug} value={w.slug}>
            {w.name}
          </option>
        ))}
      </select>
      <input type="hidden" name="section" value={section} />
      <button type="submit" className={isHydrated ? 'visually-hidden' : 'button'}>
        Open
      </button>
    </Form>
  );
}

/** The section of /w/:workspace/:section, so switching keeps the reader on the same page. */
function currentSection(pathname: string): SectionPath {
  const segment = pathname.split('/')[3] ?? '';
  return SECTION_PATHS.find((p) => p === segment) ?? '';
}

function useIsHydrated(): boolean {
  const [isHydrated, setIsHydrated] = useState(false);
  useEffect(() => setIsHydrated(true), []);
  return isHydrated;
}
