// /learning: the live brain's learning loop — the experience buffer's statistics, the rules attribution
// proposed and those an admin activated (with their evidence), and the shadow exits against live.
import { z } from 'zod';

/** Path of /learning/rules/:id. */
export const LearningRulePath = z
  .object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) })
  .strict();

/** Body of POST /learning/rules/:id: activate (it then blocks matching buys) or retire a rule, with a reason. */
export const LearningRuleDecision = z
  .object({
    status: z.enum(['active', 'retired']),
    reason: z.string().trim().min(1, 'a reason is required').max(1000),
  })
  .strict();

/** A learned rule with its evidence over the setup's closed trades in the buffer. */
export const LearnedRuleView = z.object({
  id: z.number().int(),
  setup: z.string(),
  conditions: z.array(z.object({ feature: z.string(), op: z.enum(['<', '>=']), value: z.number() })),
  description: z.string(),
  status: z.enum(['proposed', 'active', 'retired']),
  support: z.number().int(),
  successes: z.number().int(),
  success_rate: z.number().nullable(),
  base_rate: z.number().nullable(),
  lift: z.number().nullable(),
});
export type LearnedRuleView = z.infer<typeof LearnedRuleView>;

/** GET /learning: the buffer, the rules and the shadows. */
export const LearningOverview = z.object({
  buffer: z.object({
    events: z.number().int(),
    entries: z.number().int(),
    exits: z.number().int(),
    capacity: z.number().int(),
    setups: z.array(
      z.object({
        setup: z.string(),
        trades: z.number().int(),
        wins: z.number().int(),
        stops: z.number().int(),
        mean_pnl: z.number().nullable(),
      }),
    ),
  }),
  rules: z.array(LearnedRuleView),
  shadows: z.array(
    z.object({
      shadow: z.enum(['tighter', 'wider', 'scalp']),
      trades: z.number().int(),
      mean_pnl: z.number().nullable(),
      live_mean_pnl: z.number().nullable(),
      win_rate: z.number().nullable(),
      live_win_rate: z.number().nullable(),
      beats_live: z.boolean(),
    }),
  ),
  min_ghost_trades: z.number().int(),
});
export type LearningOverview = z.infer<typeof LearningOverview>;
