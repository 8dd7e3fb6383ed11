// The parts of a timeline entry besides the stored event's own fields: who recorded it, what it is
// about, and which earlier entry it corrects or answers. Written at read time from the events.

/** The recording key's name and role; the key id stays in the event metadata (see recorderOf). */
export interface TimelineRecorder {
  name: string;
  role: string;
}

export const TIMELINE_SUBJECT_KINDS = ['agreement', 'obligation', 'violation', 'tally'] as const;
export type TimelineSubjectKind = (typeof TIMELINE_SUBJECT_KINDS)[number];

export interface TimelineSubject {
  kind: TimelineSubjectKind;
  id: string;
  title?: string;
}

/** As read: the corrected entry by its feed position (the `position` of another item). */
export interface TimelineLink {
  position: number;
  type: string;
}
