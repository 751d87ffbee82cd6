import { foldEvents, type Decider } from '../decider.js';
import type { DomainEvent } from '../events/domain-event.js';

/**
 * Given events / When command / Then events or error:
 *   expect(given(fitmentDecider, published).when(submit)).toEqual([...])
 *   expect(() => given(fitmentDecider).when(retract)).toThrow(NotFound)
 */
export function given<Command, State, Event extends DomainEvent>(
  decider: Decider<Command, State, Event>,
  ...events: DomainEvent[]
): { when(command: Command): Event[]; state: State } {
  const state = foldEvents(decider, events);
  return { state, when: (command) => decider.decide(command, state) };
}

/** The error a When step throws, to assert on its fields; fails the test when nothing is thrown. */
export function errorOf(when: () => unknown): Error {
  try {
    when();
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`threw a non-Error: ${String(error)}`);
  }
  throw new Error('expected the command to be rejected, but it was accepted');
}
