import { Form, Link, useLocation, useNavigate } from '@remix-run/react';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useFormat, useI18n, type I18n } from '../i18n/i18n';
import {
  COMPARE_MODES,
  dashboardSearch,
  parseDashboard,
  RANGE_PRESETS,
  toSearchParams,
  type DashboardState,
  type DayRange,
  type FilterOptions,
} from '../lib/dashboard-params';
import { ATTRIBUTION_MODELS, COHORT_MODES, FILTER_KEYS, type FilterKey } from '../reports/params';
import { useIsHydrated } from './use-is-hydrated';

// The filter bar at the top of every dashboard page. It is a plain GET form
// over the URL state of app/lib/dashboard-params.ts, so it works without
// JavaScript (an Apply button submits it) and every view is a link. With
// JavaScript, a change navigates at once to the canonical URL (defaults left
// out), so Back and Forward step through the views.
//
// Loader:  filterBar: await getFilterBarData(db, ws, dashboard)   (app/models/dashboard.server.ts)
// Page:    <FilterBar data={filterBar} hide={['cohort']} />

export interface FilterBarData {
  state: DashboardState;
  options: FilterOptions;
  /** The comparison period, when there is one. */
  comparison: DayRange | null;
}

/** Controls a page may leave out when they do not apply to it. */
export type FilterBarField = 'compare' | 'model' | 'cohort' | FilterKey;

export function FilterBar(props: { data: FilterBarData; hide?: FilterBarField[] }) {
  // Keyed by the URL state: after a navigation the form starts from what the URL says.
  const key = `${toSearchParams(props.data.state).toString()}|${props.data.state.today}`;
  return <FilterBarForm key={key} {...props} />;
}

function FilterBarForm({ data, hide = [] }: { data: FilterBarData; hide?: FilterBarField[] }) {
  const { t } = useI18n();
  const f = useFormat();
  const navigate = useNavigate();
  const location = useLocation();
  const isHydrated = useIsHydrated();
  const { state } = data;
  const [range, setRange] = useState(state.range);
  const [from, setFrom] = useState(state.from);
  const [to, setTo] = useState(state.to);
  const datesChanged = from !== state.from || to !== state.to;
  const shows = (field: FilterBarField) => !hide.includes(field);
  const ids = { range: useId(), from: useId(), to: useId(), compare: useId(), model: useId(), cohort: useId(), more: useId() };
  const activeFilters = FILTER_KEYS.filter((k) => (state.filters[k]?.length ?? 0) > 0).length;

  const go = (form: HTMLFormElement | null) => {
    if (!form) return;
    const query = new URLSearchParams();
    for (const [name, value] of new FormData(form)) if (typeof value === 'string') query.append(name, value);
    const canonical = toSearchParams(parseDashboard(query, state.today).state).toString();
    navigate({ pathname: location.pathname, search: canonical ? `?${canonical}` : '' }, { preventScrollReset: true });
  };
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    go(event.currentTarget);
  };
  const isDefault = dashboardSearch(state, { by: undefined }) === '';

  return (
    <Form method="get" className="filter-bar" aria-label={t('filters.title')} onSubmit={onSubmit}>
      {state.by ? <input type="hidden" name="by" value={state.by} /> : null}
      <div className="filter-row">
        <div className="field">
          <label htmlFor={ids.range}>{t('filters.period')}</label>
          <select
            id={ids.range}
            name="range"
            value={range}
            onChange={(event) => {
              setRange(event.currentTarget.value as DashboardState['range']);
              go(event.currentTarget.form);
            }}
          >
            {RANGE_PRESETS.map((p) => (
              <option key={p} value={p}>
                {t(`range.${p}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field field-dates">
          <span className="field-pair">
            <label htmlFor={ids.from}>{t('filters.from')}</label>
            <input
              id={ids.from}
              type="date"
              name="from"
              value={from}
              max={to}
              required
              onChange={(event) => {
                setFrom(event.currentTarget.value);
                setRange('custom');
              }}
            />
          </span>
          <span className="field-pair">
            <label htmlFor={ids.to}>{t('filters.to')}</label>
            <input
              id={ids.to}
              type="date"
              name="to"
              value={to}
              min={from}
              required
              onChange={(event) => {
                setTo(event.currentTarget.value);
                setRange('custom');
              }}
            />
          </span>
          {datesChanged && isHydrated ? (
            <button type="submit" className="button">
              {t('filters.apply')}
            </button>
          ) : null}
        </div>
        {shows('compare') ? (
          <div className="field">
            <label htmlFor={ids.compare}>{t('filters.compare')}</label>
            <select id={ids.compare} name="compare" defaultValue={state.compare} onChange={(e) => go(e.currentTarget.form)}>
              {COMPARE_MODES.map((m) => (
                <option key={m} value={m}>
                  {t(`compare.${m}`)}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        {shows('model') ? (
          <div className="field field-secondary">
            <label htmlFor={ids.model}>{t('filters.model')}</label>
            <select id={ids.model} name="model" defaultValue={state.model} onChange={(e) => go(e.currentTarget.form)}>
              {ATTRIBUTION_MODELS.map((m) => (
                <option key={m} value={m}>
                  {t(`model.${m}`)}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        {shows('cohort') ? (
          <div className="field field-secondary">
            <label htmlFor={ids.cohort}>{t('filters.cohort')}</label>
            <select id={ids.cohort} name="cohort" defaultValue={state.cohort} onChange={(e) => go(e.currentTarget.form)}>
              {COHORT_MODES.map((m) => (
                <option key={m} value={m}>
                  {t(`cohort.${m}`)}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        {/* On a phone the secondary controls fold away behind this toggle (CSS only, so it works without
            JavaScript); the checkbox has no name, so it never reaches the URL. */}
        <input type="checkbox" id={ids.more} className="filter-more-toggle visually-hidden" />
        <label htmlFor={ids.more} className="filter-more-label button button-secondary">
          {t('filters.more')}
          {activeFilters > 0 ? ` (${activeFilters})` : ''}
        </label>
      </div>
      <div className="filter-row filter-row-values">
        {FILTER_KEYS.filter(shows).map((key) => (
          <MultiSelect key={key} name={key} options={data.options[key]} selected={state.filters[key] ?? []} />
        ))}
        {!isDefault ? (
          <Link className="filter-reset" to={{ pathname: location.pathname, search: state.by ? `?by=${state.by}` : '' }} preventScrollReset>
            {t('filters.reset')}
          </Link>
        ) : null}
        <button type="submit" className={isHydrated ? 'visually-hidden' : 'button'}>
          {t('filters.apply')}
        </button>
      </div>
      <p className="filter-period" role="status">
        {f.dayRange(state.from, state.to)}
        {data.comparison ? (
          <span className="muted"> · {t('filters.comparedWith', { period: f.dayRange(data.comparison.from, data.comparison.to) })}</span>
        ) : null}
      </p>
    </Form>
  );
}

/** How a filter value reads: channel and temperature names are translated, the rest are data. */
export function filterValueLabel(i18n: Pick<I18n, 'tMaybe'>, key: FilterKey, value: string): string {
  if (key === 'channel') return i18n.tMaybe(`channel.${value}`, value);
  if (key === 'temperature') return i18n.tMaybe(`temperature.${value}`, value);
  return value;
}

/**
 * A dropdown of checkboxes named `name`: a multi-value GET parameter
 * (?channel=a&channel=b). Values picked in the URL but absent from the data
 * stay listed, so they can be unticked.
 */
function MultiSelect(props: { name: FilterKey; options: string[]; selected: string[] }) {
  const i18n = useI18n();
  const { t } = i18n;
  const ref = useRef<HTMLDetailsElement>(null);
  const [query, setQuery] = useState('');
  const searchId = useId();
  const values = [...props.options, ...props.selected.filter((v) => !props.options.includes(v))];
  const label = t(`filter.${props.name}`);
  const summary =
    props.selected.length === 0
      ? t('filters.all')
      : props.selected.length === 1
        ? filterValueLabel(i18n, props.name, props.selected[0]!)
        : t('filters.selected', { count: props.selected.length });
  const shown = query ? values.filter((v) => filterValueLabel(i18n, props.name, v).toLowerCase().includes(query.toLowerCase())) : values;

  // Close on a click outside or Escape, as a native dropdown would.
  useEffect(() => {
    const onPointer = (event: PointerEvent) => {
      const el = ref.current;
      if (el?.open && !el.contains(event.target as Node)) el.open = false;
    };
    const onKey = (event: KeyboardEvent) => {
      const el = ref.current;
      if (event.key === 'Escape' && el?.open) {
        el.open = false;
        el.querySelector('summary')?.focus();
      }
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, []);

  return (
    <details className={props.selected.length > 0 ? 'menu multi-select is-active' : 'menu multi-select'} ref={ref}>
      <summary aria-label={`${label}: ${summary}`}>
        <span className="multi-select-name">{label}</span>
        <span className="multi-select-value">{summary}</span>
      </summary>
      <fieldset className="menu-panel">
        <legend className="visually-hidden">{label}</legend>
        {values.length > 8 ? (
          <>
            <label htmlFor={searchId} className="visually-hidden">
              {t('filters.search')}
            </label>
            <input
              id={searchId}
              type="search"
              className="menu-search"
              placeholder={t('filters.search')}
              value={query}
              // No name: the search text is not a filter and stays out of the URL.
              onChange={(e) => setQuery(e.currentTarget.value)}
            />
          </>
        ) : null}
        <div className="menu-options">
          {values.length === 0 ? <p className="muted">{t('filters.noValues')}</p> : null}
          {values.map((v) => (
            <label key={v} className="check" hidden={!shown.includes(v)}>
              <input type="checkbox" name={props.name} value={v} defaultChecked={props.selected.includes(v)} />
              {filterValueLabel(i18n, props.name, v)}
            </label>
          ))}
        </div>
        <div className="menu-actions">
          <button type="submit" className="button">
            {t('filters.apply')}
          </button>
        </div>
      </fieldset>
    </details>
  );
}
