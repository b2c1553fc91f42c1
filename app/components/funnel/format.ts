import { useMemo } from 'react';
import { useFormat, useI18n, type I18n } from '../../i18n/i18n';
import { MISSING, type Formatter } from '../../lib/format';
import type { FunnelChartText } from '../charts/funnel-chart';

// Durations and stage names as the funnel, managers and calls pages print
// them. Pure functions (the browser tests format the CLI's figures with the
// same ones) plus hooks bound to the reader's language.

/** Hours as the unit a reader thinks in: minutes under an hour, hours under two days, then days. */
export function formatHours(i18n: Pick<I18n, 't'>, f: Formatter, hours: number | null): string {
  if (hours === null) return MISSING;
  if (hours < 1) return i18n.t('funnel.duration.minutes', { value: f.number(hours * 60, 0) });
  if (hours < 48) return i18n.t('funnel.duration.hours', { value: f.number(hours, 1) });
  return i18n.t('funnel.duration.days', { value: f.number(hours / 24, 1) });
}

/** Days (a sales cycle) with one decimal. */
export function formatDays(i18n: Pick<I18n, 't'>, f: Formatter, days: number | null): string {
  if (days === null) return MISSING;
  return i18n.t('funnel.duration.days', { value: f.number(days, 1) });
}

/** Seconds of a call: '45 s', '3 min 27 s'. */
export function formatSeconds(i18n: Pick<I18n, 't'>, f: Formatter, seconds: number | null): string {
  if (seconds === null) return MISSING;
  const whole = Math.round(seconds);
  if (whole < 60) return i18n.t('funnel.duration.seconds', { value: f.count(whole) });
  return i18n.t('funnel.duration.minSec', { m: f.count(Math.floor(whole / 60)), s: f.count(whole % 60) });
}

/** The default pipeline's stages are translated; a workspace's own stage names are shown as they are. */
export function stageLabel(i18n: Pick<I18n, 'tMaybe'>, stage: string): string {
  return i18n.tMaybe(`funnel.stage.${stage}`, stage);
}

export function useDurations() {
  const i18n = useI18n();
  const f = useFormat();
  return useMemo(
    () => ({
      hours: (v: number | null) => formatHours(i18n, f, v),
      days: (v: number | null) => formatDays(i18n, f, v),
      seconds: (v: number | null) => formatSeconds(i18n, f, v),
    }),
    [i18n, f],
  );
}

/** The labels and formatters a FunnelChart needs, in the reader's language. */
export function useFunnelChartText(): FunnelChartText {
  const i18n = useI18n();
  const f = useFormat();
  return useMemo(
    () => ({
      entered: i18n.t('funnel.entered'),
      skipped: i18n.t('funnel.skipped'),
      reached: i18n.t('funnel.reached'),
      stepConversion: i18n.t('funnel.stepConversion'),
      conversionFromFirst: i18n.t('funnel.conversionFromFirst'),
      medianToNext: i18n.t('funnel.medianToNext'),
      count: (v) => f.count(v),
      percent: (v) => f.percent(v),
      duration: (v) => formatHours(i18n, f, v),
      skippedCount: (n) => i18n.tn('funnel.skippedCount', n),
    }),
    [i18n, f],
  );
}
