import postgres from 'postgres';

/** The SQL client every stage and the API use (postgres.js). */
export type Sql = postgres.Sql;

/** Opens a connection pool; `max` stays small because Edge Functions run many instances. */
export function connect(url: string, opts: { max?: number } = {}): Sql {
  return postgres(url, {
    max: opts.max ?? 5,
    onnotice: () => {},
    idle_timeout: 20,
    // Supabase's transaction pooler does not support prepared statements.
    prepare: !url.includes(':6543'),
    // Ids and counts are int8; they stay far below 2^53, so plain numbers are exact.
    types: {
      // Trading dates stay 'YYYY-MM-DD' strings: a JS Date would shift them by the local time zone.
      date: { to: 1082, from: [1082], serialize: (x: string) => x, parse: (x: string) => x },
      int8: { to: 20, from: [20], serialize: (x: number) => String(x), parse: (x: string) => Number(x) },
    },
    transform: { undefined: null },
  });
}
