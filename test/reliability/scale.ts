// RELIABILITY_SCALE picks the campaigns' sizes: `ci` (the default, what `npm test` runs: the
// whole suite in a few minutes on two cores) or `full` (the sizes of the issue).
export type Scale = 'ci' | 'full';

function scaleOf(value: string | undefined): Scale {
  if (value === undefined || value === '' || value === 'ci') return 'ci';
  if (value === 'full') return 'full';
  throw new Error(`RELIABILITY_SCALE must be ci or full, not ${JSON.stringify(value)}`);
}

export const SCALE: Scale = scaleOf(process.env.RELIABILITY_SCALE);

/** The figure for the current scale. */
export const atScale = <T>(sizes: Record<Scale, T>): T => sizes[SCALE];
