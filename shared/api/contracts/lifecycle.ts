// /lifecycle: the strategy lifecycle's board, strategies with their transitions, admin actions, the
// discovery loop's configuration and a cycle on demand.
import { z } from 'zod';
import { IsoDate } from '../../domain/market.ts';

/** Body of PATCH /lifecycle/config (defined beside the gates it validates). */
export { LifecycleConfigPatch } from '../../lifecycle/config.ts';

const StrategyId = z
  .string()
  .regex(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/, 'expected a snake_case strategy id')
  .max(100);
const Phase = z.enum(['backtest', 'paper', 'live', 'retired', 'rejected']);
const Reason = z.string().trim().min(1, 'a reason is required').max(1000);

/** Path of /lifecycle/strategies/:id routes. */
export const LifecyclePath = z.object({ id: StrategyId }).strict();

/** Body of POST /lifecycle/strategies: put a stored strategy into the lifecycle at the backtest phase. */
export const LifecycleEnrol = z.object({ strategy: StrategyId, reason: Reason }).strict();

/** Body of POST /lifecycle/strategies/:id/actions: promote, reject, pause or resume, with a reason. */
export const LifecycleActionRequest = z
  .object({ action: z.enum(['promote', 'reject', 'pause', 'resume']), reason: Reason })
  .strict();

/** Body of POST /lifecycle/cycles: run a cycle now, as of a date (default: the market's latest complete day). */
export const LifecycleCycleRequest = z.object({ date: IsoDate.optional() }).strict();

const Gates = z.object({
  min_trades: z.number(),
  min_sharpe: z.number(),
  min_return: z.number(),
  max_drawdown: z.number(),
  min_dsr: z.number(),
  paper_min_days: z.number(),
  paper_band_z: z.number(),
  paper_stop: z.number(),
  paper_timeout_days: z.number(),
  max_live: z.number(),
  live_max_drawdown: z.number(),
  paper_cash: z.number(),
});

/** The lifecycle's configuration with every gate's value (defaults filled). */
export const LifecycleConfigView = z.object({
  discovery_enabled: z.boolean(),
  proposals_per_hour: z.number(),
  universe: z.string(),
  lookback_days: z.number(),
  seed: z.number(),
  gates: Gates,
  updated_by: z.string().nullable(),
  updated_at: z.string(),
});
export type LifecycleConfigView = z.infer<typeof LifecycleConfigView>;

/** One strategy on the board with the numbers that placed it there. */
export const LifecycleCard = z.object({
  strategy_id: z.string(),
  name: z.string(),
  description: z.string(),
  phase: Phase,
  paused: z.boolean(),
  origin: z.enum(['discovery', 'admin']),
  builtin: z.string().nullable(),
  params: z.record(z.string(), z.number()).nullable(),
  phase_at: z.string(),
  /** The backtest gate's numbers (null until the cycle backtested it). */
  sharpe: z.number().nullable(),
  dsr: z.number().nullable(),
  total_return: z.number().nullable(),
  max_drawdown: z.number().nullable(),
  trades: z.number().nullable(),
  trials: z.number().nullable(),
  portfolio_id: z.string().nullable(),
  paper_since: z.string().nullable(),
  live_since: z.string().nullable(),
  /** Trading days of the paper portfolio after its first day, its P&L and return. */
  paper_days: z.number().nullable(),
  pnl: z.number().nullable(),
  return_pct: z.number().nullable(),
  /** The reason of the strategy's latest transition. */
  last_reason: z.string().nullable(),
});
export type LifecycleCard = z.infer<typeof LifecycleCard>;

/** GET /lifecycle/board: the header's numbers, the three columns and the configuration. */
export const LifecycleBoard = z.object({
  header: z.object({
    /** Strategies backtested and gated since 00:00 UTC. */
    tested_today: z.number(),
    /** Share of every gated backtest that passed to paper (null before the first). */
    success_rate: z.number().nullable(),
    /** Share of the strategies that left paper that went live (null before the first). */
    graduation_rate: z.number().nullable(),
    /** Sum of the live strategies' paper-broker P&L since their portfolios started. */
    live_pnl: z.number(),
    counts: z.record(Phase, z.number()),
  }),
  columns: z.object({
    backtest: z.array(LifecycleCard),
    paper: z.array(LifecycleCard),
    live: z.array(LifecycleCard),
  }),
  config: LifecycleConfigView,
  /** The hourly schedule (pipeline_schedules row 'lifecycle'): whether it is enabled and when it last ran. */
  schedule: z
    .object({ enabled: z.boolean(), cron: z.string(), last_run_at: z.string().nullable() })
    .nullable(),
});
export type LifecycleBoard = z.infer<typeof LifecycleBoard>;

/** One stored transition. */
export const LifecycleTransition = z.object({
  id: z.number(),
  strategy_id: z.string(),
  action: z.enum(['propose', 'enrol', 'promote', 'reject', 'retire', 'pause', 'resume']),
  from_phase: Phase.nullable(),
  to_phase: Phase,
  actor: z.enum(['system', 'admin']),
  reason: z.string(),
  metrics: z.record(z.string(), z.unknown()),
  at: z.string(),
});

/** GET /lifecycle/transitions: the latest transitions, newest first. */
export const LifecycleTransitionList = z.object({ items: z.array(LifecycleTransition) });

/** Query of GET /lifecycle/transitions. */
export const LifecycleTransitionQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(50),
    phase: Phase.optional(),
  })
  .strict();

/** GET /lifecycle/strategies/:id: the card and every transition, oldest first. */
export const LifecycleDetail = z.object({
  card: LifecycleCard,
  transitions: z.array(LifecycleTransition),
});

/** What a cycle started on demand is: its run, and the hour that seeds its proposals. */
export const LifecycleCycleStarted = z.object({
  run_id: z.number(),
  hour: z.string(),
  date: z.string(),
  created: z.boolean(),
});
