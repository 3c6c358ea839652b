/** Forward horizons of the scorecards, in stored trading days after the signal date. */
export const SCORECARD_HORIZONS = [1, 5, 20] as const;
