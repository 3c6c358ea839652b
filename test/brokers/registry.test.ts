import { afterEach, describe, expect, it } from 'vitest';
import { createBroker, EXTERNAL_BROKER_IDS } from '../../shared/brokers/registry.ts';
import type { Broker } from '../../shared/brokers/types.ts';
import { startFakeAlpacaBroker } from '../support/fake-brokers/alpaca.ts';
import { startFakeIbkr } from '../support/fake-brokers/ibkr.ts';

const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function built(build: ReturnType<typeof createBroker>): Broker {
  if (!('broker' in build)) throw new Error(`not built: ${build.missing}`);
  return build.broker;
}

describe('broker registry', () => {
  it('names alpaca and ibkr and refuses an unknown broker', () => {
    expect(EXTERNAL_BROKER_IDS).toEqual(['alpaca', 'ibkr']);
    expect(() => createBroker('robinhood', {}, { live: false })).toThrow(/unknown broker "robinhood"/);
  });

  it('says which variables are missing, with paper and live keys apart', () => {
    expect(createBroker('alpaca', {}, { live: false })).toEqual({
      missing: 'ALPACA_API_KEY_ID and ALPACA_API_SECRET_KEY are not set',
    });
    const paperKeys = {
      ALPACA_API_KEY_ID: 'PKPAPERKEY01',
      ALPACA_API_SECRET_KEY: 'paper-secret-0001',
      STRATOS_LIVE_TRADING: 'enabled',
    };
    // Paper keys never serve a live portfolio.
    expect(createBroker('alpaca', paperKeys, { live: true })).toEqual({
      missing: 'ALPACA_LIVE_API_KEY_ID and ALPACA_LIVE_API_SECRET_KEY are not set',
    });
    expect(createBroker('alpaca', { ...paperKeys, ALPACA_API_SECRET_KEY: ' ' }, { live: false })).toEqual({
      missing: 'ALPACA_API_SECRET_KEY is not set',
    });
    expect(
      createBroker('ibkr', { IBKR_ACCOUNT_ID: 'DU1234567', STRATOS_LIVE_TRADING: 'enabled' }, { live: true }),
    ).toEqual({
      missing: 'IBKR_LIVE_ACCOUNT_ID is not set',
    });
    expect(() => createBroker('ibkr', { IBKR_ACCOUNT_ID: 'U7654321' }, { live: false })).toThrow(
      /real money/,
    );
  });

  it('builds no live broker unless the server allows live trading, whatever the keys', () => {
    const env = {
      ALPACA_LIVE_API_KEY_ID: 'AKLIVEKEY0001',
      ALPACA_LIVE_API_SECRET_KEY: 'live-secret-000001',
      IBKR_LIVE_ACCOUNT_ID: 'U7654321',
    };
    for (const id of EXTERNAL_BROKER_IDS) {
      for (const flag of [undefined, '', 'true', 'ENABLED']) {
        expect(() => createBroker(id, { ...env, STRATOS_LIVE_TRADING: flag }, { live: true })).toThrow(
          /live trading is disabled/,
        );
      }
      const build = createBroker(id, { ...env, STRATOS_LIVE_TRADING: 'enabled' }, { live: true });
      expect('broker' in build && build.broker.paper).toBe(false);
    }
  });

  it('builds each broker from the environment, base URL included, on its paper account', async () => {
    const alpacaFake = await startFakeAlpacaBroker({ keyId: 'PKPAPERKEY01', secret: 'paper-secret-0001' });
    const ibkrFake = await startFakeIbkr();
    servers.push(alpacaFake, ibkrFake);
    const env = {
      ALPACA_API_KEY_ID: 'PKPAPERKEY01',
      ALPACA_API_SECRET_KEY: 'paper-secret-0001',
      ALPACA_TRADING_BASE_URL: alpacaFake.baseUrl,
      IBKR_ACCOUNT_ID: 'DU1234567',
      IBKR_BASE_URL: ibkrFake.baseUrl,
    };
    for (const id of EXTERNAL_BROKER_IDS) {
      const broker = built(createBroker(id, env, { live: false }));
      expect([broker.name, broker.paper]).toEqual([id, true]);
      expect((await broker.account()).equity).toBe(100_000);
    }
  });
});
