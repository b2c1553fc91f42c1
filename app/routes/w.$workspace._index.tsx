import type { LoaderFunctionArgs } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { createColumnHelper } from '@tanstack/react-table';
import { useMemo } from 'react';
import { DataTable, type DataTableFeatures } from '../components/data-table';
import { GeneralErrorBoundary } from '../components/error-boundary';
import { PageHeader } from '../components/page-header';
import { formatCount, formatDateTime, formatDayRange, formatMoney } from '../lib/format';
import { sectionMeta } from '../lib/meta';
import { getOverviewPage, type ImportSummary } from '../models/overview.server';

// Temporary overview: what the workspace holds. The dashboard replaces it.
export const meta = sectionMeta('');

export async function loader({ params, context }: LoaderFunctionArgs) {
  return getOverviewPage(context.db, params.workspace);
}

type ImportRow = ImportSummary & { started: string };

const importStatusLabel: Record<ImportSummary['status'], string> = {
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
};

const column = createColumnHelper<DataTableFeatures, ImportRow>();
const importColumns = column.columns([
  column.accessor('started', { header: 'Started' }),
  column.accessor('kind', { header: 'Kind' }),
  column.accessor('fileName', { header: 'File', cell: (c) => <span className="file-name">{c.getValue()}</span> }),
  column.accessor('status', {
    header: 'Status',
    cell: (c) => (
      <span className={`badge badge-${c.getValue()}`} title={c.row.original.error ?? undefined}>
        {importStatusLabel[c.getValue()]}
      </span>
    ),
  }),
  column.accessor('rowsRead', { header: 'Rows read', cell: (c) => formatCount(c.getValue()), meta: { numeric: true } }),
  column.accessor('rowsInserted', { header: 'Inserted', cell: (c) => formatCount(c.getValue()), meta: { numeric: true } }),
  column.accessor('rowsUpdated', { header: 'Updated', cell: (c) => formatCount(c.getValue()), meta: { numeric: true } }),
  column.accessor('rowsRejected', { header: 'Rejected', cell: (c) => formatCount(c.getValue()), meta: { numeric: true } }),
]);

export default function Overview() {
  const { workspace, overview } = useLoaderData<typeof loader>();
  const { sessions, leads, calls, spend, range, imports } = overview;
  const importRows = useMemo(
    () => imports.map((job) => ({ ...job, started: formatDateTime(job.startedAt, workspace.timeZone) })),
    [imports, workspace.timeZone],
  );
  const isEmpty = sessions.rows + leads.rows + calls.rows + spend.rows === 0;

  return (
    <>
      <PageHeader title="Overview" subtitle={workspace.name} />

      {isEmpty ? (
        <section className="panel notice" aria-labelledby="no-data">
          <h2 id="no-data">No data yet</h2>
          <p>
            This workspace has no sessions, leads, calls or ad spend. Import your exports to fill it, or try{' '}
            <code>npx leadpath demo</code> for a workspace with generated data.
          </p>
        </section>
      ) : null}

      <section aria-labelledby="data-heading">
        <h2 id="data-heading" className="section-title">
          Data in this workspace
        </h2>
        <ul className="stat-grid">
          <Stat label="Sessions" value={formatCount(sessions.rows)} detail={formatDayRange(sessions.first, sessions.last)} />
          <Stat label="Leads" value={formatCount(leads.rows)} detail={formatDayRange(leads.first, leads.last)} />
          <Stat label="Calls" value={formatCount(calls.rows)} detail={formatDayRange(calls.first, calls.last)} />
          <Stat
            label="Ad spend"
            value={formatMoney(spend.total, workspace.currency)}
            detail={formatDayRange(spend.first, spend.last)}
          />
        </ul>
      </section>

      <section className="panel" aria-labelledby="workspace-heading">
        <h2 id="workspace-heading">Workspace</h2>
        <dl className="facts">
          <div>
            <dt>Name</dt>
            <dd>{workspace.name}</dd>
          </div>
          <div>
            <dt>Time zone</dt>
            <dd>{workspace.timeZone}</dd>
          </div>
          <div>
            <dt>Currency</dt>
            <dd>{workspace.currency}</dd>
          </div>
          <div>
            <dt>Data covers</dt>
            <dd>{formatDayRange(range.first, range.last)}</dd>
          </div>
        </dl>
      </section>

      <section className="panel" aria-labelledby="imports-heading">
        <h2 id="imports-heading">Latest imports</h2>
        {importRows.length > 0 ? (
          <DataTable caption="Latest imports" columns={importColumns} data={importRows} />
        ) : (
          <p className="muted">Nothing has been imported into this workspace yet.</p>
        )}
      </section>
    </>
  );
}

function Stat({ label, value, detail }: { label: string; value: string; detail: string }) {
  return (
    <li className="stat">
      <span className="stat-label">{label}</span>
      <span className="stat-value">{value}</span>
      <span className="stat-detail">{detail}</span>
    </li>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
