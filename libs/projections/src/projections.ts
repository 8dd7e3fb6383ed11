// Every projection the worker keeps live.
import { agreementsProjection } from './agreements/agreements.projection';
import { casualtyTalliesProjection } from './casualty-tallies/casualty-tallies.projection';
import { obligationsProjection } from './obligations/obligations.projection';
import type { Projection } from './projection';
import { timelineProjection } from './timeline/timeline.projection';
import { violationsProjection } from './violations/violations.projection';

export const PROJECTIONS: readonly Projection[] = [
  agreementsProjection,
  obligationsProjection,
  violationsProjection,
  timelineProjection,
  casualtyTalliesProjection,
];

/** The projections of these names, in that order; throws for a name none has. */
export function projectionsNamed(names: readonly string[]): Projection[] {
  return names.map((name) => {
    const projection = PROJECTIONS.find((p) => p.name === name);
    if (!projection) throw new Error(`unknown projection ${name}`);
    return projection;
  });
}
