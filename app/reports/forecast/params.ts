import { z } from 'zod';
import { dateRangeSchema } from '../params';
import { FORECAST_UNITS, MAX_HORIZON_DAYS } from './forecast';

/**
 * Parameters of the forecast report, from the URL or the CLI: the history is
 * from..to (workspace days, inclusive), the forecast covers the `horizon`
 * days after `to`.
 */
export const forecastParamsSchema = z.intersection(
  dateRangeSchema,
  z.object({
    horizon: z.coerce.number().int('a whole number of days').min(1).max(MAX_HORIZON_DAYS, `at most ${MAX_HORIZON_DAYS} days (6 months)`).default(90),
    by: z.enum(FORECAST_UNITS).default('week'),
    channel: z.string().trim().min(1).max(200).optional(),
  }),
);

export type ForecastParams = z.output<typeof forecastParamsSchema>;
export type ForecastParamsInput = z.input<typeof forecastParamsSchema>;
