import { useI18n } from '../../i18n/i18n';
import type { FunnelStageRow } from '../../reports/funnel';
import { FunnelChart, type FunnelStage } from '../charts/funnel-chart';
import { stageLabel, useFunnelChartText } from './format';
import { StageTable } from './stage-table';

/** Chart stages of one group's report rows. */
export function toChartStages(i18n: ReturnType<typeof useI18n>, rows: FunnelStageRow[]): FunnelStage[] {
  return rows.map((r) => ({
    key: r.stage,
    label: stageLabel(i18n, r.stage),
    entered: r.entered,
    reached: r.reached,
    stepConversion: r.step_conversion,
    conversionFromFirst: r.conversion_from_first,
    medianHoursToNext: r.median_hours_to_next,
  }));
}

/**
 * A stage funnel with its table: the chart shows entered and skipped
 * leads per stage, the table the same figures exactly, plus how skipped
 * stages are counted.
 */
export function FunnelPanel(props: { title: string; stages: FunnelStageRow[]; exportName: string; headingLevel?: 2 | 3 }) {
  const i18n = useI18n();
  const { t } = i18n;
  const text = useFunnelChartText();
  const skipped = props.stages.reduce((n, s) => n + s.skipped, 0);
  return (
    <>
      <FunnelChart
        title={props.title}
        description={t('funnel.chartHelp')}
        stages={toChartStages(i18n, props.stages)}
        text={text}
        headingLevel={props.headingLevel}
        emptyMessage={t('funnel.noLeads')}
      />
      {props.stages.length > 0 ? (
        <>
          <StageTable caption={t('funnel.stageTable', { title: props.title })} stages={props.stages} exportName={props.exportName} />
          <p className="muted panel-note">{skipped > 0 ? t('funnel.skippedNote') : t('funnel.noSkipped')}</p>
        </>
      ) : null}
    </>
  );
}
