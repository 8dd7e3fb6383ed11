// The shape every aggregate follows: fold past events with `evolve`, then `decide` on a command.
export interface Decider<State, Command, Event, Context> {
  readonly initialState: () => State;
  readonly evolve: (state: State, event: Event) => State;
  /** Returns the events to append, or throws a DomainError. Never mutates `state`. */
  readonly decide: (command: Command, state: State, context: Context) => Event[];
}

export function fold<State, Event>(
  decider: Pick<Decider<State, unknown, Event, unknown>, 'initialState' | 'evolve'>,
  events: readonly Event[],
): State {
  return events.reduce((state, event) => decider.evolve(state, event), decider.initialState());
}

export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };
