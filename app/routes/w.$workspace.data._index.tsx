import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { createColumnHelper } from '@tanstack/react-table';
import { useMemo } from 'react';
import { DataTable, type DataTableFeatures } from '../components/data-table';
import { GeneralErrorBoundary } from '../components/error-boundary';
import { RejectsTable, UploadForm } from '../components/upload-form';
import { useFormat, useI18n, type MessageKey } from '../i18n/i18n';
import { getImportsPage, type ImportJobRow } from '../models/data.server';

export async function loader({ params, context, request }: LoaderFunctionArgs) {
  return getImportsPage(context, params.workspace, request);
}

type HistoryRow = ImportJobRow & { started: string; kindLabel: string; duration: number | null };

const column = createColumnHelper<DataTableFeatures, HistoryRow>();
const historyColumns = column.columns([
  column.accessor('started', { meta: { label: 'import.started' } }),
  column.accessor('fileName', { meta: { label: 'import.file' }, cell: (c) => <FileCell job={c.row.original} /> }),
  column.accessor('kindLabel', { meta: { label: 'import.kind' } }),
  column.accessor((r) => r.preset ?? '', { id: 'preset', meta: { label: 'data.history.preset' } }),
  column.accessor('status', { meta: { label: 'import.status' }, cell: (c) => <StatusBadge job={c.row.original} /> }),
  column.accessor('rowsRead', { meta: { label: 'import.rowsRead', kind: 'count' } }),
  column.accessor('rowsInserted', { meta: { label: 'import.inserted', kind: 'count' } }),
  column.accessor('rowsUpdated', { meta: { label: 'import.updated', kind: 'count' } }),
  column.accessor('rowsUnchanged', { meta: { label: 'data.history.unchanged', kind: 'count' } }),
  column.accessor('rowsRejected', { meta: { label: 'import.rejected', kind: 'count' } }),
  column.accessor('duration', { meta: { label: 'data.history.seconds', kind: 'number' } }),
  column.accessor('actor', { meta: { label: 'data.history.actor' } }),
]);

function FileCell({ job }: { job: ImportJobRow }) {
  const { t } = useI18n();
  return (
    <Link to={`?import=${job.id}`} preventScrollReset className="file-name" aria-label={t('data.history.open', { file: job.fileName })}>
      {job.fileName}
    </Link>
  );
}

function StatusBadge({ job }: { job: ImportJobRow }) {
  const { t } = useI18n();
  return (
    <span className={`badge badge-${job.status}`} title={job.error ?? undefined}>
      {t(`import.status.${job.status}`)}
    </span>
  );
}

export default function ImportTab() {
  const data = useLoaderData<typeof loader>();
  const { t } = useI18n();
  const f = useFormat();
  const slug = data.workspace.slug;
  const rows = useMemo(
    () =>
      data.history.map((job) => ({
        ...job,
        started: f.dateTime(job.startedAt, data.workspace.timeZone),
        kindLabel: t(`data.kind.${job.kind}` as MessageKey),
        duration: job.durationMs === null ? null : Math.round(job.durationMs / 100) / 10,
      })),
    [data.history, data.workspace.timeZone, f, t],
  );

  return (
    <>
      <section className="panel" aria-labelledby="upload-heading">
        <h2 id="upload-heading">{t('data.upload.title')}</h2>
        {data.canImport ? (
          <UploadForm
            // A new result from a form posted without JavaScript starts a new form.
            key={data.upload?.token ?? data.uploadError ?? 'form'}
            workspace={slug}
            kinds={data.kinds}
            initial={data.upload}
            initialError={data.uploadError}
          />
        ) : (
          <p className="muted">{t('data.upload.notAllowed')}</p>
        )}
      </section>

      {data.selected ? <SelectedImport selected={data.selected} workspace={slug} timeZone={data.workspace.timeZone} /> : null}

      <section className="panel" aria-labelledby="history-heading">
        <h2 id="history-heading">{t('data.history.title')}</h2>
        {!data.canSeeHistory ? (
          <p className="muted">{t('data.history.notAllowed')}</p>
        ) : rows.length > 0 ? (
          <DataTable caption={t('data.history.title')} columns={historyColumns} data={rows} getRowId={(r) => String(r.id)} initialHidden={['actor', 'rowsUnchanged']} columnMenu />
        ) : (
          <p className="muted">{t('data.history.empty')}</p>
        )}
      </section>
    </>
  );
}

function SelectedImport({ selected, workspace, timeZone }: { selected: NonNullable<ReturnType<typeof useLoaderData<typeof loader>>['selected']>; workspace: string; timeZone: string }) {
  const { t } = useI18n();
  const f = useFormat();
  const { job, rejects, rejectCount } = selected;
  return (
    <section className="panel" aria-labelledby="import-detail-heading">
      <h2 id="import-detail-heading">{t('data.detail.title', { file: job.fileName })}</h2>
      <dl className="facts">
        <div>
          <dt>{t('import.status')}</dt>
          <dd>
            <span className={`badge badge-${job.status}`}>{t(`import.status.${job.status}`)}</span>
          </dd>
        </div>
        <div>
          <dt>{t('import.kind')}</dt>
          <dd>{t(`data.kind.${job.kind}` as MessageKey)}</dd>
        </div>
        <div>
          <dt>{t('data.history.preset')}</dt>
          <dd>{job.preset ?? t('data.detail.canonical')}</dd>
        </div>
        <div>
          <dt>{t('import.started')}</dt>
          <dd>{f.dateTime(job.startedAt, timeZone)}</dd>
        </div>
        <div>
          <dt>{t('import.rowsRead')}</dt>
          <dd>{f.count(job.rowsRead)}</dd>
        </div>
        <div>
          <dt>{t('import.rejected')}</dt>
          <dd>{f.count(job.rowsRejected)}</dd>
        </div>
      </dl>
      {job.error ? <pre className="import-message">{job.error}</pre> : null}
      {job.warnings.length > 0 ? (
        <ul className="import-warnings">
          {job.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      ) : null}
      {rejectCount > 0 ? (
        <RejectsTable rows={rejects} total={rejectCount} importId={job.id} workspace={workspace} />
      ) : (
        <p className="muted">{t('data.detail.noRejects')}</p>
      )}
      <p>
        <Link to={`/w/${workspace}/data`} preventScrollReset>
          {t('data.detail.close')}
        </Link>
      </p>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
