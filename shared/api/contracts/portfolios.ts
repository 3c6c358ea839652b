// /portfolios and /kill-switch: paper portfolios, their ledger, decisions and the kill switch.
import { z } from 'zod';
import { AssetType, IsoDate } from '../../domain/market.ts';
import { UniverseId } from '../../domain/universes.ts';

const PortfolioId = z
  .string()
  .regex(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/, 'expected a snake_case portfolio id')
  .max(64);

/** Path of every /portfolios/:id route: any id-shaped name (an unknown one is a 404, or an empty list). */
export const PortfolioPath = z
  .object({ id: z.string().regex(/^[a-z0-9][a-z0-9_]{0,63}$/, 'expected a portfolio id') })
  .strict();

/** Body of POST /portfolios: a strategy (stepped by the engine) or a rebalance rule, never both; always paper. */
export const PortfolioCreate = z
  .object({
    id: PortfolioId,
    name: z.string().min(1).max(200),
    strategy: PortfolioId.optional(),
    strategy_version: z.number().int().min(1).optional(),
    rule: z
      .object({
        every: z.enum(['daily', 'weekly']).optional(),
        weekday: z.number().int().min(1).max(5).optional(),
        top_n: z.number().int().min(1).max(200).optional(),
        weighting: z.enum(['equal', 'inverse_vol', 'min_variance', 'vol_target']).optional(),
        max_weight: z.number().gt(0).lte(1).optional(),
        threshold: z.number().min(0).max(0.5).optional(),
        min_trade_value: z.number().min(0).max(1e9).optional(),
        min_positive_sources: z.number().int().min(0).max(4).optional(),
      })
      .strict()
      .optional(),
    universe: UniverseId,
    starting_cash: z.number().gt(0).max(1e12),
    start_date: IsoDate,
    costs: z
      .object({
        fee_rate: z.number().min(0).max(0.1).optional(),
        fee_fixed: z.number().min(0).max(1000).optional(),
        slippage_rate: z.number().min(0).max(0.1).optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine((p) => (p.strategy === undefined) !== (p.rule === undefined), {
    message: 'a portfolio follows either a strategy or a rebalance rule',
  });

/** Body of PATCH /portfolios/:id: pause or resume one portfolio's trading. */
export const PortfolioPatch = z.object({ trading_enabled: z.boolean() }).strict();

/** One portfolio as listed. */
export const PortfolioView = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['strategy', 'rebalance', 'weekday']),
  strategy_id: z.string().nullable(),
  strategy_version: z.number().nullable(),
  rule: z.record(z.string(), z.unknown()).nullable(),
  universe: z.string(),
  broker: z.string(),
  mode: z.enum(['paper', 'live']),
  starting_cash: z.number(),
  start_date: z.string(),
  trading_enabled: z.boolean(),
  cash: z.number(),
  equity: z.number().nullable(),
  last_date: z.string().nullable(),
});
export const PortfolioList = z.object({ items: z.array(PortfolioView) });

/** A position with its weight of the equity and its target weight of the latest decision day. */
export const PositionView = z.object({
  symbol: z.string(),
  asset_type: AssetType,
  qty: z.number(),
  avg_price: z.number(),
  mark: z.number(),
  value: z.number(),
  weight: z.number(),
  target_weight: z.number().nullable(),
});

/** A BUY / SELL / HOLD / REFUSED decision with the rule and the reason. */
export const DecisionView = z.object({
  date: z.string(),
  symbol: z.string(),
  action: z.enum(['BUY', 'SELL', 'HOLD', 'REFUSED']),
  qty: z.number(),
  target_weight: z.number().nullable(),
  current_weight: z.number().nullable(),
  score: z.number().nullable(),
  rule: z.string(),
  reason: z.string(),
});

export const LockView = z.object({
  rule: z.string(),
  symbol: z.string(),
  from_date: z.string(),
  until_date: z.string(),
  reason: z.string(),
});

/** The kill switch. */
export const KillSwitchView = z.object({
  killed: z.boolean(),
  reason: z.string().nullable(),
  changed_at: z.string(),
});
/** Body of POST /kill-switch: engage (cancels every working order) or release. */
export const KillSwitchSet = z
  .object({ killed: z.boolean(), reason: z.string().min(1).max(500).optional() })
  .strict();
export const KillSwitchResult = KillSwitchView.extend({
  cancelled: z.number(),
  /** Each Alpaca / IBKR account a portfolio trades through: what cancelling there did, or why it could not. */
  brokers: z.array(
    z.object({ broker: z.string(), live: z.boolean(), cancelled: z.number(), error: z.string().nullable() }),
  ),
});

/** GET /portfolios/:id: the portfolio, its holdings against targets, the latest decisions, locks, the switch. */
export const PortfolioDetail = PortfolioView.extend({
  positions: z.array(PositionView),
  decisions: z.array(DecisionView),
  locks: z.array(LockView),
  kill_switch: KillSwitchView,
});

export const OrderView = z.object({
  client_order_id: z.string(),
  date: z.string(),
  symbol: z.string(),
  side: z.enum(['buy', 'sell']),
  qty: z.number(),
  type: z.string(),
  status: z.string(),
  filled_qty: z.number(),
  avg_price: z.number().nullable(),
  rule: z.string(),
  error: z.string().nullable(),
});
export const FillView = z.object({
  seq: z.number(),
  client_order_id: z.string().nullable(),
  date: z.string(),
  symbol: z.string(),
  side: z.enum(['buy', 'sell']),
  qty: z.number(),
  price: z.number(),
  fee: z.number(),
  rule: z.string(),
});
/** Query of the ledger lists: newest first, up to `limit`. */
export const LedgerQuery = z
  .object({ limit: z.coerce.number().int().min(1).max(5000).default(200) })
  .strict();
export const OrderList = z.object({ items: z.array(OrderView) });
export const FillList = z.object({ items: z.array(FillView) });

/** Query of GET /portfolios/:id/decisions: one date (default: the latest). */
export const DecisionQuery = z.object({ date: IsoDate.optional() }).strict();
export const DecisionList = z.object({ date: z.string().nullable(), items: z.array(DecisionView) });
export const LockList = z.object({ items: z.array(LockView) });

/** The equity curve with the benchmark's close and, for a strategy portfolio, its backtest over the same days. */
export const EquityPointView = z.object({
  date: z.string(),
  cash: z.number(),
  equity: z.number(),
  benchmark_close: z.number().nullable(),
  backtest_equity: z.number().nullable(),
});
export const EquityCurve = z.object({ items: z.array(EquityPointView) });

/** GET /portfolios/:id/reconcile: paper against backtest, every difference with its cause. */
export const ReconciliationView = z.object({
  portfolio: z.string(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  days: z.number(),
  fills: z.object({ paper: z.number(), backtest: z.number() }),
  equity: z.object({ paper: z.number().nullable(), backtest: z.number().nullable() }),
  differences: z.array(
    z.object({
      date: z.string(),
      kind: z.enum(['fill', 'cash', 'equity']),
      what: z.string(),
      paper: z.union([z.string(), z.number()]).nullable(),
      backtest: z.union([z.string(), z.number()]).nullable(),
      cause: z.string(),
    }),
  ),
});

export type PortfolioList = z.infer<typeof PortfolioList>;
export type PortfolioDetail = z.infer<typeof PortfolioDetail>;
export type EquityCurve = z.infer<typeof EquityCurve>;
export type OrderList = z.infer<typeof OrderList>;
export type FillList = z.infer<typeof FillList>;
export type KillSwitchView = z.infer<typeof KillSwitchView>;
export type KillSwitchResult = z.infer<typeof KillSwitchResult>;
