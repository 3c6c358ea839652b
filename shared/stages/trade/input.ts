import { z } from 'zod';

/** What a trade run reads from its params: optionally only some portfolios. */
export const TradeParams = z.object({ portfolios: z.array(z.string().min(1)).optional() });
export type TradeParams = z.infer<typeof TradeParams>;

/** One trade job: one portfolio, brought up to the run date. */
export const TradeJob = z.object({ portfolio: z.string().min(1) });
export type TradeJob = z.infer<typeof TradeJob>;
