import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { ROLE_LABELS } from '../components/app-shell';
import { GeneralErrorBoundary } from '../components/error-boundary';
import { FormField, useFormErrorText } from '../components/form-field';
import { useI18n } from '../i18n/i18n';
import { pageTitle } from '../lib/meta';
import { getInvitePage, inviteAction } from '../models/account.server';
import accountStyles from '../styles/account.css?url';
import editorStyles from '../styles/editors.css?url';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: editorStyles },
  { rel: 'stylesheet', href: accountStyles },
];

export const meta: MetaFunction = () => [{ title: pageTitle('Invitation') }];

// A one-time invitation link. Unknown or revoked → 404, used or expired → 410,
// each with a page that says what to do next.
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  return getInvitePage(request, context, params.token);
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  return inviteAction(request, context, params.token);
}

export default function Invite() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useI18n();
  const busy = useNavigation().state === 'submitting';
  const failure = result && 'ok' in result && !result.ok ? result : undefined;
  const formError = useFormErrorText(failure, page.state === 'open' ? { email: page.signedInAs ?? '', invited: page.email } : undefined);

  if (page.state === 'gone') {
    return (
      <section className="panel auth-page" aria-labelledby="invite-title">
        <h1 id="invite-title">{t('invite.gone.title')}</h1>
        <p>{t(`invite.gone.${page.reason}`)}</p>
        <p>
          <Link to="/login">{t('invite.gone.home')}</Link>
        </p>
      </section>
    );
  }

  const errors = failure?.errors ?? {};
  const role = t(ROLE_LABELS[page.role]);

  return (
    <section className="panel auth-page" aria-labelledby="invite-title">
      <h1 id="invite-title">{t('invite.title', { workspace: page.workspaceName })}</h1>
      <p className="auth-summary">{t('invite.summary', { workspace: page.workspaceName, role })}</p>
      {page.mode === 'other' ? (
        <p className="form-error" role="alert">
          {t('invite.otherAccount', { email: page.signedInAs ?? '', invited: page.email })}
        </p>
      ) : (
        <Form method="post" className="auth-form">
          <p className="muted">{t('invite.for', { email: page.email })}</p>
          {page.mode === 'new' ? (
            <>
              <p>{t('invite.setPassword')}</p>
              <input type="email" name="email" value={page.email} autoComplete="username" readOnly hidden />
              <FormField
                label={t('auth.password')}
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
            </>
          ) : page.mode === 'existing' ? (
            <>
              <p>{t('invite.signIn')}</p>
              <input type="email" name="email" value={page.email} autoComplete="username" readOnly hidden />
              <FormField label={t('auth.password')} name="password" type="password" autoComplete="current-password" required error={errors.password} />
            </>
          ) : (
            <p>{t('invite.join', { email: page.signedInAs ?? '' })}</p>
          )}
          {formError ? (
            <p className="form-error" role="alert">
              {formError}
            </p>
          ) : null}
          <button type="submit" className="button" disabled={busy}>
            {busy
              ? t('invite.submitting')
              : page.mode === 'new'
                ? t('invite.submitNew')
                : page.mode === 'existing'
                  ? t('invite.submitExisting')
                  : t('invite.submitJoin', { workspace: page.workspaceName })}
          </button>
        </Form>
      )}
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
