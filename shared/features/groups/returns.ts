import { defineGroup, feature, logReturns, returns } from '../define.ts';

/** Simple and log returns over 1 bar to a year. */
export const returnsGroup = defineGroup(
  [
    feature('ret_1', 'returns', 'fraction', 1, 'Return over the last bar: close / previous close - 1.'),
    feature('ret_5', 'returns', 'fraction', 5, 'Return over the last 5 bars: close / close 5 bars ago - 1.'),
    feature(
      'ret_20',
      'returns',
      'fraction',
      20,
      'Return over the last 20 bars (about a month of trading days).',
    ),
    feature(
      'ret_60',
      'returns',
      'fraction',
      60,
      'Return over the last 60 bars (about a quarter of trading days).',
    ),
    feature('ret_120', 'returns', 'fraction', 120, 'Return over the last 120 bars (about half a year).'),
    feature('ret_252', 'returns', 'fraction', 252, 'Return over the last 252 bars (a year of trading days).'),
    feature(
      'log_ret_1',
      'returns',
      'log return',
      1,
      'Log return over the last bar: ln(close / previous close).',
    ),
    feature(
      'log_ret_5',
      'returns',
      'log return',
      5,
      'Log return over the last 5 bars: ln(close / close 5 bars ago).',
    ),
    feature('log_ret_20', 'returns', 'log return', 20, 'Log return over the last 20 bars.'),
    feature('log_ret_60', 'returns', 'log return', 60, 'Log return over the last 60 bars.'),
    feature('log_ret_120', 'returns', 'log return', 120, 'Log return over the last 120 bars.'),
    feature('log_ret_252', 'returns', 'log return', 252, 'Log return over the last 252 bars.'),
  ],
  (input) => {
    const { close } = input.bars;
    return {
      ret_1: returns(close, 1),
      ret_5: returns(close, 5),
      ret_20: returns(close, 20),
      ret_60: input.returns(60),
      ret_120: returns(close, 120),
      ret_252: returns(close, 252),
      log_ret_1: input.logReturns(),
      log_ret_5: logReturns(close, 5),
      log_ret_20: logReturns(close, 20),
      log_ret_60: logReturns(close, 60),
      log_ret_120: logReturns(close, 120),
      log_ret_252: logReturns(close, 252),
    };
  },
);
