import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, launchLocalStack } from '../../scripts/local/stack.ts';
import { latestCompleteDay } from '../../shared/calendar/index.ts';
import { createContext } from '../../shared/config.ts';
import { METRIC_DEFINITIONS } from '../../shared/engine/metrics.ts';
import { proposeRules } from '../../shared/learning/attribution.ts';
import type { Experience } from '../../shared/learning/experience.ts';
import {
  type GhostTrade,
  loadLearnedTrades,
  recordExperience,
  saveGhostTrades,
  saveProposals,
} from '../../shared/learning/store.ts';
import { updateLifecycleConfig } from '../../shared/lifecycle/config.ts';
import { runLifecycleCycle } from '../../shared/lifecycle/cycle.ts';
import { runWeekday } from '../../shared/search/weekday/run.ts';
import { seedWeekdaySearch } from '../search/weekday-fixture.ts';
import { TEST_KEYS } from '../support/auth.ts';
import { browserUnavailable, launchBrowser, SCREENSHOTS } from '../support/browser.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

const skip = browserUnavailable();

/**
 * The dashboard in Chromium against the real local stack (`npm start` on a throwaway database, with
 * the demo data): every page, a filter, an asset's chart, a write refused as a reader and accepted
 * as an admin. Screenshots land in .stratos/screenshots/.
 */
describe.skipIf(skip !== null)('dashboard in a browser', () => {
  let db: TestDatabase;
  let stack: LocalStack;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    stack = await launchLocalStack({
      port: 0,
      seed: true,
      env: { ...process.env, DATABASE_URL: db.url, ...TEST_KEYS },
      log: () => {},
    });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('response', (r) => {
      // Refused writes are part of the test; anything else 4xx/5xx is a bug.
      if (r.status() >= 400 && r.status() !== 401 && r.status() !== 403)
        problems.push(`HTTP ${r.status()} ${r.url()}`);
    });
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await db?.drop();
  });

  const shot = (name: string, fullPage = false) =>
    page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage });

  it('Today shows each market’s pipeline, counts, reviews and signals', async () => {
    await page.goto(`${stack.base}/#/`);
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await expect.poll(() => page.locator('text=succeeded').count(), { timeout: 30_000 }).toBeGreaterThan(3);
    await expect.poll(() => page.locator('text=Top AI reviews').count()).toBe(1);
    await shot('today', true);
  });

  it('Screener filters by asset type into the URL and sorts by a column', async () => {
    await page.goto(`${stack.base}/#/screener`);
    await page.locator('table.assets tbody tr').first().waitFor();
    const typeSelect = page.locator('.filters select').first();
    await typeSelect.selectOption('equity');
    await expect.poll(() => page.url()).toContain('type=equity');
    const links = () =>
      page
        .locator('table.assets tbody th a')
        .evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
    await expect.poll(async () => (await links()).every((href) => href.includes('/equity/'))).toBe(true);
    await page.locator('th', { hasText: 'rsi_14' }).first().click();
    await expect.poll(() => page.url()).toContain('sort=rsi_14');
    expect(await page.locator('table.assets tbody tr').count()).toBeGreaterThan(10);
    await shot('screener');
  });

  it('an asset page draws the chart with overlays and a lower pane', async () => {
    await page.goto(`${stack.base}/#/asset/crypto/BTC`);
    await page.locator('.chart canvas').first().waitFor();
    await page.selectOption('.chart-toolbar select', 'macd');
    await page.locator('.chart-toolbar label', { hasText: 'Bollinger' }).click();
    expect(await page.locator('.chart canvas').count()).toBeGreaterThan(0);
    await expect.poll(() => page.locator('text=Signals').count()).toBeGreaterThan(0);
    await shot('asset');
  });

  it.each([
    ['signals', 'Signals'],
    ['reviews', 'AI reviews'],
    ['news', 'News'],
    ['pipeline', 'Pipeline'],
  ])('the %s page renders', async (path, title) => {
    await page.goto(`${stack.base}/#/${path}`);
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    await page.waitForLoadState('networkidle');
    expect(await page.locator('.error-state, [role=alert]').count()).toBe(0);
    await shot(path, true);
  });

  it('Portfolio shows a demo paper portfolio: curves, holdings against targets, decisions, orders, fills', async () => {
    await page.goto(`${stack.base}/#/portfolio?id=demo_weekly`);
    await page.getByRole('heading', { level: 1, name: 'Portfolio' }).waitFor();
    await page.locator('.chart canvas').first().waitFor();
    await expect.poll(() => page.locator('table.decisions tbody tr').count()).toBeGreaterThan(0);
    await expect.poll(() => page.locator('text=Trading enabled').count()).toBe(1);
    await expect.poll(() => page.locator('h2', { hasText: 'Fills' }).count()).toBe(1);
    expect(await page.locator('[role=alert]').count()).toBe(0);
    await shot('portfolio', true);
  });

  it('Search shows runs with progress, the trial ledger paged and filtered, pruned variations, groups, the selection and the weekday run', async () => {
    const runId = await seedWeekdaySearch(db.sql, 2);
    const ctx = createContext({ DATABASE_URL: db.url, ...TEST_KEYS }, { sql: db.sql });
    await runWeekday(ctx, '2026-11-24', { shortlist: 5, top: 2 });
    await page.goto(`${stack.base}/#/search`);
    await page.getByRole('heading', { level: 1, name: 'Strategy search' }).waitFor();
    await page.locator(`table.search-runs a[href="#/search?run=${runId}"]`).waitFor();
    expect(await page.locator('table.search-runs progress').count()).toBe(1);
    await expect.poll(() => page.locator('table.search-trials tbody tr').count()).toBe(25);
    await page.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => page.url()).toContain('offset=25');
    await page.getByLabel('algorithm').selectOption('rsi_oversold');
    await expect.poll(() => page.url()).toContain('algorithm=rsi_oversold');
    await expect.poll(() => page.locator('table.search-trials tbody tr').count()).toBe(17);
    expect(await page.locator('table.search-pruned tbody tr').count()).toBe(2);
    // The run's group and the week's selection are the same group.
    expect(await page.locator('table.search-groups tbody tr', { hasText: 'selected' }).count()).toBe(2);
    await expect.poll(() => page.locator('table.search-weekday tbody tr strong').count()).toBe(2);
    expect(await page.locator('[role=alert]').count()).toBe(0);
    await shot('search', true);
  });

  it('Backtests lists the demo backtest and shows its result, trades and chart markers', async () => {
    await page.goto(`${stack.base}/#/backtests`);
    await page.getByRole('heading', { level: 1, name: 'Backtests' }).waitFor();
    const demo = page.locator('table.backtests tbody tr', { hasText: 'sma_cross' }).first();
    await expect.poll(() => demo.locator('.status-succeeded').count(), { timeout: 30_000 }).toBe(1);
    await expect
      .poll(() => page.locator('table.strategies tbody tr', { hasText: 'sma_cross' }).count())
      .toBe(1);
    await shot('backtests', true);

    await demo.locator('a').first().click();
    await page.getByRole('heading', { level: 1, name: /Backtest #\d+/ }).waitFor();
    await page.locator('.chart canvas').first().waitFor();
    // Each metric carries the engine's definition on hover.
    expect(await page.locator('abbr[data-metric="sharpe"]').getAttribute('title')).toBe(
      METRIC_DEFINITIONS.sharpe,
    );
    expect(await page.locator('table.heatmap tbody tr').count()).toBeGreaterThan(0);
    const trades = page.locator('table.trades tbody tr');
    expect(await trades.count()).toBeGreaterThan(0);
    await page.locator('table.trades th', { hasText: 'P&L' }).getByRole('button').click();
    await expect
      .poll(() => page.locator('table.trades th[aria-sort="descending"]').textContent())
      .toContain('P&L');
    await shot('backtest-result', true);

    await trades.first().locator('a.sym').click();
    await expect.poll(() => page.url()).toMatch(/#\/asset\/crypto\/[^?]+\?backtest=\d+$/);
    await page.getByText(/Trades of/).waitFor();
    await page.locator('.chart canvas').first().waitFor();
    await shot('asset-with-trades');
  });

  it('the strategy editor validates as you type', async () => {
    await page.goto(`${stack.base}/#/backtests`);
    await page.locator('table.strategies tbody tr', { hasText: 'sma_cross' }).getByRole('button').click();
    const status = page.locator('.editor-status');
    await expect.poll(() => status.textContent()).toMatch(/Valid strategy/);
    const editor = page.locator('.editor textarea');
    const spec = JSON.parse(await editor.inputValue());
    await editor.fill(JSON.stringify({ ...spec, sizing: { mode: 'half' } }, null, 2));
    await expect.poll(() => status.textContent()).toMatch(/problem/);
    await expect.poll(() => page.locator('.issues').textContent()).toContain('sizing');
    await shot('strategy-editor');
  });

  it('refuses a write as a reader, then accepts it with the admin token', async () => {
    await page.goto(`${stack.base}/#/`);
    const refused = page.waitForResponse((r) => r.url().endsWith('/runs') && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Run pipeline' }).click();
    expect((await refused).status()).toBe(403);
    await page.locator('.denied-banner').waitFor();
    await shot('refused-as-reader');

    await page.locator('.denied-banner').getByText('Open settings').click();
    await page.fill('input[aria-label="Admin token"]', TEST_KEYS.STRATOS_ADMIN_TOKEN);
    await page.locator('dialog').getByText('Save').click();
    await page.keyboard.press('Escape');
    const accepted = page.waitForResponse(
      (r) => r.url().endsWith('/runs') && r.request().method() === 'POST',
    );
    await page.getByRole('button', { name: 'Run pipeline' }).click();
    expect((await accepted).status()).toBe(202);
    await shot('accepted-as-admin');
  });

  it('as an admin, runs a backtest with overrides, follows it and compares it with the demo', async () => {
    await page.goto(`${stack.base}/#/backtests`);
    const form = page.locator('form.backtest-form');
    await form.getByLabel('strategy').selectOption('sma_cross');
    await form.getByLabel('overrides').fill('fast=5 slow=20');
    await form.getByLabel('universe').fill('crypto_all');
    const posted = page.waitForResponse(
      (r) => r.url().endsWith('/backtests') && r.request().method() === 'POST',
    );
    await form.getByRole('button', { name: 'Run backtest' }).click();
    const answer = await posted;
    expect(answer.status(), await answer.text()).toBe(202);
    await expect.poll(() => page.url()).toMatch(/#\/backtests\/\d+$/);
    await expect.poll(() => page.locator('.facts .status-succeeded').count(), { timeout: 60_000 }).toBe(1);
    await expect.poll(() => page.locator('.facts').textContent()).toContain('fast=5 slow=20');
    const compare = page.getByLabel('compare with');
    const other = await compare.locator('option').nth(1).getAttribute('value');
    await compare.selectOption(other ?? '');
    await expect.poll(() => page.url()).toContain(`?compare=${other}`);
    const id = /#\/backtests\/(\d+)/.exec(page.url())?.[1];
    await expect
      .poll(() => page.locator('table.metrics thead th').allTextContents())
      .toContain(`#${other} − #${id}`);
    await page.locator('.chart canvas').first().waitFor();
    await shot('backtest-compare', true);
  });

  it('as an admin, runs a walk-forward from the form and sees each fold, the embargo and the out-of-sample row', async () => {
    await page.goto(`${stack.base}/#/backtests`);
    const form = page.locator('form.backtest-form');
    await form.getByLabel('strategy').selectOption('sma_cross');
    await expect
      .poll(() => page.locator('table.parameters').textContent())
      .toContain('10 · integer in [2, 400]');
    await form.getByLabel('universe').fill('crypto_all');
    await form.getByLabel('walk-forward').selectOption('rolling');
    await form.getByLabel('train days').fill('120');
    await form.getByLabel('test days').fill('60');
    const posted = page.waitForResponse(
      (r) => r.url().endsWith('/backtests') && r.request().method() === 'POST',
    );
    await form.getByRole('button', { name: 'Run backtest' }).click();
    const answer = await posted;
    expect(answer.status(), await answer.text()).toBe(202);
    await expect.poll(() => page.url()).toMatch(/#\/backtests\/\d+$/);
    await expect.poll(() => page.locator('.facts .status-succeeded').count(), { timeout: 60_000 }).toBe(1);
    const folds = page.locator('section', { has: page.locator('#folds-title') });
    await expect.poll(() => folds.textContent()).toMatch(/rolling · train 120 · embargo \d+ · test 60/);
    expect(await folds.locator('table.folds tbody tr').count()).toBeGreaterThan(1);
    await expect.poll(() => folds.locator('tfoot').textContent()).toContain('out of sample');
    await shot('backtest-walk-forward', true);
  });

  it('Strategies shows the lifecycle board; an admin pauses a strategy with a reason and stops discovery', async () => {
    // One discovery hour over the demo equities, gates loosened so that what trades reaches paper.
    const ctx = createContext({ DATABASE_URL: db.url, ...TEST_KEYS }, { sql: db.sql });
    await updateLifecycleConfig(
      ctx.sql,
      { gates: { min_trades: 1, min_sharpe: -10, min_return: -1, max_drawdown: 1, min_dsr: 0 } },
      'test',
    );
    await runLifecycleCycle(ctx, '2026-11-23T15:00:00.000Z', latestCompleteDay('equity', new Date()));
    await page.goto(`${stack.base}/#/strategies`);
    await page.getByRole('heading', { level: 1, name: 'Strategies' }).waitFor();
    await expect.poll(() => page.locator('.lc-header').textContent()).toMatch(/Tested today\s*[1-9]/);
    const cards = page.locator('.lc-card');
    await expect
      .poll(() =>
        page
          .locator('section[aria-label="Backtest"], section[aria-label="Paper"], section[aria-label="Live"]')
          .count(),
      )
      .toBe(3);
    await page.locator('.settings-btn').click();
    await page.fill('input[aria-label="Admin token"]', TEST_KEYS.STRATOS_ADMIN_TOKEN);
    await page.locator('dialog').getByText('Save').click();
    await page.keyboard.press('Escape');
    if ((await cards.count()) > 0) {
      const card = cards.first();
      await card.getByLabel('Action').selectOption('pause');
      await card.getByLabel('Reason').fill('looking into it');
      await card.getByRole('button', { name: 'Apply' }).click();
      await expect.poll(() => card.textContent()).toContain('admin: looking into it');
      expect(await card.locator('.badge', { hasText: 'paused' }).count()).toBe(1);
    }
    await page.getByRole('button', { name: 'Stop discovery' }).click();
    await expect.poll(() => page.locator('.lc-controls').textContent()).toContain('Discovery is off');
    await page.getByRole('button', { name: 'Start discovery' }).click();
    await expect.poll(() => page.locator('.lc-controls').textContent()).toContain('Discovery is on');
    expect(await page.locator('[role=alert]').count()).toBe(0);
    await shot('strategies', true);
  });

  it('Learning shows the buffer, a proposed rule an admin activates with a reason, and shadows against live', async () => {
    // The admin's earlier "Run pipeline" may still be harvesting paper trades: once no job is left, the
    // learning tables hold only what this test writes.
    await expect
      .poll(
        async () =>
          (
            await db.sql<{ n: number }[]>`
              select count(*)::int as n from pipeline_jobs where status in ('queued', 'running')`
          )[0]!.n,
        { timeout: 45_000, interval: 1_000 },
      )
      .toBe(0);
    await db.sql`delete from learning_experiences`;
    await db.sql`delete from learning_ghost_trades`;
    await db.sql`delete from learning_rules`;
    // 40 closed paper trades of one setup: the 15 entered with RSI at 65 or above were stopped out.
    const events: Experience[] = [];
    for (let i = 0; i < 40; i++) {
      const lost = 40 + i >= 65;
      const base = {
        tradeKey: `t${i}`,
        source: 'paper' as const,
        setup: 'rsi_probe',
        symbol: 'AAPL',
        assetType: 'equity' as const,
        side: 'long' as const,
        snapshot: { rsi_14: 40 + i },
      };
      events.push(
        { ...base, kind: 'entry', at: new Date(Date.UTC(2026, 8, 1 + i)).toISOString(), price: 100 },
        {
          ...base,
          kind: 'exit',
          at: new Date(Date.UTC(2026, 8, 4 + i)).toISOString(),
          price: lost ? 98 : 104,
          pnl: lost ? -0.02 : 0.04,
          outcome: lost ? 'stop' : 'win',
          exitReason: lost ? 'stop' : 'target',
        },
      );
    }
    expect(await recordExperience(db.sql, events)).toBe(80);
    const trades = await loadLearnedTrades(db.sql);
    const proposals = proposeRules(trades);
    expect(proposals.length).toBeGreaterThan(0);
    await saveProposals(db.sql, proposals, trades, '2026-11-01T00:00:00.000Z');
    // The wider shadow has all 40 ghosts and beats live; the tighter one has 10, too few to say.
    const ghosts: GhostTrade[] = [
      ...trades.map((t) => ({
        shadow: 'wider' as const,
        trade: t,
        at: t.exitAt,
        price: t.exitPrice,
        reason: 'target' as const,
        pnl: t.pnl + 0.01,
        livePnl: t.pnl,
      })),
      ...trades.slice(0, 10).map((t) => ({
        shadow: 'tighter' as const,
        trade: t,
        at: t.exitAt,
        price: t.exitPrice,
        reason: 'stop' as const,
        pnl: t.pnl - 0.01,
        livePnl: t.pnl,
      })),
    ];
    await saveGhostTrades(db.sql, ghosts);

    await page.goto(`${stack.base}/#/learning`);
    await page.getByRole('heading', { level: 1, name: 'Learning' }).waitFor();
    const buffer = page.locator('section[aria-label="Experience buffer"]');
    await expect.poll(() => buffer.locator('.stat').first().textContent()).toMatch(/^80events/);
    const setup = buffer.locator('tr[data-setup="rsi_probe"]');
    expect(await setup.locator('td').allTextContents()).toEqual(['40', '62.5%', '15', '+1.75%']);

    const first = proposals[0]!;
    const [stored] = await db.sql<{ id: string }[]>`
      select id from learning_rules where setup = ${first.setup} order by lift desc nulls last, id limit 1`;
    const row = page.locator(`tr[data-rule="${stored!.id}"]`);
    await expect.poll(() => row.textContent()).toContain('proposed');
    expect(await row.textContent()).toContain('rsi_14');

    const wider = page.locator('tr[data-shadow="wider"]');
    expect(await wider.textContent()).toContain('beats live');
    expect(await wider.locator('td').first().textContent()).toBe('40');
    expect(await page.locator('tr[data-shadow="tighter"]').textContent()).toContain('needs 20 more ghosts');
    expect(await page.locator('tr[data-shadow="scalp"] td').first().textContent()).toBe('0');

    await page.locator('.settings-btn').click();
    await page.fill('input[aria-label="Admin token"]', TEST_KEYS.STRATOS_ADMIN_TOKEN);
    await page.locator('dialog').getByText('Save').click();
    await page.keyboard.press('Escape');
    await row.getByRole('button', { name: 'Activate' }).click();
    await row.getByLabel('Reason').fill('overbought entries keep stopping out');
    const decided = page.waitForResponse(
      (r) => r.url().endsWith(`/learning/rules/${stored!.id}`) && r.request().method() === 'POST',
    );
    await row.getByRole('button', { name: 'Activate' }).click();
    expect((await decided).status()).toBe(200);
    await expect.poll(() => row.locator('.badge').textContent()).toBe('active');
    const [decision] = await db.sql<{ status: string; reason: string }[]>`
      select status, reason from learning_rules where id = ${stored!.id}`;
    expect(decision).toEqual({ status: 'active', reason: 'overbought entries keep stopping out' });
    expect(await page.locator('[role=alert]').count()).toBe(0);
    await shot('learning', true);
  });

  it('works at phone width in the dark theme', async () => {
    await page.getByRole('button', { name: /Switch to dark/ }).click();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${stack.base}/#/screener`);
    await page.locator('table.assets tbody tr').first().waitFor();
    await shot('phone-screener-dark');
    await page.goto(`${stack.base}/#/backtests/1`);
    await page.locator('.chart canvas').first().waitFor();
    await shot('phone-backtest-dark', true);
  });

  it('saw no page errors and no failed requests besides the refused write', () => {
    expect(problems).toEqual([]);
  });
});
