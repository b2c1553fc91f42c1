import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { ROLE_LABELS } from '../components/app-shell';
import { GeneralErrorBoundary } from '../components/error-boundary';
import { FormField } from '../components/form-field';
import { PageHeader } from '../components/page-header';
import { useI18n } from '../i18n/i18n';
import { pageTitle } from '../lib/meta';
import { accountAction, getAccountPage } from '../models/account.server';
import { sectionHref } from '../sections';
import accountStyles from '../styles/account.css?url';
import editorStyles from '../styles/editors.css?url';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: editorStyles },
  { rel: 'stylesheet', href: accountStyles },
];

export const meta: MetaFunction = () => [{ title: pageTitle('Your account') }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  return getAccountPage(request, context);
}

export async function action({ request, context }: ActionFunctionArgs) {
  return accountAction(request, context);
}

export default function Account() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useI18n();
  const busy = useNavigation().state === 'submitting';
  const errors = result && !result.ok ? result.errors : {};

  return (
    <>
      <PageHeader title={t('account.title')} subtitle={page.email} />
      <section className="panel" aria-labelledby="workspaces-heading">
        <h2 id="workspaces-heading">{t('account.workspaces')}</h2>
        {page.memberships.length === 0 ? (
          <p className="muted">{t('account.noWorkspaces')}</p>
        ) : (
          <div className="table-scroll">
            <table className="members-table" aria-labelledby="workspaces-heading">
              <thead>
                <tr>
                  <th scope="col">{t('account.workspace')}</th>
                  <th scope="col">{t('account.role')}</th>
                  <th scope="col">{t('account.managerName')}</th>
                </tr>
              </thead>
              <tbody>
                {page.memberships.map((m) => (
                  <tr key={m.slug}>
                    <td>
                      <Link to={sectionHref(m.slug, '')}>{m.name}</Link>
                    </td>
                    <td>{t(ROLE_LABELS[m.role])}</td>
                    <td>{m.managerName ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="panel" aria-labelledby="password-heading">
        <h2 id="password-heading">{t('account.changePassword')}</h2>
        <p className="muted">{t('account.changePasswordHelp')}</p>
        {/* A successful change remounts the form empty (the key changes). */}
        <Form method="post" className="auth-form form-narrow" key={result?.ok ? 'changed' : 'form'}>
          <FormField label={t('account.currentPassword')} name="current" type="password" autoComplete="current-password" required error={errors.current} />
          <FormField
            label={t('auth.newPassword')}
            name="password"
            type="password"
            autoComplete="new-password"
            required
            minLength={10}
            maxLength={200}
            hint={t('auth.passwordHint')}
            error={errors.password}
          />
          <FormField label={t('auth.confirmPassword')} name="confirm" type="password" autoComplete="new-password" required error={errors.confirm} />
          <button type="submit" className="button" disabled={busy}>
            {busy ? t('account.submitting') : t('account.submit')}
          </button>
          {result?.ok ? (
            <p className="form-success" role="status">
              {t('account.changed')}
            </p>
          ) : null}
        </Form>
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
