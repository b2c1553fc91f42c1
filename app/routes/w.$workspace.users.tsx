import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { useId, useState } from 'react';
import type { Role } from '../../db/schema';
import { ROLE_LABELS } from '../components/app-shell';
import { GeneralErrorBoundary } from '../components/error-boundary';
import { errorProps, FieldError } from '../components/field-error';
import { FormField } from '../components/form-field';
import { useIsHydrated } from '../components/use-is-hydrated';
import { PageHeader } from '../components/page-header';
import { useI18n } from '../i18n/i18n';
import { pageTitle } from '../lib/meta';
import { getUsersPage, usersAction, type MemberInfo, type UsersActionResult } from '../models/account.server';
import accountStyles from '../styles/account.css?url';
import editorStyles from '../styles/editors.css?url';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: editorStyles },
  { rel: 'stylesheet', href: accountStyles },
];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: pageTitle('Users', data?.workspace.name) }];

// Owner only (users:manage): members and their roles, pending invitations,
// and new invitation links (shown once).
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  return getUsersPage(request, context, params.workspace);
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  return usersAction(request, context, params.workspace);
}

export default function Users() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t, locale } = useI18n();
  const managersId = useId();
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: page.workspace.timeZone });

  return (
    <>
      <PageHeader title={t('users.title')} subtitle={t('users.subtitle', { workspace: page.workspace.name })} />
      <datalist id={managersId}>
        {page.managerNames.map((m) => (
          <option key={m} value={m} />
        ))}
      </datalist>

      <section className="panel" aria-labelledby="members-heading">
        <h2 id="members-heading">{t('users.members')}</h2>
        {result?.ok && (result.intent === 'update' || result.intent === 'remove') ? (
          <p className="form-success" role="status">
            {result.intent === 'remove' ? t('users.removed', { email: result.email ?? '' }) : t('users.saved')}
          </p>
        ) : null}
        {result && !result.ok && result.intent === 'remove' ? (
          <p className="form-error" role="alert">
            {t(result.errors.form === 'users.error.lastOwner' ? 'users.error.lastOwner' : 'users.error.unknownMember')}
          </p>
        ) : null}
        <div className="table-scroll">
          <table className="members-table" aria-labelledby="members-heading">
            <thead>
              <tr>
                <th scope="col">{t('users.email')}</th>
                <th scope="col">
                  {t('users.role')} / {t('users.managerName')}
                </th>
                <th scope="col">
                  <span className="visually-hidden">{t('users.remove')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {page.members.map((m) => (
                <MemberRow key={`${m.userId}:${m.role}:${m.managerName ?? ''}`} member={m} roles={page.roles} managersId={managersId} result={result} />
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="panel" aria-labelledby="invites-heading">
        <h2 id="invites-heading">{t('users.invites')}</h2>
        {result?.ok && result.intent === 'revoke' ? (
          <p className="form-success" role="status">
            {t('users.revoked')}
          </p>
        ) : null}
        {page.invites.length === 0 ? (
          <p className="muted">{t('users.noInvites')}</p>
        ) : (
          <div className="table-scroll">
            <table className="members-table" aria-labelledby="invites-heading">
              <thead>
                <tr>
                  <th scope="col">{t('users.email')}</th>
                  <th scope="col">{t('users.role')}</th>
                  <th scope="col">{t('users.managerName')}</th>
                  <th scope="col">{t('users.expires')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('users.revoke')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {page.invites.map((i) => (
                  <tr key={i.id}>
                    <td>{i.email}</td>
                    <td>{t(ROLE_LABELS[i.role])}</td>
                    <td>{i.managerName ?? ''}</td>
                    <td>{dateTime.format(new Date(i.expiresAt))}</td>
                    <td>
                      <Form method="post">
                        <input type="hidden" name="intent" value="revoke" />
                        <input type="hidden" name="inviteId" value={i.id} />
                        <button type="submit" className="button button-secondary" aria-label={t('users.revokeLabel', { email: i.email })}>
                          {t('users.revoke')}
                        </button>
                      </Form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <InviteForm roles={page.roles} managersId={managersId} result={result} />
    </>
  );
}

function RoleSelect(props: { roles: readonly Role[]; value: string; onChange(role: string): void; id: string; label?: string; error?: string }) {
  const { t } = useI18n();
  return (
    <select
      id={props.id}
      name="role"
      className="input"
      value={props.value}
      onChange={(e) => props.onChange(e.currentTarget.value)}
      aria-label={props.label}
      {...errorProps(`${props.id}-e`, props.error)}
    >
      {props.roles.map((r) => (
        <option key={r} value={r}>
          {t(ROLE_LABELS[r])}
        </option>
      ))}
    </select>
  );
}

/** The manager name matters only for a sales manager: hidden for other roles once JavaScript runs. */
function useManagerNameHidden(role: string, error: string | undefined): boolean {
  return useIsHydrated() && role !== 'manager' && !error;
}

function MemberRow({ member, roles, managersId, result }: { member: MemberInfo; roles: readonly Role[]; managersId: string; result: UsersActionResult | undefined }) {
  const { t } = useI18n();
  const id = useId();
  const failed = result && !result.ok && result.intent === 'update' && result.userId === member.userId ? result : undefined;
  const [role, setRole] = useState<string>(failed?.values.role ?? member.role);
  const errors = failed?.errors ?? {};
  const hideManagerName = useManagerNameHidden(role, errors.managerName);
  return (
    <tr>
      <td>
        {member.email}
        {member.isYou ? (
          <>
            {' '}
            <span className="you-badge">({t('users.you')})</span>
          </>
        ) : null}
      </td>
      <td>
        <Form method="post" className="member-form">
          <input type="hidden" name="intent" value="update" />
          <input type="hidden" name="userId" value={member.userId} />
          <div className="field">
            <RoleSelect id={`${id}-role`} roles={roles} value={role} onChange={setRole} label={t('users.roleOf', { email: member.email })} error={errors.role} />
            <FieldError id={`${id}-role-e`} error={errors.role} />
          </div>
          <div className="field" hidden={hideManagerName}>
            <input
              name="managerName"
              className="input"
              list={managersId}
              defaultValue={failed?.values.managerName ?? member.managerName ?? ''}
              placeholder={t('users.managerName')}
              aria-label={t('users.managerNameOf', { email: member.email })}
              maxLength={200}
              {...errorProps(`${id}-mn-e`, errors.managerName)}
            />
            <FieldError id={`${id}-mn-e`} error={errors.managerName} />
          </div>
          <button type="submit" className="button button-secondary">
            {t('users.save')}
          </button>
        </Form>
      </td>
      <td>
        <Form method="post">
          <input type="hidden" name="intent" value="remove" />
          <input type="hidden" name="userId" value={member.userId} />
          <button type="submit" className="button button-secondary" aria-label={t('users.removeLabel', { email: member.email })}>
            {t('users.remove')}
          </button>
        </Form>
      </td>
    </tr>
  );
}

function InviteForm({ roles, managersId, result }: { roles: readonly Role[]; managersId: string; result: UsersActionResult | undefined }) {
  const { t } = useI18n();
  const id = useId();
  const busy = useNavigation().state === 'submitting';
  const created = result?.ok && result.intent === 'invite' ? result : undefined;
  const failed = result && !result.ok && result.intent === 'invite' ? result : undefined;
  const errors = failed?.errors ?? {};
  const [role, setRole] = useState<string>(failed?.values.role ?? 'viewer');
  const hideManagerName = useManagerNameHidden(role, errors.managerName);

  return (
    <section className="panel" aria-labelledby="invite-heading">
      <h2 id="invite-heading">{t('users.invite')}</h2>
      <p className="muted">{t('users.inviteHelp')}</p>
      {/* A created link empties the form (the key changes). */}
      <Form method="post" className="form-grid" key={created?.link ?? 'invite'}>
        <input type="hidden" name="intent" value="invite" />
        <FormField className="field-grow" label={t('users.email')} name="email" type="email" required defaultValue={failed?.values.email ?? ''} error={errors.email} />
        <div className="field">
          <label htmlFor={`${id}-role`}>{t('users.role')}</label>
          <RoleSelect id={`${id}-role`} roles={roles} value={role} onChange={setRole} error={errors.role} />
          <FieldError id={`${id}-role-e`} error={errors.role} />
        </div>
        <FormField
          hidden={hideManagerName}
          label={t('users.managerName')}
          name="managerName"
          list={managersId}
          maxLength={200}
          defaultValue={failed?.values.managerName ?? ''}
          hint={t('users.managerNameHelp')}
          error={errors.managerName}
        />
        <div className="editor-buttons">
          <button type="submit" className="button" disabled={busy}>
            {t('users.inviteSubmit')}
          </button>
        </div>
      </Form>
      {created ? <InviteLink email={created.email} link={created.link} /> : null}
    </section>
  );
}

function InviteLink({ email, link }: { email: string; link: string }) {
  const { t } = useI18n();
  const id = useId();
  const isHydrated = useIsHydrated();
  const [copied, setCopied] = useState(false);
  return (
    <div className="invite-link" role="status">
      <label htmlFor={id}>{t('users.inviteLink', { email })}</label>
      <input id={id} className="input" value={link} readOnly onFocus={(e) => e.currentTarget.select()} />
      {isHydrated ? (
        <button
          type="button"
          className="button"
          onClick={() => {
            void navigator.clipboard?.writeText(link).then(() => setCopied(true));
          }}
        >
          {copied ? t('users.copied') : t('users.copy')}
        </button>
      ) : null}
      <p className="field-hint">{t('users.inviteLinkHelp')}</p>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
