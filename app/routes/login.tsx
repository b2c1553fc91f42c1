import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { GeneralErrorBoundary } from '../components/error-boundary';
import { FormField, useFormErrorText } from '../components/form-field';
import { useI18n } from '../i18n/i18n';
import { pageTitle } from '../lib/meta';
import { getLoginPage, loginAction } from '../models/account.server';
import accountStyles from '../styles/account.css?url';
import editorStyles from '../styles/editors.css?url';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: editorStyles },
  { rel: 'stylesheet', href: accountStyles },
];

export const meta: MetaFunction = () => [{ title: pageTitle('Sign in') }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  return getLoginPage(request, context);
}

export async function action({ request, context }: ActionFunctionArgs) {
  return loginAction(request, context);
}

export default function Login() {
  const { next } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useI18n();
  const busy = useNavigation().state === 'submitting';
  const errors = result?.errors ?? {};
  const formError = useFormErrorText(result);

  return (
    <section className="panel auth-page" aria-labelledby="login-title">
      <h1 id="login-title">{t('login.title')}</h1>
      <p className="muted">{t('login.subtitle')}</p>
      <Form method="post" className="auth-form" replace>
        <input type="hidden" name="next" value={next} />
        <FormField
          label={t('auth.email')}
          name="email"
          type="email"
          autoComplete="username"
          required
          defaultValue={result?.values.email ?? ''}
          error={errors.email}
        />
        <FormField label={t('auth.password')} name="password" type="password" autoComplete="current-password" required error={errors.password} />
        {formError ? (
          <p className="form-error" role="alert">
            {formError}
          </p>
        ) : null}
        <button type="submit" className="button" disabled={busy}>
          {busy ? t('login.submitting') : t('login.submit')}
        </button>
      </Form>
      <p className="auth-note">{t('login.forgot')}</p>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
