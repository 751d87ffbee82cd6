import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { partStream, priceDecider, priceStream, retailerStream, type ObservePrice } from '@mpp/domain';
import type { CommandInput } from '@mpp/event-store';
import type { CommandContext } from '../shell/command-context.js';
import { StreamCommands } from '../shell/stream-commands.js';

/** An observation as a feed or an admin reports it; the handler adds the clock and what exists. */
export type PriceObservation = CommandInput<ObservePrice, 'now' | 'partExists' | 'retailerExists'>;

export class ObservePriceCommand {
  constructor(
    readonly observation: PriceObservation,
    readonly context: CommandContext,
  ) {}
}

export interface ObservePriceResult {
  /** False when this hour already had an observation (the job re-ran): nothing was appended. */
  recorded: boolean;
  eventId: string | null;
  position: number;
}

/**
 * Folds the whole price stream before deciding, so the decider sees every hour already observed and a
 * re-run back-fill appends nothing; it never relies on the store dropping a replayed event id.
 */
@CommandHandler(ObservePriceCommand)
export class ObservePriceHandler implements ICommandHandler<ObservePriceCommand, ObservePriceResult> {
  constructor(private readonly streams: StreamCommands) {}

  async execute({ observation, context }: ObservePriceCommand): Promise<ObservePriceResult> {
    const outcome = await this.streams.execute({
      stream: priceStream(observation.partId, observation.retailerId),
      decider: priceDecider,
      facts: () => Promise.all([this.streams.exists(partStream(observation.partId)), this.streams.exists(retailerStream(observation.retailerId))]),
      command: (_state, _loaded, [partExists, retailerExists]) => ({ type: 'ObservePrice' as const, ...observation, now: context.now.toISOString(), partExists, retailerExists }),
      context,
      retriesOnConflict: 3,
    });
    return { recorded: outcome.events.length > 0, eventId: outcome.eventIds[0] ?? null, position: Number(outcome.position) };
  }
}
