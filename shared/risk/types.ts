/** One risk rule's verdict on one question, with the numbers that decided it. */
export interface RiskDecision {
  /** The rule's id: `daily_profit_cap`, `consensus`, `regime`, `conviction`, `max_positions`, `lock`. */
  rule: string;
  /** Whether the rule lets the entry (or the day's buying) through. */
  allow: boolean;
  /** Size multiplier the rule applies to an allowed entry (1 when it does not size). */
  sizeMultiplier: number;
  reason: string;
}
