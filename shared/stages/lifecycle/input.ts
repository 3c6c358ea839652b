import { z } from 'zod';

/** A lifecycle run's params: the hour it runs for (ISO, on the hour), which seeds the proposals. */
export const LifecycleParams = z.object({ hour: z.iso.datetime() });
export type LifecycleParams = z.infer<typeof LifecycleParams>;

/** The one job of a lifecycle run: the whole cycle (a few backtests and paper steps an hour). */
export const LifecycleJob = z.object({ hour: z.iso.datetime() });
export type LifecycleJob = z.infer<typeof LifecycleJob>;
