import { changeTone, type GoodDirection } from '../lib/change';
import { useFormat, useI18n } from '../i18n/i18n';

/**
 * One key figure with its change against the comparison period. Goes in a
 * <ul className="kpi-grid">. The change is coloured by whether it is good
 * for this measure (CPL down is good) and spelled out for screen readers.
 */
export function KpiCard(props: {
  label: string;
  /** The formatted figure. */
  value: string;
  /** Relative change (0.12 = +12%); null when there is no basis; undefined when nothing is compared. */
  change?: number | null;
  /** The formatted comparison figure. */
  previous?: string;
  goodWhen: GoodDirection;
  /** What the figure means (shown on hover and read by screen readers). */
  help?: string;
}) {
  const { t } = useI18n();
  const f = useFormat();
  const tone = props.change === undefined ? 'neutral' : changeTone(props.change, props.goodWhen);
  const arrow = props.change ? (props.change > 0 ? '▲' : '▼') : '';
  return (
    <li className="kpi">
      <span className="kpi-label" title={props.help}>
        {props.label}
      </span>
      <span className="kpi-value">{props.value}</span>
      {props.change !== undefined ? (
        <span className={`kpi-change kpi-${tone}`}>
          {props.change === null ? (
            <span className="muted">{t('kpi.noBasis')}</span>
          ) : (
            <>
              <span aria-hidden="true">{arrow} </span>
              {f.change(props.change)}
            </>
          )}
          {props.previous !== undefined ? <span className="kpi-previous"> {t('kpi.was', { value: props.previous })}</span> : null}
        </span>
      ) : null}
      {props.help ? <span className="visually-hidden">{props.help}</span> : null}
    </li>
  );
}
