import { useNavigation } from '@remix-run/react';
import { useId, type ReactNode } from 'react';
import { useI18n } from '../../i18n/i18n';
import { Legend, type LegendItem } from './legend';

/**
 * The box every chart sits in: a heading, an optional legend, and one of
 * three states: the chart, "no data in this range", or (while the router
 * loads new data) the previous chart dimmed with an "Updating…" badge, never
 * a blank box.
 */
export function ChartFrame(props: {
  title: string;
  /** Heading level of the title inside its panel. */
  headingLevel?: 2 | 3;
  /** One line under the title: units, the period, what is left out. */
  description?: ReactNode;
  legend?: LegendItem[];
  isEmpty: boolean;
  /** Shown instead of the chart when isEmpty (default: "No data in this range"). */
  emptyMessage?: string;
  /** Height kept for the empty state so the page does not jump. */
  minHeight?: number;
  children: ReactNode;
}) {
  const { t } = useI18n();
  const navigation = useNavigation();
  const isUpdating = navigation.state === 'loading';
  const titleId = useId();
  const Heading = props.headingLevel === 3 ? 'h3' : 'h2';

  return (
    <figure className={isUpdating ? 'chart is-updating' : 'chart'} aria-labelledby={titleId} aria-busy={isUpdating || undefined}>
      <div className="chart-head">
        <Heading id={titleId} className="chart-title">
          {props.title}
        </Heading>
        {isUpdating ? (
          <span className="chart-badge" role="status">
            {t('chart.updating')}
          </span>
        ) : null}
      </div>
      {props.description ? <p className="chart-description">{props.description}</p> : null}
      {props.legend && !props.isEmpty ? <Legend items={props.legend} /> : null}
      {props.isEmpty ? (
        <div className="chart-empty" style={{ minHeight: props.minHeight ?? 160 }}>
          <p>{props.emptyMessage ?? t('chart.empty')}</p>
        </div>
      ) : (
        props.children
      )}
    </figure>
  );
}
