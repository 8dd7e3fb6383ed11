// A violation report as a GeoJSON Feature (RFC 7946: coordinates are [longitude, latitude]).
import type { ViolationReadModel } from '@app/projections';

export interface ViolationFeature {
  type: 'Feature';
  id: string;
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: {
    agreementId: string;
    occurredAt: string;
    category: string;
    allegedPartyId: string;
    location: string;
    precision: string;
    killed: number;
    injured: number;
    verification: string;
    description: string;
  };
}

/** Null for a report without both coordinates: it has no place on a map. */
export function violationFeature(v: ViolationReadModel): ViolationFeature | null {
  const { lat, lon } = v.location;
  if (typeof lat !== 'number' || typeof lon !== 'number') return null;
  return {
    type: 'Feature',
    id: v.id,
    geometry: { type: 'Point', coordinates: [lon, lat] },
    properties: {
      agreementId: v.agreementId,
      occurredAt: v.occurredAt,
      category: v.category,
      allegedPartyId: v.allegedPartyId,
      location: v.location.name,
      precision: v.location.precision,
      killed: v.casualties.killed,
      injured: v.casualties.injured,
      verification: v.verification,
      description: v.description,
    },
  };
}
