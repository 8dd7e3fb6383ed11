// given([events]).when(command).then([events]) / .thenThrows(ErrorClass) for any decider.
import type { Decider } from '@app/domain';

export function deciderSpec<State, Command, Event, Context>(
  decider: Decider<State, Command, Event, Context>,
  defaultContext: Context,
) {
  return {
    given: (events: readonly Event[]) => ({
      when: (command: Command, context: Context = defaultContext) => {
        const run = () =>
          decider.decide(command, events.reduce(decider.evolve, decider.initialState()), context);
        return {
          then: (expected: readonly Event[]): void => {
            const actual = run();
            expect(actual).toEqual(expected);
            // Events are stored as JSON: they must survive the round trip unchanged (no Date, no undefined).
            expect(JSON.parse(JSON.stringify(actual))).toStrictEqual(actual);
          },
          thenThrows: (
            errorClass: new (...args: never[]) => Error,
            message?: string | RegExp,
          ): void => {
            expect(run).toThrow(errorClass);
            if (message !== undefined) expect(run).toThrow(message);
          },
        };
      },
    }),
  };
}
