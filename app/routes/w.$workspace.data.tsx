import type { LinksFunction } from '@remix-run/node';
import { NavLink, Outlet, useParams, useRouteLoaderData } from '@remix-run/react';
import { GeneralErrorBoundary } from '../components/error-boundary';
import { PageHeader } from '../components/page-header';
import { useI18n, type MessageKey } from '../i18n/i18n';
import { sectionMeta } from '../lib/meta';
import editorStyles from '../styles/editors.css?url';
import type { loader as workspaceLoader } from './w.$workspace';

// The Data section: one header and a tab per job (import, pipeline and
// settings, channel rules, coverage, presets); each tab is its own route.
export const meta = sectionMeta('data');
export const links: LinksFunction = () => [{ rel: 'stylesheet', href: editorStyles }];

const TABS: { path: string; label: MessageKey }[] = [
  { path: '', label: 'data.tab.import' },
  { path: 'coverage', label: 'data.tab.coverage' },
  { path: 'rules', label: 'data.tab.rules' },
  { path: 'settings', label: 'data.tab.settings' },
  { path: 'presets', label: 'data.tab.presets' },
];

export default function DataLayout() {
  const { t } = useI18n();
  const { workspace = '' } = useParams();
  const layout = useRouteLoaderData<typeof workspaceLoader>('routes/w.$workspace');
  return (
    <>
      <PageHeader title={t('section.data')} subtitle={layout?.workspace.name} />
      <nav className="tabs" aria-label={t('data.tabs')}>
        <ul>
          {TABS.map((tab) => (
            <li key={tab.path}>
              <NavLink to={`/w/${workspace}/data${tab.path ? `/${tab.path}` : ''}`} end={tab.path === ''} prefetch="intent">
                {t(tab.label)}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Outlet />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
