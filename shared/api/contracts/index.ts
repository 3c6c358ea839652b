// Every HTTP contract by name: control-api's OpenAPI document names its components after these exports.
export * from './assets.ts';
export * from './backtests.ts';
export * from './errors.ts';
export * from './features.ts';
export * from './health.ts';
export * from './news.ts';
export * from './portfolios.ts';
export * from './quality.ts';
export * from './reviews.ts';
export * from './runs.ts';
export * from './schedules.ts';
export * from './scorecards.ts';
export * from './sentiment.ts';
export * from './signals.ts';
export * from './stages.ts';
export * from './strategies.ts';
export * from './templates.ts';
