import type { LinksFunction, LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useLoaderData, useSubmit } from '@remix-run/react';
import { useId, type ChangeEvent } from 'react';
import { BarChart, ROLE_COLORS } from '../components/charts';
import { GeneralErrorBoundary } from '../components/error-boundary';
import { FilterBar, filterValueLabel } from '../components/filter-bar';
import { PageHeader } from '../components/page-header';
import { LEAD_KINDS, OUTCOMES } from '../domain/pipeline';
import { useFormat, useI18n, type MessageKey } from '../i18n/i18n';
import { toSearchParams, type DashboardState } from '../lib/dashboard-params';
import { sectionMeta } from '../lib/meta';
import { getLeadsPage, type LeadListItem, type LeadListState } from '../models/leads.server';
import type { LeadOutcome } from '../reports/lead-timeline';
import leadStyles from '../styles/leads.css?url';

export const meta = sectionMeta('leads');
export const links: LinksFunction = () => [{ rel: 'stylesheet', href: leadStyles }];

export async function loader({ params, context, request }: LoaderFunctionArgs) {
  return getLeadsPage(context, params.workspace, request);
}

const DEFAULT_LIST: LeadListState = { q: '', outcome: [], stage: [], kind: [], sort: 'created_at', dir: 'desc', page: 1 };

/** `?query` of the dashboard state and the list state with a patch; defaults left out. */
function leadListSearch(state: DashboardState, list: LeadListState, patch: Partial<LeadListState> = {}): string {
  const next = { ...list, ...patch };
  const query = toSearchParams(state);
  if (next.q) query.set('q', next.q);
  for (const v of next.outcome) query.append('outcome', v);
  for (const v of next.stage) query.append('stage', v);
  for (const v of next.kind) query.append('kind', v);
  if (next.sort !== DEFAULT_LIST.sort || next.dir !== DEFAULT_LIST.dir) {
    query.set('sort', next.sort);
    query.set('dir', next.dir);
  }
  if (next.page > 1) query.set('page', String(next.page));
  const s = query.toString();
  return s ? `?${s}` : '';
}

type Column = {
  id: string;
  label: MessageKey;
  sort?: LeadListState['sort'];
  numeric?: boolean;
  cell: (row: LeadListItem) => JSX.Element | string;
};

export default function LeadsPage() {
  const data = useLoaderData<typeof loader>();
  const { t, tn } = useI18n();
  const f = useFormat();
  const { list, filterBar } = data;
  const state = filterBar.state;
  const pages = Math.max(1, Math.ceil(data.total / data.pageSize));
  const hasListFilter = list.q !== '' || list.outcome.length + list.stage.length + list.kind.length > 0;

  const outcomeRows = OUTCOMES.map((o) => ({ key: o, label: t(`leads.outcome.${o}`), values: { leads: data.byOutcome[o] } }));

  return (
    <>
      <PageHeader title={t('section.leads')} subtitle={data.workspace.name} />
      <FilterBar data={filterBar} hide={['compare', 'cohort']} />
      <SearchForm />

      <div className="panel-grid leads-summary">
        <section className="panel" aria-labelledby="leads-found">
          <h2 id="leads-found">{t('leads.found')}</h2>
          <dl className="facts">
            <div>
              <dt>{t('metric.leads')}</dt>
              <dd>{f.count(data.total)}</dd>
            </div>
            <div>
              <dt>{t('metric.sales')}</dt>
              <dd>{f.count(data.byOutcome.won)}</dd>
            </div>
            <div>
              <dt>{t('metric.revenue')}</dt>
              <dd>{f.money(data.wonRevenue)}</dd>
            </div>
          </dl>
          <p className="muted table-note">
            {t('leads.scopeNote', { model: t(`model.${state.model}`) })}
            {hasListFilter ? ` ${t('leads.listFiltered')}` : ''}
          </p>
        </section>
        <section className="panel">
          <BarChart
            title={t('leads.byOutcome')}
            rows={outcomeRows}
            series={[{ key: 'leads', label: t('metric.leads'), color: ROLE_COLORS.leads, format: (v) => f.count(v) }]}
            axisFormat={(v) => f.compact(v)}
            emptyMessage={t('leads.empty')}
          />
        </section>
      </div>

      <section className="panel" aria-labelledby="leads-table">
        <h2 id="leads-table">{t('leads.table')}</h2>
        <LeadTable />
        {data.total > 0 ? (
          <nav className="pager" aria-label={t('leads.pages')}>
            {list.page > 1 ? (
              <Link to={{ search: leadListSearch(state, list, { page: Math.min(list.page - 1, pages) }) }} preventScrollReset rel="prev">
                ← {t('leads.previous')}
              </Link>
            ) : (
              <span className="muted">← {t('leads.previous')}</span>
            )}
            <span role="status">
              {t('leads.pageOf', { page: list.page, pages })} ·{' '}
              {tn('leads.shown', data.total, {
                from: Math.min(data.total, (list.page - 1) * data.pageSize + 1),
                to: Math.min(data.total, list.page * data.pageSize),
              })}
            </span>
            {list.page < pages ? (
              <Link to={{ search: leadListSearch(state, list, { page: list.page + 1 }) }} preventScrollReset rel="next">
                {t('leads.next')} →
              </Link>
            ) : (
              <span className="muted">{t('leads.next')} →</span>
            )}
          </nav>
        ) : null}
      </section>
    </>
  );
}

function SearchForm() {
  const { list, filterBar, stages } = useLoaderData<typeof loader>();
  const { t } = useI18n();
  const submit = useSubmit();
  const ids = { q: useId(), outcome: useId(), stage: useId(), kind: useId() };
  const state = filterBar.state;
  const carried = [...toSearchParams(state)];
  // A change of a select applies at once (the search box on Enter or the button); the page starts over.
  const onChange = (event: ChangeEvent<HTMLSelectElement>) => submit(event.currentTarget.form, { preventScrollReset: true });
  const isFiltered = list.q !== '' || list.outcome.length + list.stage.length + list.kind.length > 0;
  return (
    <Form method="get" className="lead-search" role="search" aria-label={t('leads.search')} preventScrollReset key={`${list.q}|${list.outcome}|${list.stage}|${list.kind}`}>
      {carried.map(([key, value], i) => (
        <input key={`${key}-${i}`} type="hidden" name={key} value={value} />
      ))}
      {list.sort !== DEFAULT_LIST.sort || list.dir !== DEFAULT_LIST.dir ? (
        <>
          <input type="hidden" name="sort" value={list.sort} />
          <input type="hidden" name="dir" value={list.dir} />
        </>
      ) : null}
      <div className="field lead-search-text">
        <label htmlFor={ids.q}>{t('leads.search')}</label>
        <input id={ids.q} type="search" name="q" defaultValue={list.q} placeholder={t('leads.searchPlaceholder')} maxLength={200} />
      </div>
      <div className="field">
        <label htmlFor={ids.outcome}>{t('leads.col.outcome')}</label>
        <select id={ids.outcome} name="outcome" defaultValue={list.outcome[0] ?? ''} onChange={onChange}>
          <option value="">{t('filters.all')}</option>
          {OUTCOMES.map((o) => (
            <option key={o} value={o}>
              {t(`leads.outcome.${o}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={ids.stage}>{t('leads.col.stage')}</label>
        <select id={ids.stage} name="stage" defaultValue={list.stage[0] ?? ''} onChange={onChange}>
          <option value="">{t('filters.all')}</option>
          {[...stages, ...list.stage.filter((s) => !stages.includes(s))].map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={ids.kind}>{t('leads.col.kind')}</label>
        <select id={ids.kind} name="kind" defaultValue={list.kind[0] ?? ''} onChange={onChange}>
          <option value="">{t('filters.all')}</option>
          {LEAD_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`leads.kind.${k}`)}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="button">
        {t('leads.searchButton')}
      </button>
      {isFiltered ? (
        <Link className="filter-reset" to={{ search: leadListSearch(state, DEFAULT_LIST, { sort: list.sort, dir: list.dir }) }} preventScrollReset>
          {t('leads.clearSearch')}
        </Link>
      ) : null}
    </Form>
  );
}

function LeadTable() {
  const data = useLoaderData<typeof loader>();
  const i18n = useI18n();
  const { t } = i18n;
  const f = useFormat();
  const { list, filterBar, workspace } = data;
  const state = filterBar.state;
  const carried = leadListSearch(state, DEFAULT_LIST);

  const columns: Column[] = [
    {
      id: 'lead_id',
      label: 'leads.col.lead',
      sort: 'lead_id',
      cell: (r) => (
        <Link to={{ pathname: `/w/${workspace.slug}/leads/${encodeURIComponent(r.leadId)}`, search: carried }} className="lead-link">
          {r.leadId}
        </Link>
      ),
    },
    { id: 'created_at', label: 'leads.col.created', sort: 'created_at', cell: (r) => f.dateTime(new Date(r.createdAt), workspace.timeZone) },
    {
      id: 'channel',
      label: 'dim.channel',
      sort: 'channel',
      cell: (r) =>
        r.channel === null ? (
          <span className="muted">{t('dim.none')}</span>
        ) : (
          <span title={`${r.source ?? ''} / ${r.medium ?? ''}${r.campaign ? ` · ${r.campaign}` : ''}`}>{filterValueLabel(i18n, 'channel', r.channel)}</span>
        ),
    },
    { id: 'stage', label: 'leads.col.stage', sort: 'stage', cell: (r) => r.stage },
    { id: 'outcome', label: 'leads.col.outcome', sort: 'outcome', cell: (r) => <OutcomeBadge outcome={r.outcome} /> },
    { id: 'amount', label: 'leads.col.amount', sort: 'amount', numeric: true, cell: (r) => (r.amount === null ? '—' : f.money(r.amount)) },
    { id: 'manager', label: 'dim.manager', sort: 'manager', cell: (r) => r.manager || <span className="muted">{t('dim.none')}</span> },
    { id: 'region', label: 'dim.region', sort: 'region', cell: (r) => r.region || <span className="muted">{t('dim.none')}</span> },
    { id: 'touches', label: 'leads.col.touches', sort: 'touches', numeric: true, cell: (r) => f.count(r.touches) },
    {
      id: 'path',
      label: 'leads.col.path',
      cell: (r) => (
        <span className="lead-path" title={r.path}>
          {r.path
            .split(' > ')
            .map((c) => filterValueLabel(i18n, 'channel', c))
            .join(' → ')}
        </span>
      ),
    },
    ...(data.showContacts
      ? [{ id: 'contact', label: 'leads.col.contact' as const, cell: (r: LeadListItem) => <span className="lead-contact">{[r.phone, r.email].filter(Boolean).join(' · ')}</span> }]
      : []),
  ];

  const sortLink = (sort: LeadListState['sort']) => {
    const dir = list.sort === sort ? (list.dir === 'asc' ? 'desc' : 'asc') : sort === 'created_at' || sort === 'amount' || sort === 'touches' ? 'desc' : 'asc';
    return leadListSearch(state, list, { sort, dir, page: 1 });
  };

  return (
    <div className="table-scroll" role="region" aria-label={t('leads.table')} tabIndex={0}>
      <table className="data-table lead-table">
        <caption className="visually-hidden">{t('leads.table')}</caption>
        <thead>
          <tr>
            {columns.map((c) => {
              const isSorted = c.sort !== undefined && list.sort === c.sort;
              return (
                <th key={c.id} scope="col" className={c.numeric ? 'num' : undefined} aria-sort={isSorted ? (list.dir === 'asc' ? 'ascending' : 'descending') : undefined}>
                  {c.sort ? (
                    <Link className="sort-button" to={{ search: sortLink(c.sort) }} preventScrollReset>
                      {t(c.label)}
                      <span className="sort-mark" aria-hidden="true">
                        {isSorted ? (list.dir === 'asc' ? '▲' : '▼') : ''}
                      </span>
                    </Link>
                  ) : (
                    t(c.label)
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {data.rows.length === 0 ? (
            <tr>
              <td colSpan={columns.length} className="table-empty">
                {data.total > 0 ? t('leads.pastEnd') : list.q ? t('leads.noMatch', { query: list.q }) : t('leads.empty')}
              </td>
            </tr>
          ) : (
            data.rows.map((r) => (
              <tr key={r.leadId}>
                {columns.map((c) => (
                  <td key={c.id} className={c.numeric ? 'num' : undefined}>
                    {c.cell(r)}
                  </td>
                ))}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}

function OutcomeBadge({ outcome }: { outcome: LeadOutcome }) {
  const { t } = useI18n();
  return <span className={`badge badge-outcome-${outcome}`}>{t(`leads.outcome.${outcome}`)}</span>;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
