// `stratos broker`: checks a broker connection before a portfolio trades through it (keys, gateway
// login, account, market clock, positions, working orders). Read only: it sends no order.
import { createBroker, EXTERNAL_BROKER_IDS } from '../shared/brokers/registry.ts';
import { AppError } from '../shared/errors/index.ts';

type Values = Record<string, string | boolean | undefined>;

const money = (n: number) => n.toFixed(2);

/** Runs `stratos broker --broker alpaca|ibkr [--live] [--json]`; returns the exit code. */
export async function brokerCommand(
  values: Values,
  env: Record<string, string | undefined>,
): Promise<number> {
  const id = values.broker;
  if (typeof id !== 'string')
    throw new AppError('invalid_input', `--broker is required (${EXTERNAL_BROKER_IDS.join(', ')})`);
  if (id === 'paper')
    throw new AppError(
      'invalid_input',
      "the paper broker lives in each portfolio's ledger: see stratos portfolio show",
    );
  const live = values.live === true;
  const build = createBroker(id, env, { live });
  if ('missing' in build)
    throw new AppError('invalid_input', `${id}${live ? ' (live)' : ''}: ${build.missing}`);
  const { broker } = build;
  const account = await broker.account();
  const clock = await broker.clock();
  const positions = await broker.positions();
  const orders = await broker.openOrders();
  if (values.json === true) {
    console.log(
      JSON.stringify({ broker: broker.name, paper: broker.paper, account, clock, positions, orders }),
    );
    return 0;
  }
  const flags = [
    account.patternDayTrader ? 'pattern day trader' : '',
    account.tradingBlocked ? 'TRADING BLOCKED' : '',
  ]
    .filter(Boolean)
    .map((f) => ` [${f}]`)
    .join('');
  console.log(`${broker.name} (${broker.paper ? 'paper' : 'LIVE'})`);
  console.log(
    `  account: ${account.currency} cash ${money(account.cash)}, equity ${money(account.equity)}, buying power ${money(account.buyingPower)}${flags}`,
  );
  console.log(
    `  market: ${clock.isOpen ? 'open' : 'closed'} at ${clock.timestamp}; next open ${clock.nextOpen}, next close ${clock.nextClose}`,
  );
  console.log(`  positions (${positions.length}):`);
  for (const p of positions)
    console.log(
      `    ${p.symbol.padEnd(8)} ${String(p.qty).padStart(10)} @ ${money(p.avgEntryPrice)}, marked ${money(p.marketPrice)}`,
    );
  console.log(`  working orders (${orders.length}):`);
  for (const o of orders) {
    const price = o.limitPrice ?? o.stopPrice;
    console.log(
      `    ${o.clientOrderId}  ${o.side} ${o.qty} ${o.symbol} ${o.type}${price === null ? '' : ` ${price}`} ${o.status}`,
    );
  }
  return 0;
}
