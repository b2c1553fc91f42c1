import { useActionData, useFetcher } from '@remix-run/react';
import { useEffect, useId, useState } from 'react';
import { useFormat, useI18n } from '../i18n/i18n';
import type { SettingsActionResult, StageRow } from '../models/data.server';
import { errorProps, FieldError } from './field-error';
import { useIsHydrated } from './use-is-hydrated';

// The pipeline's stages as an ordered list: rename in place, move up and
// down, add, remove a stage no lead uses. Each row posts its name and the
// name it had (empty for a new stage), so the server can tell a rename from
// an addition. Without JavaScript the list can still be renamed and a stage
// added in the blank row at the end.

interface Row {
  key: string;
  name: string;
  original: string;
  used: number;
}

const toRows = (stages: StageRow[]): Row[] => stages.map((s) => ({ key: s.name, name: s.name, original: s.name, used: s.leads + s.history }));

export function StageEditor(props: { stages: StageRow[]; fixed: string[]; canEdit: boolean }) {
  const { t, tn } = useI18n();
  const f = useFormat();
  const isHydrated = useIsHydrated();
  const fetcher = useFetcher<SettingsActionResult>({ key: 'stages' });
  const [rows, setRows] = useState<Row[]>(() => toRows(props.stages));
  // Saved stages come back from the loader (new names, order, usage): the list starts again from them.
  // (The editor stays mounted so the fetcher keeps the answer it shows.)
  const saved = JSON.stringify(props.stages);
  useEffect(() => setRows(toRows(JSON.parse(saved) as StageRow[])), [saved]);
  const [added, setAdded] = useState(0);
  const baseId = useId();
  // The fetcher's answer; without JavaScript the form posts as a page and the answer is the action data.
  const actionData = useActionData<SettingsActionResult>();
  const result = fetcher.data?.intent === 'stages' ? fetcher.data : actionData?.intent === 'stages' ? actionData : undefined;
  const errors = result && !result.ok ? result.errors : {};
  const busy = fetcher.state !== 'idle';

  const move = (i: number, by: number) =>
    setRows((old) => {
      const next = [...old];
      const [row] = next.splice(i, 1);
      next.splice(i + by, 0, row!);
      return next;
    });
  const shown = isHydrated ? rows : [...rows, { key: 'new', name: '', original: '', used: 0 }];

  return (
    <fetcher.Form method="post" className="editor" aria-labelledby="stages-heading">
      <input type="hidden" name="intent" value="stages" />
      <ol className="editor-list">
        {shown.map((row, i) => {
          const id = `${baseId}-${i}`;
          const error = errors[`stages.${i}`];
          const isFixed = props.fixed.includes(row.original);
          return (
            <li key={row.key} className="editor-row">
              <span className="editor-position" aria-hidden="true">
                {i + 1}
              </span>
              <label htmlFor={id} className="visually-hidden">
                {t('data.settings.stageName', { position: i + 1 })}
              </label>
              <input
                id={id}
                name="stage"
                className="input"
                value={row.name}
                readOnly={!props.canEdit || isFixed}
                onChange={(e) => {
                  const name = e.currentTarget.value;
                  setRows((old) => old.map((r) => (r.key === row.key ? { ...r, name } : r)));
                }}
                placeholder={row.original === '' ? t('data.settings.newStage') : undefined}
                {...errorProps(`${id}-error`, error)}
              />
              <input type="hidden" name="original" value={row.original} />
              <span className="muted editor-note">
                {isFixed ? t('data.settings.fixed') : row.original === '' ? t('data.settings.isNew') : tn('data.settings.used', row.used, { count: f.count(row.used) })}
              </span>
              {isHydrated && props.canEdit ? (
                <span className="editor-actions">
                  <button type="button" className="icon-button" onClick={() => move(i, -1)} disabled={i === 0} aria-label={t('data.settings.moveUp', { name: row.name })}>
                    ↑
                  </button>
                  <button type="button" className="icon-button" onClick={() => move(i, 1)} disabled={i === rows.length - 1} aria-label={t('data.settings.moveDown', { name: row.name })}>
                    ↓
                  </button>
                  <button
                    type="button"
                    className="icon-button"
                    onClick={() => setRows((old) => old.filter((r) => r.key !== row.key))}
                    disabled={row.used > 0 || isFixed}
                    aria-label={t('data.settings.remove', { name: row.name || t('data.settings.newStage') })}
                  >
                    ×
                  </button>
                </span>
              ) : null}
              <FieldError id={`${id}-error`} error={error} />
            </li>
          );
        })}
      </ol>
      {errors.stages ? <FieldError id={`${baseId}-list`} error={errors.stages} /> : null}
      {props.canEdit ? (
        <div className="editor-buttons">
          {isHydrated ? (
            <button
              type="button"
              className="button button-secondary"
              onClick={() => {
                setRows((old) => [...old, { key: `new-${added}`, name: '', original: '', used: 0 }]);
                setAdded((n) => n + 1);
              }}
            >
              {t('data.settings.add')}
            </button>
          ) : null}
          <button type="submit" className="button" disabled={busy}>
            {busy ? t('data.settings.saving') : t('data.settings.saveStages')}
          </button>
          {result?.ok ? (
            <span className="form-success" role="status">
              {t('data.settings.savedStages', { leads: f.count(result.leads) })}
            </span>
          ) : null}
        </div>
      ) : (
        <p className="muted">{t('data.settings.notAllowed')}</p>
      )}
    </fetcher.Form>
  );
}
