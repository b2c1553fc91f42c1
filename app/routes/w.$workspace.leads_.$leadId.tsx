import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { createColumnHelper } from '@tanstack/react-table';
import { useMemo } from 'react';
import { DataTable, type DataColumn, type DataTableFeatures } from '../components/data-table';
import { GeneralErrorBoundary } from '../components/error-boundary';
import { filterValueLabel } from '../components/filter-bar';
import { PageHeader } from '../components/page-header';
import { useFormat, useI18n, type I18n } from '../i18n/i18n';
import { carriedSearch } from '../lib/dashboard-params';
import { pageTitle } from '../lib/meta';
import { getLeadPage } from '../models/leads.server';
import type { ChannelCreditRow, LeadOutcome, StageSpan, TimelineEvent, TouchCreditRow } from '../reports/lead-timeline';
import leadStyles from '../styles/leads.css?url';

export const meta: MetaFunction<typeof loader> = ({ data, params }) => [
  { title: pageTitle(`${params.leadId ?? ''}`, data?.workspace.name) },
];
export const links: LinksFunction = () => [{ rel: 'stylesheet', href: leadStyles }];

export async function loader({ params, context, request }: LoaderFunctionArgs) {
  return getLeadPage(context, params.workspace, params.leadId, request);
}

// ---------- Durations ----------

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** 3 d 4 h, 5 h 12 min, 40 min, < 1 min. */
function duration(t: I18n['t'], ms: number): string {
  const abs = Math.abs(ms);
  if (abs < MINUTE) return t('leads.duration.underMinute');
  if (abs < HOUR) return t('leads.duration.minutes', { m: Math.floor(abs / MINUTE) });
  if (abs < DAY) return t('leads.duration.hours', { h: Math.floor(abs / HOUR), m: Math.floor((abs % HOUR) / MINUTE) });
  return t('leads.duration.days', { d: Math.floor(abs / DAY), h: Math.floor((abs % DAY) / HOUR) });
}

/** "2 d 3 h before the lead" / "at the lead" / "1 h 5 min after the lead". */
function relative(t: I18n['t'], ms: number): string {
  if (Math.abs(ms) < MINUTE) return t('leads.atLead');
  return ms < 0 ? t('leads.beforeLead', { time: duration(t, ms) }) : t('leads.afterLead', { time: duration(t, ms) });
}

// ---------- Credit tables ----------

type ModelCredits = { credits: Record<string, number> };

function creditColumn<T extends ModelCredits>(model: string): DataColumn<T> {
  const column = createColumnHelper<DataTableFeatures, T>();
  return column.accessor((r) => r.credits[model] ?? 0, {
    // Prefixed: the position-based model is called 'position', like the touch position column.
    id: `model_${model}`,
    header: () => <ModelHeader model={model} />,
    meta: { kind: 'percent' },
  });
}

function ModelHeader({ model }: { model: string }) {
  return <>{useI18n().tMaybe(`model.${model}`, model)}</>;
}

function TouchCell({ row }: { row: TouchCreditRow }) {
  const i18n = useI18n();
  const { t } = i18n;
  const f = useFormat();
  const { workspace } = useLoaderData<typeof loader>();
  const where = [row.source, row.medium].filter(Boolean).join(' / ');
  return (
    <span className="touch-cell">
      <strong>{filterValueLabel(i18n, 'channel', row.channel)}</strong>
      <span className="muted">
        {row.kind === 'fallback' ? t('leads.touch.fallback') : t(`leads.touch.${row.kind}`)}
        {row.at ? ` · ${f.dateTime(new Date(row.at), workspace.timeZone)}` : ''}
        {where ? ` · ${where}` : ''}
        {row.campaign ? ` · ${row.campaign}` : ''}
      </span>
    </span>
  );
}

const touchColumn = createColumnHelper<DataTableFeatures, TouchCreditRow>();
const channelColumn = createColumnHelper<DataTableFeatures, ChannelCreditRow>();

const stageColumn = createColumnHelper<DataTableFeatures, StageSpan>();
const STAGE_COLUMNS: DataColumn<StageSpan>[] = [
  stageColumn.accessor('stage', { meta: { label: 'leads.col.stage' } }),
  stageColumn.accessor('enteredAt', { meta: { label: 'leads.entered' }, cell: (c) => <DateTimeCell iso={c.getValue()} /> }),
  stageColumn.accessor('manager', { meta: { label: 'dim.manager' } }),
  stageColumn.accessor('durationMs', { meta: { label: 'leads.timeInStage', numeric: true }, cell: (c) => <StageDuration span={c.row.original} /> }),
];

function DateTimeCell({ iso }: { iso: string }) {
  const f = useFormat();
  const { workspace } = useLoaderData<typeof loader>();
  return <>{f.dateTime(new Date(iso), workspace.timeZone)}</>;
}

function StageDuration({ span }: { span: StageSpan }) {
  const { t } = useI18n();
  if (span.durationMs === null) return <span className="muted">—</span>;
  return <>{span.isOngoing ? t('leads.ongoing', { time: duration(t, span.durationMs) }) : duration(t, span.durationMs)}</>;
}

// ---------- Page ----------

export default function LeadPage() {
  const data = useLoaderData<typeof loader>();
  const i18n = useI18n();
  const { t } = i18n;
  const f = useFormat();
  const { lead, timeline, workspace } = data;
  const back = { pathname: `/w/${workspace.slug}/leads`, search: carriedSearch(data.state) };
  const tz = workspace.timeZone;
  const models = timeline.models;

  const touchColumns = useMemo(
    (): DataColumn<TouchCreditRow>[] => [
      touchColumn.accessor('position', { meta: { label: 'leads.col.position', numeric: true } }),
      touchColumn.accessor('channel', { meta: { label: 'leads.col.touch' }, cell: (c) => <TouchCell row={c.row.original} /> }),
      ...models.map((m) => creditColumn<TouchCreditRow>(m)),
    ],
    [models],
  );
  const channelColumns = useMemo(
    (): DataColumn<ChannelCreditRow>[] => [
      channelColumn.accessor('channel', { meta: { label: 'dim.channel' }, cell: (c) => <>{filterValueLabel(i18n, 'channel', c.getValue())}</> }),
      ...models.map((m) => creditColumn<ChannelCreditRow>(m)),
    ],
    [models, i18n],
  );
  const touchTotals = useMemo(() => ({ position: null, channel: '', credits: timeline.modelTotals }) as unknown as TouchCreditRow, [timeline.modelTotals]);

  return (
    <>
      <nav aria-label={t('leads.breadcrumbs')} className="breadcrumbs">
        <ol>
          <li>
            <Link to={back}>{t('section.leads')}</Link>
          </li>
          <li>
            <span aria-current="page">{lead.leadId}</span>
          </li>
        </ol>
      </nav>
      <PageHeader
        title={t('leads.leadTitle', { id: lead.leadId })}
        subtitle={
          <>
            {f.dateTime(new Date(lead.createdAt), tz)} · {t(`leads.kind.${lead.kind}`)} · <OutcomeBadge outcome={lead.outcome} />
          </>
        }
      />

      <section className="panel" aria-labelledby="lead-facts">
        <h2 id="lead-facts">{t('leads.facts')}</h2>
        <dl className="facts">
          <Fact label={t('leads.col.stage')} value={lead.stage} />
          <Fact label={t('leads.col.outcome')} value={t(`leads.outcome.${lead.outcome}`)} />
          <Fact label={t('leads.col.amount')} value={lead.amount === null ? '—' : f.money(lead.amount)} />
          {lead.lossReason ? <Fact label={t('leads.lossReason')} value={lead.lossReason} /> : null}
          <Fact label={t('leads.salesCycle')} value={timeline.outcome.cycleMs === null ? '—' : duration(t, timeline.outcome.cycleMs)} />
          <Fact label={t('dim.manager')} value={lead.manager || t('dim.none')} />
          <Fact label={t('dim.region')} value={lead.region || t('dim.none')} />
          <Fact label={t('dim.product')} value={lead.product || t('dim.none')} />
          <Fact label={t('dim.temperature')} value={lead.temperature ? filterValueLabel(i18n, 'temperature', lead.temperature) : t('dim.none')} />
          {lead.customerId ? <Fact label={t('leads.customer')} value={lead.customerId} /> : null}
          {lead.contactsVisible ? (
            <>
              <Fact label={t('leads.phone')} value={lead.phone ?? '—'} />
              <Fact label={t('leads.email')} value={lead.email ?? '—'} />
            </>
          ) : (
            <Fact label={t('leads.contact')} value={t('leads.contactHidden')} />
          )}
          <Fact
            label={t('leads.col.path')}
            value={lead.path ? lead.path.split(' > ').map((c) => filterValueLabel(i18n, 'channel', c)).join(' → ') : '—'}
          />
          <Fact label={t('leads.coverage')} value={lead.coverage ? i18n.tMaybe(`leads.coverage.${lead.coverage}`, lead.coverage) : '—'} />
          <Fact label={t('leads.timeToLead')} value={timeline.timeToLeadMs === null ? '—' : duration(t, timeline.timeToLeadMs)} />
        </dl>
      </section>

      <section className="panel" aria-labelledby="lead-timeline">
        <h2 id="lead-timeline">{t('leads.timeline')}</h2>
        <p className="muted table-note">{t('leads.timelineNote', { days: data.lookbackDays })}</p>
        {timeline.isTruncated ? <p className="muted table-note">{t('leads.truncated')}</p> : null}
        <ol className="timeline">
          {timeline.events.map((e, i) => (
            <TimelineItem key={`${e.type}-${e.at}-${i}`} event={e} />
          ))}
        </ol>
      </section>

      <section className="panel" aria-labelledby="lead-stages">
        <h2 id="lead-stages">{t('leads.stages')}</h2>
        <DataTable
          caption={t('leads.stages')}
          columns={STAGE_COLUMNS}
          data={timeline.stages}
          getRowId={(r, i) => `${i}-${r.stage}`}
          emptyMessage={t('leads.noStages')}
        />
      </section>

      <section className="panel" aria-labelledby="lead-credits">
        <h2 id="lead-credits">{t('leads.credits')}</h2>
        <p className="muted table-note">
          {t('leads.creditsNote')}
          {timeline.missingModels.length > 0
            ? ` ${t('leads.missingModels', { models: timeline.missingModels.map((m) => i18n.tMaybe(`model.${m}`, m)).join(', ') })}`
            : ''}
        </p>
        <DataTable
          caption={t('leads.credits')}
          columns={touchColumns}
          data={timeline.touchCredits}
          totals={touchTotals}
          getRowId={(r) => String(r.position)}
          exportName={`lead-${lead.leadId}-credits`}
          emptyMessage={t('leads.noCredits')}
        />
        <h3 className="subheading">{t('leads.creditsByChannel')}</h3>
        <DataTable
          caption={t('leads.creditsByChannel')}
          columns={channelColumns}
          data={timeline.byChannel}
          getRowId={(r) => r.channel}
          emptyMessage={t('leads.noCredits')}
        />
      </section>

      <p>
        <Link to={back}>← {t('leads.backToList')}</Link>
      </p>
    </>
  );
}

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

function OutcomeBadge({ outcome }: { outcome: LeadOutcome }) {
  const { t } = useI18n();
  return <span className={`badge badge-outcome-${outcome}`}>{t(`leads.outcome.${outcome}`)}</span>;
}

function TimelineItem({ event: e }: { event: TimelineEvent }) {
  const i18n = useI18n();
  const { t } = i18n;
  const f = useFormat();
  const { workspace } = useLoaderData<typeof loader>();
  const when = (
    <p className="timeline-when">
      <time dateTime={e.at}>{f.dateTime(new Date(e.at), workspace.timeZone)}</time>
      <span className="muted"> · {relative(t, e.sinceLeadMs)}</span>
    </p>
  );
  switch (e.type) {
    case 'session':
      return (
        <li className={`timeline-item timeline-session${e.touchPosition !== null ? ' is-touch' : ''}`}>
          {when}
          <p className="timeline-title">
            {t('leads.event.session', { channel: filterValueLabel(i18n, 'channel', e.channel) })}
            {e.touchPosition !== null ? <span className="badge">{t('leads.touchNumber', { n: e.touchPosition })}</span> : null}
            {e.isLeadSession ? <span className="badge">{t('leads.leadSession')}</span> : null}
            {e.isAfterLead ? <span className="badge">{t('leads.afterLeadBadge')}</span> : null}
          </p>
          <dl className="timeline-details">
            {e.source || e.medium ? <Detail label={t('leads.sourceMedium')} value={`${e.source || '—'} / ${e.medium || '—'}`} /> : null}
            {e.campaign ? <Detail label={t('dim.campaign')} value={e.campaign} /> : null}
            <Detail label={t('leads.landingPage')} value={e.landingPage ?? '—'} isUrl />
            {e.referrer ? <Detail label={t('leads.referrer')} value={e.referrer} isUrl /> : null}
            <Detail label={t('leads.visit')} value={[e.device, e.region].filter(Boolean).join(' · ') || '—'} />
            {e.pageviews !== null ? <Detail label={t('leads.pageviews')} value={f.count(e.pageviews)} /> : null}
          </dl>
        </li>
      );
    case 'call':
      return (
        <li className={`timeline-item timeline-call${e.touchPosition !== null ? ' is-touch' : ''}`}>
          {when}
          <p className="timeline-title">
            {t(e.status === 'answered' ? 'leads.event.callAnswered' : 'leads.event.callMissed')}
            {e.channel ? ` · ${filterValueLabel(i18n, 'channel', e.channel)}` : ''}
            {e.touchPosition !== null ? <span className="badge">{t('leads.touchNumber', { n: e.touchPosition })}</span> : null}
            {e.isLeadCall ? <span className="badge">{t('leads.leadCall')}</span> : null}
          </p>
          <dl className="timeline-details">
            <Detail label={t('leads.trackingNumber')} value={e.trackingNumber} />
            {e.callerPhone ? <Detail label={t('leads.caller')} value={e.callerPhone} /> : null}
            <Detail label={t('leads.callDuration')} value={e.durationSec === null ? '—' : duration(t, e.durationSec * 1000)} />
            {e.manager ? <Detail label={t('dim.manager')} value={e.manager} /> : null}
          </dl>
        </li>
      );
    case 'created':
      return (
        <li className="timeline-item timeline-created">
          {when}
          <p className="timeline-title">{t('leads.event.created', { kind: t(`leads.kind.${e.kind}`) })}</p>
        </li>
      );
    case 'stage':
      return (
        <li className="timeline-item timeline-stage">
          {when}
          <p className="timeline-title">{t('leads.event.stage', { stage: e.stage })}</p>
          <dl className="timeline-details">
            {e.manager ? <Detail label={t('dim.manager')} value={e.manager} /> : null}
            <Detail
              label={t('leads.timeInStage')}
              value={e.durationMs === null ? '—' : e.isOngoing ? t('leads.ongoing', { time: duration(t, e.durationMs) }) : duration(t, e.durationMs)}
            />
          </dl>
        </li>
      );
    case 'closed':
      return (
        <li className={`timeline-item timeline-closed timeline-${e.outcome}`}>
          {when}
          <p className="timeline-title">
            {t(`leads.event.${e.outcome}`)}
            {e.outcome === 'won' && e.amount !== null ? ` · ${f.money(e.amount)}` : ''}
          </p>
          {e.lossReason ? (
            <dl className="timeline-details">
              <Detail label={t('leads.lossReason')} value={e.lossReason} />
            </dl>
          ) : null}
        </li>
      );
  }
}

function Detail({ label, value, isUrl }: { label: string; value: string; isUrl?: boolean }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd className={isUrl ? 'timeline-url' : undefined} title={isUrl ? value : undefined}>
        {value}
      </dd>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
