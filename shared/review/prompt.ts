import { reviewPromptV3 } from './prompts/v3.ts';
import type { ReviewInput } from './types.ts';

/** A versioned prompt: text and data rendering are frozen together, so a version names exactly what was sent. */
export interface ReviewPrompt {
  version: string;
  system: string;
  user(input: ReviewInput): string;
  /** Every price level the user message states (bar prices, price features, reference levels), for the grounding check. */
  prices(input: ReviewInput): number[];
}

/** A chat message in the shape every OpenAI-compatible API takes. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** The prompt new reviews use; a change means a new prompts/vN.ts, never an edit of a shipped version. */
export const currentPrompt: ReviewPrompt = reviewPromptV3;

/** The opening conversation of a review: the rules, then the asset's facts and nothing else. */
export function buildMessages(input: ReviewInput): ChatMessage[] {
  return [
    { role: 'system', content: currentPrompt.system },
    { role: 'user', content: currentPrompt.user(input) },
  ];
}
