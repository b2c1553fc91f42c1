import type { Forecaster } from './backtest';

/**
 * The seasonal-naive baseline: each forecast day repeats the same weekday of
 * the last observed week (y_{T+h} = y_{T+h−7k}, k the smallest that reaches
 * back into history). It knows the weekly shape and the current level and
 * nothing else, which is what a model has to beat to be worth its terms.
 */
export const seasonalNaive: Forecaster = (train, _firstDay, horizon) => {
  const n = train.length;
  if (n < 7) return null;
  const out: number[] = [];
  for (let h = 1; h <= horizon; h++) out.push(train[n - 7 + ((h - 1) % 7)]!);
  return out;
};
