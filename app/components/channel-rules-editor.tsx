import { useActionData, useFetcher } from '@remix-run/react';
import { useEffect, useId, useState } from 'react';
import { useFormat, useI18n, type I18n, type PluralKey } from '../i18n/i18n';
import type { ChannelMove, RulesActionResult } from '../models/data.server';
import { EMPTY_TOKEN, type RuleText } from './channel-rule-text';
import { errorProps, FieldError } from './field-error';
import { useIsHydrated } from './use-is-hydrated';

// The ordered channel rules (the first that matches a touch's source and
// medium names its channel). Edits are previewed first: the server counts,
// over all history, the rows that would move from one channel to another;
// "Apply" then saves the rules and re-derives every channel and what depends
// on it. Apply is offered once the rules on screen have been previewed.

interface Row extends RuleText {
  key: string;
}

let nextKey = 0;
const withKeys = (rules: RuleText[]): Row[] => rules.map((r) => ({ ...r, key: `r${nextKey++}` }));

const MOVE_KEYS: Record<ChannelMove['table'], PluralKey> = {
  sessions: 'data.rules.move.sessions',
  spend: 'data.rules.move.spend',
  tracking_numbers: 'data.rules.move.tracking_numbers',
  campaigns: 'data.rules.move.campaigns',
  leads: 'data.rules.move.leads',
};

/** "1,240 sessions move from Referral to Paid social". */
export function moveText(i18n: I18n, f: { count(n: number): string }, m: ChannelMove): string {
  const label = (c: string | null) => (c === null ? i18n.t('data.rules.noChannel') : i18n.tMaybe(`channel.${c}`, c));
  return i18n.tn(MOVE_KEYS[m.table], m.rows, { count: f.count(m.rows), from: label(m.from), to: label(m.to) });
}

export function ChannelRulesEditor(props: { rules: RuleText[]; defaults: RuleText[]; channels: string[]; canEdit: boolean }) {
  const i18n = useI18n();
  const { t } = i18n;
  const isHydrated = useIsHydrated();
  const fetcher = useFetcher<RulesActionResult>({ key: 'channel-rules' });
  const actionData = useActionData<RulesActionResult>();
  const [rows, setRows] = useState<Row[]>(() => withKeys(props.rules));
  const [previewed, setPreviewed] = useState<string | null>(null);
  // Applied rules come back from the loader: the editor starts again from them.
  // (The editor stays mounted so the fetcher keeps the answer it shows.)
  const saved = JSON.stringify(props.rules);
  useEffect(() => setRows(withKeys(JSON.parse(saved) as RuleText[])), [saved]);
  const baseId = useId();
  const result = fetcher.data ?? actionData;
  const errors = result && !result.ok ? result.errors : {};
  const busy = fetcher.state !== 'idle';
  const signature = JSON.stringify(rows.map(({ key: _key, ...r }) => r));
  const isPreviewCurrent = result?.ok === true && result.intent === 'preview' && previewed === signature;
  const editable = props.canEdit;

  const update = (key: string, patch: Partial<RuleText>) => setRows((old) => old.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const move = (i: number, by: number) =>
    setRows((old) => {
      const next = [...old];
      const [row] = next.splice(i, 1);
      next.splice(i + by, 0, row!);
      return next;
    });

  return (
    <fetcher.Form
      method="post"
      className="editor"
      onSubmit={(event) => {
        const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
        if (submitter?.value === 'preview') setPreviewed(signature);
      }}
    >
      <datalist id={`${baseId}-channels`}>
        {props.channels.map((c) => (
          <option key={c} value={c} />
        ))}
      </datalist>
      <div className="rules-head" aria-hidden="true">
        <span>#</span>
        <span>{t('data.rules.channel')}</span>
        <span>{t('data.rules.sourceIn')}</span>
        <span>{t('data.rules.sourceNotIn')}</span>
        <span>{t('data.rules.mediumIn')}</span>
        <span />
      </div>
      <ol className="editor-list rules-list">
        {rows.map((row, i) => {
          const id = `${baseId}-${i}`;
          const field = (name: keyof RuleText, label: string, placeholder?: string) => {
            const error = errors[`rules.${i}.${name}`];
            return (
              <span className="rule-field">
                <label htmlFor={`${id}-${name}`} className="rule-label">
                  {label}
                </label>
                <input
                  id={`${id}-${name}`}
                  name={name}
                  className="input"
                  value={row[name]}
                  list={name === 'channel' ? `${baseId}-channels` : undefined}
                  placeholder={placeholder}
                  readOnly={!editable}
                  autoComplete="off"
                  onChange={(e) => update(row.key, { [name]: e.currentTarget.value })}
                  {...errorProps(`${id}-${name}-e`, error)}
                />
                <FieldError id={`${id}-${name}-e`} error={error} />
              </span>
            );
          };
          return (
            <li key={row.key} className="editor-row rule-row" aria-label={t('data.rules.rule', { position: i + 1 })}>
              <span className="editor-position" aria-hidden="true">
                {i + 1}
              </span>
              {field('channel', t('data.rules.channel'))}
              {field('sourceIn', t('data.rules.sourceIn'), t('data.rules.any'))}
              {field('sourceNotIn', t('data.rules.sourceNotIn'), t('data.rules.none'))}
              {field('mediumIn', t('data.rules.mediumIn'), t('data.rules.any'))}
              {isHydrated && editable ? (
                <span className="editor-actions">
                  <button type="button" className="icon-button" onClick={() => move(i, -1)} disabled={i === 0} aria-label={t('data.rules.moveUp', { position: i + 1 })}>
                    ↑
                  </button>
                  <button type="button" className="icon-button" onClick={() => move(i, 1)} disabled={i === rows.length - 1} aria-label={t('data.rules.moveDown', { position: i + 1 })}>
                    ↓
                  </button>
                  <button type="button" className="icon-button" onClick={() => setRows((old) => old.filter((r) => r.key !== row.key))} aria-label={t('data.rules.remove', { position: i + 1 })}>
                    ×
                  </button>
                </span>
              ) : (
                <span />
              )}
            </li>
          );
        })}
      </ol>
      <p className="muted form-help">{t('data.rules.help', { empty: EMPTY_TOKEN })}</p>
      {errors.rules ? <FieldError id={`${baseId}-rules`} error={errors.rules} /> : null}
      {editable ? (
        <div className="editor-buttons">
          {isHydrated ? (
            <>
              <button type="button" className="button button-secondary" onClick={() => setRows((old) => [...old, ...withKeys([{ channel: '', sourceIn: '', sourceNotIn: '', mediumIn: '' }])])}>
                {t('data.rules.add')}
              </button>
              <button type="button" className="button button-secondary" onClick={() => setRows(withKeys(props.defaults))}>
                {t('data.rules.defaults')}
              </button>
            </>
          ) : null}
          <button type="submit" name="intent" value="preview" className="button button-secondary" disabled={busy}>
            {t('data.rules.preview')}
          </button>
          <button type="submit" name="intent" value="apply" className="button" disabled={busy || (isHydrated && !isPreviewCurrent)}>
            {busy && fetcher.formData?.get('intent') === 'apply' ? t('data.rules.applying') : t('data.rules.apply')}
          </button>
        </div>
      ) : (
        <p className="muted">{t('data.rules.notAllowed')}</p>
      )}
      {isHydrated && editable && !isPreviewCurrent && !(result?.ok && result.intent === 'apply') ? <p className="muted form-help">{t('data.rules.previewFirst')}</p> : null}
      {result?.ok ? <MovesSummary moves={result.moves} applied={result.intent === 'apply'} stale={result.intent === 'preview' && !isPreviewCurrent && isHydrated} /> : null}
      {result?.ok === false ? (
        <p className="form-error" role="alert">
          {t('data.rules.fixErrors')}
        </p>
      ) : null}
    </fetcher.Form>
  );
}

function MovesSummary({ moves, applied, stale }: { moves: ChannelMove[]; applied: boolean; stale: boolean }) {
  const i18n = useI18n();
  const f = useFormat();
  const { t } = i18n;
  return (
    <div className={applied ? 'moves is-applied' : stale ? 'moves is-stale' : 'moves'} role="status" aria-label={applied ? t('data.rules.appliedTitle') : t('data.rules.previewTitle')}>
      <h3>{applied ? t('data.rules.appliedTitle') : t('data.rules.previewTitle')}</h3>
      {stale ? <p className="muted">{t('data.rules.stale')}</p> : null}
      {moves.length === 0 ? (
        <p>{t('data.rules.noMoves')}</p>
      ) : (
        <ul>
          {moves.map((m) => (
            <li key={`${m.table}|${m.from}|${m.to}`}>{moveText(i18n, f, m)}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
