import { Form, Link, useRevalidator } from '@remix-run/react';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useFormat, useI18n, type MessageKey } from '../i18n/i18n';
import type { UploadResult, UploadStatus } from '../models/data-upload.server';
import { useIsHydrated } from './use-is-hydrated';

// The CSV upload: a plain multipart form (it works without JavaScript: the
// server imports the file and comes back with the result), enhanced with a
// progress bar for the bytes sent and then for the rows imported, which the
// script polls from the server until the import has finished.

type Phase =
  | { step: 'idle' }
  | { step: 'uploading'; sent: number; total: number }
  | { step: 'importing'; status: UploadStatus }
  | { step: 'finished'; status: UploadStatus }
  | { step: 'refused'; code: string };

const POLL_MS = 400;

export function UploadForm(props: {
  workspace: string;
  /** Kinds offered ('auto' first); with `kind`, the form imports only that kind and shows no choice. */
  kinds?: readonly string[];
  kind?: string;
  /** The page a form posted without JavaScript returns to. */
  back?: 'data' | 'plans';
  /** The result of a form posted without JavaScript (?upload=TOKEN). */
  initial?: UploadStatus | null;
  initialError?: string | null;
}) {
  const { t } = useI18n();
  const isHydrated = useIsHydrated();
  const revalidator = useRevalidator();
  const ids = { file: useId(), kind: useId(), skip: useId() };
  const [phase, setPhase] = useState<Phase>(
    props.initialError ? { step: 'refused', code: props.initialError } : props.initial ? { step: props.initial.state === 'running' ? 'importing' : 'finished', status: props.initial } : { step: 'idle' },
  );
  const cancelled = useRef(false);
  useEffect(() => () => void (cancelled.current = true), []);
  const action = `/w/${props.workspace}/data/upload${props.back && props.back !== 'data' ? `?back=${props.back}` : ''}`;
  const busy = phase.step === 'uploading' || phase.step === 'importing';

  const poll = async (token: string) => {
    while (!cancelled.current) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      const response = await fetch(`/w/${props.workspace}/data/progress/${token}`, { headers: { Accept: 'application/json' } });
      if (!response.ok) {
        setPhase({ step: 'refused', code: 'lost' });
        return;
      }
      const status = (await response.json()) as UploadStatus;
      if (status.state === 'running') setPhase({ step: 'importing', status });
      else {
        setPhase({ step: 'finished', status });
        revalidator.revalidate();
        return;
      }
    }
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const file = data.get('file');
    if (!(file instanceof File) || file.size === 0) {
      setPhase({ step: 'refused', code: 'noFile' });
      return;
    }
    // XMLHttpRequest, not fetch: only it reports how much of the body has been sent.
    const xhr = new XMLHttpRequest();
    xhr.open('POST', action);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (e) => setPhase({ step: 'uploading', sent: e.loaded, total: e.lengthComputable ? e.total : file.size });
    xhr.onerror = () => setPhase({ step: 'refused', code: 'network' });
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      if (xhr.status === 202 && body && typeof body === 'object' && 'token' in body) {
        const status = body as UploadStatus;
        setPhase({ step: 'importing', status });
        void poll(status.token);
      } else {
        const code = body && typeof body === 'object' && 'error' in body ? String((body as { error: unknown }).error) : xhr.status === 403 ? 'forbidden' : 'server';
        setPhase({ step: 'refused', code });
      }
    };
    setPhase({ step: 'uploading', sent: 0, total: file.size });
    xhr.send(data);
  };

  return (
    <>
      <Form method="post" action={action} encType="multipart/form-data" className="upload-form" onSubmit={isHydrated ? onSubmit : undefined} reloadDocument>
        {props.kind ? (
          <input type="hidden" name="kind" value={props.kind} />
        ) : (
          <div className="field">
            <label htmlFor={ids.kind}>{t('data.upload.kind')}</label>
            <select id={ids.kind} name="kind" defaultValue="auto" className="input">
              {(props.kinds ?? ['auto']).map((k) => (
                <option key={k} value={k}>
                  {t(`data.kind.${k}` as MessageKey)}
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="field field-grow">
          <label htmlFor={ids.file}>{t('data.upload.file')}</label>
          <input id={ids.file} type="file" name="file" accept=".csv,.tsv,.txt,text/csv,text/tab-separated-values" required className="input input-file" />
        </div>
        <label className="check check-inline" htmlFor={ids.skip}>
          <input id={ids.skip} type="checkbox" name="skipInvalid" value="on" />
          {t('data.upload.skipInvalid')}
        </label>
        <button type="submit" className="button" disabled={busy}>
          {t('data.upload.submit')}
        </button>
      </Form>
      <p className="muted form-help">{t('data.upload.help')}</p>
      <UploadProgress phase={phase} workspace={props.workspace} />
    </>
  );
}

function UploadProgress({ phase, workspace }: { phase: Phase; workspace: string }) {
  const { t } = useI18n();
  const f = useFormat();
  if (phase.step === 'idle') return null;
  if (phase.step === 'refused') {
    return (
      <p className="form-error" role="alert">
        {t(`data.upload.error.${phase.code}` as MessageKey)}
      </p>
    );
  }
  if (phase.step === 'uploading') {
    const share = phase.total > 0 ? phase.sent / phase.total : 0;
    return (
      <div className="upload-progress" role="status">
        <progress max={1} value={share} aria-label={t('data.upload.sending')} />
        <span>{t('data.upload.sendingBytes', { sent: formatBytes(phase.sent, f.locale), total: formatBytes(phase.total, f.locale), share: f.percent(share, 0) })}</span>
      </div>
    );
  }
  const { status } = phase;
  if (phase.step === 'importing') {
    const share = status.estimatedRows ? Math.min(0.99, status.rowsRead / Math.max(1, status.estimatedRows)) : undefined;
    return (
      <div className="upload-progress" role="status">
        <progress max={1} value={status.phase === 'writing' ? undefined : share} aria-label={t('data.upload.importing')} />
        <span>
          {status.phase === 'writing'
            ? t('data.upload.writing', { rows: f.count(status.rowsRead) })
            : status.estimatedRows
              ? t('data.upload.rowsOfAbout', { rows: f.count(status.rowsRead), total: f.count(status.estimatedRows) })
              : t('data.upload.rows', { rows: f.count(status.rowsRead) })}
        </span>
      </div>
    );
  }
  return <UploadOutcome status={status} workspace={workspace} />;
}

function UploadOutcome({ status, workspace }: { status: UploadStatus; workspace: string }) {
  const { t } = useI18n();
  if (!status.result) {
    return (
      <div className="import-result is-failed" role="alert">
        <p>
          <strong>{t('data.upload.failedFile', { file: status.fileName })}</strong>
        </p>
        {status.error ? <pre className="import-message">{status.error}</pre> : <p>{t('data.upload.error.server')}</p>}
      </div>
    );
  }
  return (
    <div className={status.result.status === 'succeeded' ? 'import-result is-succeeded' : 'import-result is-failed'} role="status">
      <ImportResultView result={status.result} workspace={workspace} />
      {status.result.companions.map((c) => (
        <ImportResultView key={c.importId} result={{ ...c, companions: [] }} workspace={workspace} />
      ))}
    </div>
  );
}

/** One import's outcome: counts, the preset it was read with, warnings and the first rejected rows. */
export function ImportResultView({ result, workspace }: { result: UploadResult; workspace: string }) {
  const { t, tn } = useI18n();
  const f = useFormat();
  const succeeded = result.status === 'succeeded';
  return (
    <section className="import-outcome" aria-label={t('data.result.title', { file: result.file })}>
      <h3>
        <span className={`badge badge-${result.status}`}>{t(`import.status.${result.status}`)}</span> {result.file}
        <span className="muted"> · {t(`data.kind.${result.kind}` as MessageKey)}</span>
      </h3>
      <p className="muted">
        {succeeded
          ? t('data.result.counts', {
              read: f.count(result.rowsRead),
              inserted: f.count(result.inserted),
              updated: f.count(result.updated),
              unchanged: f.count(result.unchanged),
              rejected: f.count(result.rejected),
            })
          : result.errorCount > 0
            ? tn('data.result.nothingImported', result.errorCount)
            : t('data.result.failed')}
      </p>
      <p className="import-format">
        {result.preset ? t('data.result.preset', { preset: result.preset }) : t('data.result.canonical')}
        {result.format ? <span className="muted"> — {result.format}</span> : null}
      </p>
      {result.warnings.length > 0 ? (
        <ul className="import-warnings">
          {result.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      ) : null}
      {result.errorCount > 0 ? <RejectsTable rows={result.errors.map((e) => ({ line: e.line, column: e.column, value: e.value, reason: e.reason }))} total={result.errorCount} importId={result.importId} workspace={workspace} /> : null}
    </section>
  );
}

/** Rejected rows (the first ones) with a link to all of them as CSV. */
export function RejectsTable(props: { rows: { line: number; column: string | null; value: string | null; reason: string }[]; total: number; importId: number; workspace: string }) {
  const { t, tn } = useI18n();
  const f = useFormat();
  return (
    <div className="rejects">
      <div className="table-scroll">
        <table className="data-table" aria-label={t('data.rejects.caption')}>
          <thead>
            <tr>
              <th scope="col" className="num">
                {t('data.rejects.line')}
              </th>
              <th scope="col">{t('data.rejects.column')}</th>
              <th scope="col">{t('data.rejects.value')}</th>
              <th scope="col">{t('data.rejects.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {props.rows.map((r, i) => (
              <tr key={`${r.line}-${r.column ?? ''}-${i}`}>
                <td className="num">{f.count(r.line)}</td>
                <td>{r.column ?? <span className="muted">—</span>}</td>
                <td className="cell-value">{r.value === null ? <span className="muted">—</span> : <code>{r.value}</code>}</td>
                <td className="cell-reason">{r.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="rejects-foot">
        {props.total > props.rows.length ? <span className="muted">{tn('data.rejects.more', props.total, { shown: props.rows.length })} </span> : null}
        <Link to={`/w/${props.workspace}/data/imports/${props.importId}/errors.csv`} reloadDocument download>
          {t('data.rejects.download')}
        </Link>
      </p>
    </div>
  );
}

function formatBytes(bytes: number, locale: string): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: unit === 0 ? 0 : 1 }).format(value)} ${units[unit]}`;
}
