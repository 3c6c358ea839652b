import type { z } from 'zod';
import { describeConditions, type LearnedRule } from '../learning/rules.ts';
import { MIN_GHOST_TRADES, shadowReports } from '../learning/shadows.ts';
import {
  bufferStats,
  DEFAULT_BUFFER_SIZE,
  decideRule,
  loadGhostResults,
  loadRules,
} from '../learning/store.ts';
import type { PipelineContext } from '../pipeline/types.ts';
import type { LearnedRuleView, LearningOverview } from './contracts/learning.ts';

const finite = (x: number | null) => (x !== null && Number.isFinite(x) ? x : null);

const ruleView = (r: LearnedRule): z.infer<typeof LearnedRuleView> => ({
  id: r.id,
  setup: r.setup,
  conditions: r.conditions,
  description: describeConditions(r.conditions),
  status: r.status,
  support: r.support,
  successes: r.successes,
  success_rate: finite(r.successRate),
  base_rate: finite(r.baseRate),
  lift: finite(r.lift),
});

/** The Learning page's data: buffer statistics, every rule with its evidence, shadows against live. */
export async function learningOverview(ctx: PipelineContext): Promise<z.infer<typeof LearningOverview>> {
  const [buffer, rules, ghosts] = await Promise.all([
    bufferStats(ctx.sql),
    loadRules(ctx.sql),
    loadGhostResults(ctx.sql),
  ]);
  return {
    buffer: {
      events: buffer.events,
      entries: buffer.entries,
      exits: buffer.exits,
      capacity: DEFAULT_BUFFER_SIZE,
      setups: buffer.setups.map((s) => ({ ...s, mean_pnl: finite(s.meanPnl) })),
    },
    rules: rules.map(ruleView),
    shadows: shadowReports(ghosts).map((s) => ({
      shadow: s.shadow,
      trades: s.trades,
      mean_pnl: finite(s.meanPnl),
      live_mean_pnl: finite(s.liveMeanPnl),
      win_rate: finite(s.winRate),
      live_win_rate: finite(s.liveWinRate),
      beats_live: s.beatsLive,
    })),
    min_ghost_trades: MIN_GHOST_TRADES,
  };
}

/** An admin activates or retires a learned rule with a reason; the rule as it now stands. */
export async function learningDecide(
  ctx: PipelineContext,
  id: number,
  status: 'active' | 'retired',
  reason: string,
  by: string,
): Promise<z.infer<typeof LearnedRuleView>> {
  return ruleView(await decideRule(ctx.sql, id, status, by, reason));
}
