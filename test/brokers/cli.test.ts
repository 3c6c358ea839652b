import { afterEach, describe, expect, it, vi } from 'vitest';
import { stratos } from '../support/cli.ts';
import { startFakeAlpacaBroker } from '../support/fake-brokers/alpaca.ts';
import { startFakeIbkr } from '../support/fake-brokers/ibkr.ts';

const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('stratos broker', () => {
  it('reads the account, clock, positions and working orders of an Alpaca paper account', async () => {
    const fake = await startFakeAlpacaBroker({ keyId: 'PKCLITEST0001', secret: 'cli-secret-000001' });
    servers.push(fake);
    fake.positions.set('AAPL', { qty: 12, avgEntry: 180, openedToday: false });
    fake.account.cash = 97_840;
    vi.stubEnv('ALPACA_API_KEY_ID', 'PKCLITEST0001');
    vi.stubEnv('ALPACA_API_SECRET_KEY', 'cli-secret-000001');
    vi.stubEnv('ALPACA_TRADING_BASE_URL', fake.baseUrl);
    const { code, output } = await stratos('broker', '--broker', 'alpaca');
    expect(code).toBe(0);
    expect(output).toContain('alpaca (paper)');
    expect(output).toContain('account: USD cash 97840.00, equity 100120.00, buying power 97840.00');
    expect(output).toMatch(/AAPL\s+12 @ 180.00, marked 190.00/);
    expect(output).toContain('working orders (0)');
    expect(output).not.toContain('cli-secret-000001');
    // Read only: nothing was sent.
    expect(fake.requests.every((r) => r.method === 'GET')).toBe(true);
  });

  it('prints one JSON object for an IBKR paper account', async () => {
    const fake = await startFakeIbkr();
    servers.push(fake);
    vi.stubEnv('IBKR_ACCOUNT_ID', 'DU1234567');
    vi.stubEnv('IBKR_BASE_URL', fake.baseUrl);
    const { code, output } = await stratos('broker', '--broker', 'ibkr', '--json');
    expect(code).toBe(0);
    const body = JSON.parse(output);
    expect([body.broker, body.paper, body.account.equity, body.positions, body.orders]).toEqual([
      'ibkr',
      true,
      100_000,
      [],
      [],
    ]);
  });

  it('exits 2 naming what is not set or not known, and 1 with one line when the broker refuses', async () => {
    vi.stubEnv('ALPACA_API_KEY_ID', '');
    vi.stubEnv('ALPACA_API_SECRET_KEY', '');
    const missing = await stratos('broker', '--broker', 'alpaca');
    expect(missing).toEqual({
      code: 2,
      output: 'stratos broker: alpaca: ALPACA_API_KEY_ID and ALPACA_API_SECRET_KEY are not set',
    });
    expect((await stratos('broker', '--broker', 'etrade')).code).toBe(2);
    expect((await stratos('broker')).code).toBe(2);
    expect((await stratos('broker', '--broker', 'paper')).output).toMatch(/portfolio/);

    const fake = await startFakeIbkr({ authenticated: false });
    servers.push(fake);
    vi.stubEnv('IBKR_ACCOUNT_ID', 'DU1234567');
    vi.stubEnv('IBKR_BASE_URL', fake.baseUrl);
    const refused = await stratos('broker', '--broker', 'ibkr');
    expect(refused.code).toBe(1);
    expect(refused.output).toBe(
      'stratos broker: the Client Portal Gateway cannot trade: it is not logged in',
    );
  });
});
