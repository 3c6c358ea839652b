/**
 * CoinGecko API ids of the demo universe's 30 coins. Symbols are not unique on CoinGecko (dozens of
 * tokens call themselves UNI or SAND), so the coins that matter are pinned here; other symbols are
 * looked up in /coins/list and used only when exactly one coin carries them.
 */
export const COINS: readonly (readonly [symbol: string, id: string, name: string])[] = [
  ['BTC', 'bitcoin', 'Bitcoin'],
  ['ETH', 'ethereum', 'Ethereum'],
  ['BNB', 'binancecoin', 'BNB'],
  ['XRP', 'ripple', 'XRP'],
  ['SOL', 'solana', 'Solana'],
  ['ADA', 'cardano', 'Cardano'],
  ['DOGE', 'dogecoin', 'Dogecoin'],
  ['TRX', 'tron', 'TRON'],
  ['AVAX', 'avalanche-2', 'Avalanche'],
  ['DOT', 'polkadot', 'Polkadot'],
  ['LINK', 'chainlink', 'Chainlink'],
  ['MATIC', 'matic-network', 'Polygon'],
  ['LTC', 'litecoin', 'Litecoin'],
  ['BCH', 'bitcoin-cash', 'Bitcoin Cash'],
  ['ATOM', 'cosmos', 'Cosmos'],
  ['XLM', 'stellar', 'Stellar'],
  ['UNI', 'uniswap', 'Uniswap'],
  ['ETC', 'ethereum-classic', 'Ethereum Classic'],
  ['FIL', 'filecoin', 'Filecoin'],
  ['NEAR', 'near', 'NEAR Protocol'],
  ['APT', 'aptos', 'Aptos'],
  ['ICP', 'internet-computer', 'Internet Computer'],
  ['HBAR', 'hedera-hashgraph', 'Hedera'],
  ['ALGO', 'algorand', 'Algorand'],
  ['VET', 'vechain', 'VeChain'],
  ['AAVE', 'aave', 'Aave'],
  ['MKR', 'maker', 'Maker'],
  ['XTZ', 'tezos', 'Tezos'],
  ['SAND', 'the-sandbox', 'The Sandbox'],
  ['MANA', 'decentraland', 'Decentraland'],
];
