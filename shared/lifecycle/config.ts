import { z } from 'zod';
import type { Sql } from '../db/client.ts';
import { AppError, formatIssues } from '../errors/index.ts';

/**
 * The promotion gates. A backtest must pass every one to reach paper; the deflated Sharpe is the gate
 * that knows how many strategies were tried (the best of ten noise strategies already shows an
 * annualised Sharpe near 1.5 on a year of daily data, so the raw Sharpe gate alone would promote noise).
 */
const GateFields = z.strictObject({
  /** Closed trades the backtest needs, so its statistics rest on more than a handful of bets. */
  min_trades: z.number().int().min(0).max(100_000),
  /** Annualised Sharpe ratio of the backtest's daily returns. */
  min_sharpe: z.number().min(-10).max(20),
  /** Total return over the look-back, as a fraction (0.05 = 5%). */
  min_return: z.number().min(-1).max(100),
  /** Deepest fall below the running peak the backtest may show, as a positive fraction. */
  max_drawdown: z.number().gt(0).max(1),
  /** Deflated Sharpe ratio (probability that the true Sharpe beats the best of N noise trials). */
  min_dsr: z.number().min(0).max(1),
  /** Trading days of paper before a paper strategy may go live. */
  paper_min_days: z.number().int().min(1).max(1000),
  /** Half-width of the expected paper band, in standard deviations of the backtest's cumulative return. */
  paper_band_z: z.number().gt(0).max(10),
  /** Paper return at or below which a strategy is rejected at once, as a fraction. */
  paper_stop: z.number().min(-1).max(0),
  /** Trading days after which a paper strategy that has not qualified is rejected. */
  paper_timeout_days: z.number().int().min(1).max(1000),
  /** Live strategies at most; a qualified paper strategy waits for a free slot. */
  max_live: z.number().int().min(0).max(1000),
  /** Fall of a live strategy's equity below its peak since going live at which it is retired. */
  live_max_drawdown: z.number().gt(0).max(1),
  /** Starting cash of the paper portfolio a promoted strategy trades. */
  paper_cash: z.number().gt(0).max(1e12),
});
/** What each gate is when the stored configuration does not set it. */
const GATE_DEFAULTS: z.infer<typeof GateFields> = {
  min_trades: 20,
  min_sharpe: 1,
  min_return: 0.05,
  max_drawdown: 0.25,
  min_dsr: 0.95,
  paper_min_days: 7,
  paper_band_z: 2,
  paper_stop: -0.05,
  paper_timeout_days: 30,
  max_live: 5,
  live_max_drawdown: 0.15,
  paper_cash: 100_000,
};

/** The gates as stored (only what an admin set) with the defaults filled in for the rest. */
export const LifecycleGates = GateFields.partial().transform((set) => ({
  ...GATE_DEFAULTS,
  ...Object.fromEntries(Object.entries(set).filter(([, v]) => v !== undefined)),
}));
export type LifecycleGates = z.infer<typeof GateFields>;

/** The lifecycle's configuration as the loop, the API and the board read it, defaults filled. */
export interface LifecycleConfig {
  discovery_enabled: boolean;
  proposals_per_hour: number;
  universe: string;
  lookback_days: number;
  seed: number;
  gates: LifecycleGates;
  updated_by: string | null;
  updated_at: string;
}

/** What an admin may change; absent keys are kept, gates merge key by key over the stored ones. */
export const LifecycleConfigPatch = z.strictObject({
  discovery_enabled: z.boolean().optional(),
  proposals_per_hour: z.number().int().min(0).max(50).optional(),
  universe: z
    .string()
    .regex(/^[a-z][a-z0-9_]*$/)
    .max(100)
    .optional(),
  lookback_days: z.number().int().min(30).max(3650).optional(),
  seed: z.number().int().min(0).max(2_147_483_647).optional(),
  gates: GateFields.partial().optional(),
});
export type LifecycleConfigPatch = z.infer<typeof LifecycleConfigPatch>;

interface Row {
  discovery_enabled: boolean;
  proposals_per_hour: number;
  universe: string;
  lookback_days: number;
  seed: number;
  gates: Record<string, unknown>;
  updated_by: string | null;
  updated_at: Date;
}

/** Stored gate overrides over the defaults; an override the schema no longer accepts is a stored-data error. */
function gatesOf(stored: Record<string, unknown>): LifecycleGates {
  const parsed = LifecycleGates.safeParse(stored);
  if (!parsed.success)
    throw new AppError('internal', `lifecycle_config.gates is invalid: ${formatIssues(parsed.error.issues)}`);
  return parsed.data;
}

/** The configuration row with the gates' defaults filled in. */
export async function loadLifecycleConfig(sql: Sql): Promise<LifecycleConfig> {
  const [row] = await sql<Row[]>`
    select discovery_enabled, proposals_per_hour, universe, lookback_days, seed, gates, updated_by, updated_at
    from lifecycle_config`;
  if (!row)
    throw new AppError('internal', 'lifecycle_config has no row (migration 20261209000700 not applied?)');
  return { ...row, gates: gatesOf(row.gates), updated_at: row.updated_at.toISOString() };
}

/** Applies an admin's change (validated by LifecycleConfigPatch) and returns the new configuration. */
export async function updateLifecycleConfig(
  sql: Sql,
  patch: LifecycleConfigPatch,
  by: string,
): Promise<LifecycleConfig> {
  if (patch.universe !== undefined) {
    const [u] = await sql`select id from universes where id = ${patch.universe}`;
    if (!u) throw new AppError('invalid_input', `unknown universe "${patch.universe}"`, { retryable: false });
  }
  await sql`
    update lifecycle_config set
      discovery_enabled = coalesce(${patch.discovery_enabled ?? null}::boolean, discovery_enabled),
      proposals_per_hour = coalesce(${patch.proposals_per_hour ?? null}::int, proposals_per_hour),
      universe = coalesce(${patch.universe ?? null}::text, universe),
      lookback_days = coalesce(${patch.lookback_days ?? null}::int, lookback_days),
      seed = coalesce(${patch.seed ?? null}::int, seed),
      gates = gates || ${sql.json((patch.gates ?? {}) as never)}::jsonb,
      updated_by = ${by}, updated_at = now()`;
  return loadLifecycleConfig(sql);
}
