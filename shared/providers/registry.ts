import { createDemoProvider } from './demo/index.ts';
import type { MarketDataProvider } from './types.ts';

/** Providers that can be named in configuration, by id. File-based providers (csv) are built by the CLI. */
const FACTORIES: Record<string, () => MarketDataProvider> = {
  demo: createDemoProvider,
};

export const PROVIDER_IDS = Object.keys(FACTORIES);

/** A new provider instance for an id, or null when the id is unknown. */
export function createProvider(id: string): MarketDataProvider | null {
  return FACTORIES[id]?.() ?? null;
}
