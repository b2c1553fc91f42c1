import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { GeneralErrorBoundary } from '../components/error-boundary';
import { PageHeader } from '../components/page-header';
import { useI18n } from '../i18n/i18n';
import { pageTitle } from '../lib/meta';
import { getHome } from '../models/account.server';

export const meta: MetaFunction = () => [{ title: pageTitle('Welcome') }];

// No users yet → /setup; signed out → /login; else the user's first workspace.
export async function loader({ request, context }: LoaderFunctionArgs) {
  return getHome(request, context);
}

// Only reached by a signed-in user who belongs to no workspace.
export default function Welcome() {
  const { t } = useI18n();
  return (
    <>
      <PageHeader title="Leadpath" />
      <section className="panel empty-state" aria-labelledby="no-workspaces">
        <h2 id="no-workspaces">{t('home.noWorkspace.title')}</h2>
        <p>{t('home.noWorkspace.text')}</p>
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
