import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { useId } from 'react';
import { GeneralErrorBoundary } from '../components/error-boundary';
import { errorProps, FieldError } from '../components/field-error';
import { PageHeader } from '../components/page-header';
import { useFormat, useI18n } from '../i18n/i18n';
import { pageTitle } from '../lib/meta';
import { getTokensPage, tokensAction } from '../models/tokens.server';
import editorStyles from '../styles/editors.css?url';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: editorStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: pageTitle('API tokens', data?.workspace.name) }];

export async function loader({ params, context, request }: LoaderFunctionArgs) {
  return getTokensPage(context, params.workspace, request);
}

export async function action({ params, context, request }: ActionFunctionArgs) {
  return tokensAction(context, params.workspace, request);
}

export default function TokensPageView() {
  const data = useLoaderData<typeof loader>();
  const { t } = useI18n();
  return (
    <>
      <PageHeader title={t('tokens.title')} subtitle={data.workspace.name} />
      <CreateToken />
      <TokenList />
    </>
  );
}

function CreateToken() {
  const { t } = useI18n();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const ids = { name: useId(), scope: useId(), token: useId() };
  const created = result?.intent === 'create' && result.ok ? result : undefined;
  const failed = result?.intent === 'create' && !result.ok ? result : undefined;
  const errors = failed?.errors ?? {};
  return (
    <section className="panel" aria-labelledby="create-token-heading">
      <h2 id="create-token-heading">{t('tokens.create')}</h2>
      <p className="muted">{t('tokens.createHelp')}</p>
      {created ? (
        <div className="panel notice" role="status">
          <p>
            <strong>{t('tokens.createdTitle', { name: created.name })}</strong> {t('tokens.createdOnce')}
          </p>
          <div className="field">
            <label htmlFor={ids.token}>{t('tokens.token')}</label>
            <input id={ids.token} className="input" readOnly value={created.token} size={60} spellCheck={false} onFocus={(e) => e.currentTarget.select()} />
          </div>
        </div>
      ) : null}
      <Form method="post" className="form-grid" key={created?.token ?? 'new'}>
        <input type="hidden" name="intent" value="create" />
        <div className="field">
          <label htmlFor={ids.name}>{t('tokens.name')}</label>
          <input id={ids.name} name="name" className="input" maxLength={100} defaultValue={failed?.values.name ?? ''} placeholder={t('tokens.namePlaceholder')} {...errorProps(`${ids.name}-e`, errors.name)} />
          <FieldError id={`${ids.name}-e`} error={errors.name} />
        </div>
        <div className="field">
          <label htmlFor={ids.scope}>{t('tokens.scope')}</label>
          <select id={ids.scope} name="scope" className="input" defaultValue={failed?.values.scope ?? 'ingest'} {...errorProps(`${ids.scope}-e`, errors.scope)}>
            <option value="ingest">{t('tokens.scope.ingest')}</option>
            <option value="read">{t('tokens.scope.read')}</option>
          </select>
          <FieldError id={`${ids.scope}-e`} error={errors.scope} />
        </div>
        <div className="editor-buttons">
          <button type="submit" className="button" disabled={navigation.state === 'submitting'}>
            {t('tokens.createButton')}
          </button>
        </div>
      </Form>
    </section>
  );
}

function TokenList() {
  const data = useLoaderData<typeof loader>();
  const { t } = useI18n();
  const f = useFormat();
  const when = (iso: string | null) => (iso ? f.dateTime(new Date(iso), data.workspace.timeZone) : t('tokens.never'));
  return (
    <section className="panel" aria-labelledby="token-list-heading">
      <h2 id="token-list-heading">{t('tokens.list')}</h2>
      {data.tokens.length === 0 ? (
        <p className="muted">{t('tokens.none')}</p>
      ) : (
        <div className="table-scroll">
        <table className="data-table" aria-labelledby="token-list-heading">
          <thead>
            <tr>
              <th scope="col">{t('tokens.name')}</th>
              <th scope="col">{t('tokens.scope')}</th>
              <th scope="col">{t('tokens.created')}</th>
              <th scope="col">{t('tokens.lastUsed')}</th>
              <th scope="col">{t('tokens.status')}</th>
            </tr>
          </thead>
          <tbody>
            {data.tokens.map((token) => (
              <tr key={token.id}>
                <td>{token.name}</td>
                <td>{t(token.scope === 'ingest' ? 'tokens.scope.ingest' : 'tokens.scope.read')}</td>
                <td>
                  {when(token.createdAt)}
                  {token.createdBy ? <span className="muted"> · {token.createdBy}</span> : null}
                </td>
                <td>{when(token.lastUsedAt)}</td>
                <td>
                  {token.revokedAt ? (
                    t('tokens.revokedAt', { when: when(token.revokedAt) })
                  ) : (
                    <Form method="post">
                      <input type="hidden" name="intent" value="revoke" />
                      <input type="hidden" name="id" value={token.id} />
                      <button type="submit" className="button button-secondary" aria-label={t('tokens.revokeNamed', { name: token.name })}>
                        {t('tokens.revoke')}
                      </button>
                    </Form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      )}
      <p className="muted">{t('tokens.apiHelp')}</p>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
