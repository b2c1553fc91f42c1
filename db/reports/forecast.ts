import type { Db } from '../client';
import type { Workspace } from '../schema';
import type { FlatRow } from '../../app/reports/export';
import { computeForecast, FORECAST_FIELDS, type ForecastResult } from '../../app/reports/forecast/forecast';
import type { ForecastParams } from '../../app/reports/forecast/params';
import { getForecastHistory } from '../queries/forecast';
import type { ReportOutput } from './index';

/** The typed forecast of one slice (the whole business, or `params.channel`), for pages. */
export async function getForecast(db: Db, ws: Workspace, params: ForecastParams): Promise<ForecastResult> {
  const [history] = await getForecastHistory(db, ws, { from: params.from, to: params.to, channel: params.channel });
  return computeForecast(history!, { horizon: params.horizon, by: params.by });
}

/** Forecasts of the whole business and of every channel with history, for pages. */
export async function getForecasts(db: Db, ws: Workspace, params: Omit<ForecastParams, 'channel'>): Promise<ForecastResult[]> {
  const histories = await getForecastHistory(db, ws, { from: params.from, to: params.to, allChannels: true });
  return histories.map((h) => computeForecast(h, { horizon: params.horizon, by: params.by }));
}

export const BACKTEST_FIELDS = ['model', 'chosen', 'mape', 'mase', 'origins', 'points', 'horizon_days'] as const;

const round4 = (x: number | null) => (x === null ? null : Math.round(x * 10000) / 10000);

/** `leadpath report forecast`: one row per period of the forecast. */
export async function forecastReport(db: Db, ws: Workspace, params: ForecastParams): Promise<ReportOutput> {
  const f = await getForecast(db, ws, params);
  const backtestRows: FlatRow[] = [];
  for (const [name, e] of [['seasonal_regression', f.backtest.model], ['seasonal_naive', f.backtest.baseline]] as const) {
    if (!e) continue;
    backtestRows.push({ model: name, chosen: f.model === name, mape: round4(e.mape), mase: round4(e.mase), origins: e.origins, points: e.points, horizon_days: f.backtest.horizon });
  }
  return {
    name: 'forecast',
    columns: [...FORECAST_FIELDS],
    rows: f.rows as unknown as FlatRow[],
    notes: [
      `${f.slice === 'total' ? 'whole business' : `channel ${f.slice} (leads by last non-direct channel)`}: history ${f.history.from}..${f.history.to}, forecast ${f.range.from}..${f.range.to}; a period's values cover its forecast days only`,
      ...f.notes,
    ],
    sections: [{ title: 'backtest (daily values)', columns: [...BACKTEST_FIELDS], rows: backtestRows }],
  };
}
