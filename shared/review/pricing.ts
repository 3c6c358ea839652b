/** A model's list price in USD per 1M tokens. */
export interface ModelPrice {
  input: number;
  output: number;
}

// Standard-tier list prices (no cached-input, batch or long-context rates) as the providers published
// them in 2025. Prices change: STRATOS_REVIEW_PRICE_IN/OUT override the configured model's entry.
const PRICES: Record<string, ModelPrice> = {
  'gpt-4.1': { input: 2, output: 8 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4 },
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  'gpt-5': { input: 1.25, output: 10 },
  'gpt-5-mini': { input: 0.25, output: 2 },
  'gpt-5-nano': { input: 0.05, output: 0.4 },
  o3: { input: 2, output: 8 },
  'o4-mini': { input: 1.1, output: 4.4 },
  'gemini-2.0-flash': { input: 0.1, output: 0.4 },
  'gemini-2.0-flash-lite': { input: 0.075, output: 0.3 },
  'gemini-2.5-flash': { input: 0.3, output: 2.5 },
  'gemini-2.5-flash-lite': { input: 0.1, output: 0.4 },
  'gemini-2.5-pro': { input: 1.25, output: 10 },
};

/** The models with a list price, for messages that ask for one. */
export const PRICED_MODELS: readonly string[] = Object.keys(PRICES);

/**
 * The list price of a model: its table entry, also under a provider prefix ("models/", "openai/") or
 * as a pinned snapshot ("gpt-4o-mini-2024-07-18", "gemini-2.0-flash-001"); null for anything else, so
 * that a variant with other pricing ("gpt-4o-audio-preview") is never billed at its family's rate.
 */
export function listPrice(model: string): ModelPrice | null {
  const name = model.toLowerCase().replace(/^[a-z]+\//, '');
  const base = name.replace(/-(\d{4}-\d{2}-\d{2}|\d{3})$/, '');
  return PRICES[base] ?? null;
}

/** USD for one review's tokens: 0 without tokens (rules, cache), null when the model has no price. */
export function reviewCost(price: ModelPrice | null, tokensIn: number, tokensOut: number): number | null {
  if (tokensIn === 0 && tokensOut === 0) return 0;
  if (!price) return null;
  // Rounded to a millionth of a cent: float noise must not leak into stored sums.
  return Math.round((tokensIn * price.input + tokensOut * price.output) * 1e2) / 1e8;
}
