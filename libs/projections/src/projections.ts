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
