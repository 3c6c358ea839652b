import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importCsv } from '../../shared/bars/import.ts';
import { createContext } from '../../shared/config.ts';
import type { PipelineContext } from '../../shared/pipeline/types.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

// CSV import follows the same duplicate rule as provider ingest, because both go through the one
// bar screen: identical copies store one bar and ledger the rest, conflicting copies store nothing.

let db: TestDatabase;
let ctx: PipelineContext;

beforeEach(async () => {
  db = await createTestDatabase();
  ctx = createContext({}, { sql: db.sql, log: () => {} });
});
afterEach(() => db.drop());

const CSV = [
  'date,open,high,low,close,volume,Name',
  '2013-02-08,15.07,15.12,14.63,14.75,8407500,AAL',
  '2013-02-11,14.89,15.01,14.26,14.46,8882000,AAL',
  '2013-02-11,14.89,15.01,14.26,14.46,8882000,AAL',
  '2013-02-12,14.45,14.51,14.1,14.27,8126000,AAL',
  '2013-02-12,14.45,14.51,14.1,14.37,8126000,AAL',
  '2013-02-13,14.3,14.94,14.25,abc,10259500,AAL',
].join('\n');

describe('CSV import of repeated dates', () => {
  it('keeps one of identical copies, stores no conflicting copy, ledgers each, and converges on a re-import', async () => {
    for (let attempt = 0; attempt < 2; attempt++) {
      const result = await importCsv(ctx, { text: CSV, assetType: 'equity' });
      expect(result.rejected).toBe(4);
      const bars = await ctx.sql<{ date: string; close: number }[]>`
        select date::text as date, close from daily_bars order by date`;
      expect(bars).toEqual([
        { date: '2013-02-08', close: 14.75 },
        { date: '2013-02-11', close: 14.46 },
      ]);
      const ledger = await ctx.sql<{ date: string | null; reason: string }[]>`
        select date, reason from data_quality_ledger where kind = 'rejected' order by date nulls last, reason`;
      expect(ledger).toEqual([
        {
          date: '2013-02-11',
          reason: 'duplicate: copy 2 of 2 identical bars for AAL on 2013-02-11 in one batch',
        },
        {
          date: '2013-02-12',
          reason:
            'duplicate_conflict: 2 different bars for AAL on 2013-02-12 in one batch (close 14.27 vs 14.37); none is stored',
        },
        {
          date: '2013-02-12',
          reason:
            'duplicate_conflict: 2 different bars for AAL on 2013-02-12 in one batch (close 14.27 vs 14.37); none is stored',
        },
        { date: null, reason: 'non_numeric: close "abc" is not a number' },
      ]);
    }
  });
});
