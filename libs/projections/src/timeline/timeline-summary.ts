// One sentence per event for the agreement timeline: who (the recording key's name and role)
// recorded what, about which obligation or report, with its figures, on which sources.
import type { DomainEvent, Party, ViolationCategory } from '@app/domain';
import type { TimelineRecorder, TimelineSubject } from './timeline-entry';
import {
  because,
  casualties,
  citing,
  count,
  describeSource,
  listing,
  sentence,
  when,
} from './timeline-format';
import { describeRecorder } from './timeline-recorder';
import { citedSources } from './timeline-sources';

const CATEGORY_PHRASES: Readonly<Record<ViolationCategory, string>> = {
  airstrike: 'an airstrike',
  shelling: 'shelling',
  shooting: 'a shooting',
  incursion: 'an incursion',
  demolition: 'a demolition',
  detention: 'a detention',
  aid_obstruction: 'aid obstruction',
  rocket_fire: 'rocket fire',
  attack_on_forces: 'an attack on forces',
  other: 'a violation',
};

const ANCHOR_PHRASES = {
  agreement_effective: 'the agreement taking effect',
  phase_start: 'its phase starting',
  conditions_met: 'its conditions being met',
} as const;

/** `"Return all 20 living hostages" (hostages-living)`, `report v-1`, or the agreement's title. */
function named(subject: TimelineSubject): string {
  if (subject.kind === 'violation') return `report ${subject.id}`;
  if (subject.kind === 'agreement' && subject.title) return `"${subject.title}"`;
  return subject.title ? `"${subject.title}" (${subject.id})` : `${subject.kind} ${subject.id}`;
}

/** "between Israel and Hamas, with United States and Egypt as guarantors". */
function between(parties: readonly Party[]): string {
  const signatories = parties.filter((p) => p.role === 'signatory');
  const principals = signatories.length > 0 ? signatories : parties;
  const others = (['mediator', 'guarantor', 'monitor'] as const)
    .map((role) => {
      const names = parties.filter((p) => p.role === role && !principals.includes(p));
      return names.length === 0
        ? null
        : `${listing(names.map((p) => p.name))} as ${role}${names.length > 1 ? 's' : ''}`;
    })
    .filter((phrase): phrase is string => phrase !== null);
  const main = `between ${listing(principals.map((p) => p.name))}`;
  return others.length === 0 ? main : `${main}, with ${listing(others)}`;
}

export function summarise(
  event: DomainEvent,
  recorder: TimelineRecorder | null,
  subject: TimelineSubject,
): string {
  const who = describeRecorder(recorder);
  const cited = citing(citedSources(event));
  const it = named(subject);
  switch (event.type) {
    case 'AgreementRegistered': {
      const d = event.data;
      const signed = d.signedAt ? `, signed on ${when(d.signedAt)}` : '';
      return sentence(
        `${who} registered the agreement ${it} ${between(d.parties)}, in effect from ${when(d.effectiveAt)}${signed}${cited}`,
      );
    }
    case 'PhaseStarted':
      return sentence(
        `${who} recorded that ${event.data.phaseKey} of ${it} started on ${when(event.data.startedAt)}`,
      );
    case 'CasualtyTallyRecorded': {
      const d = event.data;
      const party = d.attributedToPartyId ? `, attributed to ${d.attributedToPartyId}` : '';
      return sentence(
        `${who} recorded a cumulative tally of ${d.killed} killed and ${d.injured} injured as of ${when(d.asOf)}${party}${cited}${because(d.note)}`,
      );
    }
    case 'ObligationRegistered': {
      const d = event.data;
      const terms = [
        d.beneficiaryPartyId ? `owed to ${d.beneficiaryPartyId}` : null,
        d.target
          ? `target ${d.target.quantity} ${d.target.unit}${d.target.per ? ` per ${d.target.per}` : ''}`
          : null,
        d.dueAt ? `due ${when(d.dueAt)}` : null,
        d.dueWithin
          ? `due within ${count(d.dueWithin.hours, 'hour')} of ${ANCHOR_PHRASES[d.dueWithin.after]}`
          : null,
        d.conditions.length > 0 ? `conditional on ${listing(d.conditions)}` : null,
      ].filter((term): term is string => term !== null);
      return sentence(
        `${who} registered the obligation ${it} of ${d.responsiblePartyId} in ${d.phaseKey}${terms.length > 0 ? `: ${terms.join(', ')}` : ''}${cited}`,
      );
    }
    case 'ProgressReported':
      return sentence(
        `${who} reported ${event.data.quantity} more delivered for ${it} on ${when(event.data.occurredAt)}${cited}${because(event.data.note)}`,
      );
    case 'FulfilmentClaimed':
      return sentence(
        `${who} recorded that ${event.data.claimedByPartyId} claims to have fulfilled ${it} on ${when(event.data.occurredAt)}${cited}${because(event.data.note)}`,
      );
    case 'FulfilmentVerified':
    case 'FulfilmentDisputed':
    case 'BreachRecorded': {
      const d = event.data;
      const on = d.occurredAt ? ` on ${when(d.occurredAt)}` : '';
      const verdict =
        event.type === 'FulfilmentVerified'
          ? `verified that ${it} was fulfilled${on}`
          : event.type === 'FulfilmentDisputed'
            ? `disputed that ${it} was fulfilled${on}`
            : `recorded a breach of ${it}${on}`;
      return sentence(`${who} ${verdict}${cited}${because(d.note)}`);
    }
    case 'DeadlineAmended': {
      const d = event.data;
      const change = d.previousDueAt
        ? `moved the deadline of ${it} from ${when(d.previousDueAt)} to ${when(d.dueAt)}`
        : `set the deadline of ${it} to ${when(d.dueAt)}`;
      return sentence(`${who} ${change}${cited}${because(d.reason)}`);
    }
    case 'ObligationSuspended': {
      const d = event.data;
      const reports = d.citedViolationIds.map((id) => `report ${id}`);
      const pointing = reports.length > 0 ? `, pointing to ${listing(reports)}` : '';
      return sentence(`${who} suspended ${it}${pointing}${because(d.reason)}`);
    }
    case 'ObligationResumed':
      return sentence(`${who} resumed ${it}${because(event.data.reason)}`);
    case 'ObligationWaived':
      return sentence(`${who} waived ${it}${because(event.data.reason)}`);
    case 'ViolationReported': {
      const d = event.data;
      return sentence(
        `${who} reported ${CATEGORY_PHRASES[d.category]} by ${d.allegedPartyId} at ${d.location.name} on ${when(d.occurredAt)} (${it}): ${casualties(d.casualties)}${cited}`,
      );
    }
    case 'ViolationSourceAdded':
      return sentence(`${who} added ${describeSource(event.data.source)} as a source of ${it}`);
    case 'CasualtiesRevised': {
      const d = event.data;
      return sentence(
        `${who} revised the casualties of ${it} from ${casualties(d.previous)} to ${casualties(d)}${cited}${because(d.reason)}`,
      );
    }
    case 'ViolationDisputed': {
      const d = event.data;
      return sentence(
        `${who} recorded that ${d.partyId} disputes ${it}${cited}: "${d.statement.trim()}"`,
      );
    }
    case 'ViolationConfirmed':
      return sentence(`${who} confirmed ${it}${because(event.data.note)}`);
    case 'ViolationDiscounted':
      return sentence(`${who} discounted ${it}${because(event.data.note)}`);
    case 'ViolationRetracted':
      return sentence(`${who} retracted ${it}${because(event.data.reason)}`);
  }
}
