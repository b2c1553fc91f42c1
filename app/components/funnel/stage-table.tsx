import { createColumnHelper } from '@tanstack/react-table';
import { useI18n } from '../../i18n/i18n';
import type { FunnelStageRow } from '../../reports/funnel';
import { DataTable, type DataColumn, type DataTableFeatures } from '../data-table';
import { stageLabel, useDurations } from './format';

// The stage table under a funnel chart: per stage entered, reached and the
// leads that skipped it (docs/decisions/004-funnel-reach.md), the step and
// cumulative conversion and the median time to the next stage.

const column = createColumnHelper<DataTableFeatures, FunnelStageRow>();

export const STAGE_COLUMNS: DataColumn<FunnelStageRow>[] = [
  column.accessor('stage', { meta: { label: 'funnel.stage' }, enableSorting: false, cell: (c) => <StageName stage={c.getValue()} /> }),
  column.accessor('entered', { meta: { label: 'funnel.entered', kind: 'count' }, enableSorting: false }),
  column.accessor('skipped', { meta: { label: 'funnel.skipped', kind: 'count' }, enableSorting: false }),
  column.accessor('reached', { meta: { label: 'funnel.reached', kind: 'count' }, enableSorting: false }),
  column.accessor('step_conversion', { meta: { label: 'funnel.stepConversion', kind: 'percent' }, enableSorting: false }),
  column.accessor('conversion_from_first', { meta: { label: 'funnel.conversionFromFirst', kind: 'percent' }, enableSorting: false }),
  column.accessor('median_hours_to_next', {
    meta: { label: 'funnel.medianToNext', numeric: true },
    enableSorting: false,
    cell: (c) => <Hours value={c.getValue()} />,
  }),
];

function StageName({ stage }: { stage: string }) {
  return <>{stageLabel(useI18n(), stage)}</>;
}

export function Hours({ value }: { value: number | null }) {
  return <>{useDurations().hours(value)}</>;
}

/** The stages of one funnel (one group), in pipeline order. */
export function StageTable(props: { caption: string; stages: FunnelStageRow[]; exportName?: string }) {
  const { t } = useI18n();
  return (
    <DataTable
      caption={props.caption}
      columns={STAGE_COLUMNS}
      data={props.stages}
      getRowId={(r) => r.stage}
      exportName={props.exportName}
      emptyMessage={t('funnel.noLeads')}
    />
  );
}
