import type { DomainEvent } from './events/domain-event.js';

/**
 * One per stream kind. A command handler is the thin shell around it:
 * load the stream -> `foldEvents` -> `decide` -> append what it returned.
 * `evolve` takes any DomainEvent and ignores the types that do not belong to its stream, so a
 * handler can pass the parsed events of a stream without narrowing them first.
 */
export interface Decider<Command, State, Event extends DomainEvent = DomainEvent> {
  initialState(): State;
  evolve(state: State, event: DomainEvent): State;
  /** Pure: time and ids come in the command. Throws a DomainError when a rule forbids the command. */
  decide(command: Command, state: State): Event[];
}

export function foldEvents<State>(
  decider: Pick<Decider<never, State>, 'initialState' | 'evolve'>,
  events: Iterable<DomainEvent>,
): State {
  let state = decider.initialState();
  for (const event of events) state = decider.evolve(state, event);
  return state;
}
