// The forecast engine: pure functions, no I/O. See forecast.ts for the
// definitions and docs/decisions/005-forecast-model.md for the choices.
export * from './backtest';
export * from './baseline';
export * from './calendar';
export * from './conversion';
export * from './forecast';
export * from './regression';
export * from './slice-model';
