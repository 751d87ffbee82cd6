import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import pLimit from 'p-limit';
import type { CommandOutcome } from '@mpp/event-store';
import {
  bikeDecider,
  bikeStream,
  fitmentDecider,
  fitmentStream,
  partDecider,
  partStream,
  retailerDecider,
  retailerStream,
  ValidationFailed,
  type FieldError,
} from '@mpp/domain';
import type { CommandContext } from '../shell/command-context.js';
import { StreamCommands } from '../shell/stream-commands.js';
import type { CatalogImportDto } from './catalog-import.dto.js';
import { planCatalogImport } from './plan-catalog-import.js';

export class ImportCatalogCommand {
  constructor(
    readonly body: CatalogImportDto,
    readonly context: CommandContext,
  ) {}
}

export interface CatalogImportResult {
  bikes: number;
  parts: number;
  retailers: number;
  fitment: number;
  position: number;
}

/** Streams written at once; each is its own small transaction. */
const CONCURRENCY = 8;

/**
 * One import = many commands, one per stream (bike, part, retailer, fitment pair). Every reference
 * is checked before anything is appended, so a bad row rejects the whole import; ids derive from
 * the data, so importing the same body again appends nothing.
 */
@CommandHandler(ImportCatalogCommand)
export class ImportCatalogHandler implements ICommandHandler<ImportCatalogCommand, CatalogImportResult> {
  constructor(private readonly streams: StreamCommands) {}

  async execute({ body, context }: ImportCatalogCommand): Promise<CatalogImportResult> {
    const plan = planCatalogImport(body);
    await this.checkExternalReferences(plan.externalBikes, plan.externalParts);
    const limit = pLimit(CONCURRENCY);
    const run = <T>(items: T[], one: (item: T) => Promise<CommandOutcome>) => Promise.all(items.map((item) => limit(() => one(item))));

    const [bikes, parts, retailers] = await Promise.all([
      run(plan.bikes, (bike) =>
        this.streams.execute({ stream: bikeStream(bike.bikeId), decider: bikeDecider, command: () => ({ type: 'RegisterBike' as const, ...bike }), context }),
      ),
      run(plan.parts, (part) =>
        this.streams.execute({ stream: partStream(part.partId), decider: partDecider, command: () => ({ type: 'CatalogPart' as const, ...part }), context }),
      ),
      run(plan.retailers, (retailer) =>
        this.streams.execute({
          stream: retailerStream(retailer.retailerId),
          decider: retailerDecider,
          command: () => ({ type: 'RegisterRetailer' as const, ...retailer }),
          context,
        }),
      ),
    ]);
    const fitment = await run(plan.fitment, (row) =>
      this.streams.execute({
        stream: fitmentStream(row.partId, row.bikeId),
        decider: fitmentDecider,
        command: () => ({
          type: 'PublishFitment' as const,
          partId: row.partId,
          bikeId: row.bikeId,
          source: row.source,
          notes: row.notes,
          partExists: true,
          bikeExists: true,
        }),
        context,
        retriesOnConflict: 3,
      }),
    );

    const all = [...bikes, ...parts, ...retailers, ...fitment];
    const count = (outcomes: CommandOutcome[], type: string) => outcomes.filter((o) => o.events.some((e) => e.type === type)).length;
    return {
      bikes: count(bikes, 'BikeRegistered'),
      parts: count(parts, 'PartCataloged'),
      retailers: count(retailers, 'RetailerRegistered'),
      fitment: count(fitment, 'FitmentPublished'),
      position: Number(all.reduce((max, o) => (o.position > max ? o.position : max), 0n)),
    };
  }

  private async checkExternalReferences(bikes: Map<string, string>, parts: Map<string, string>): Promise<void> {
    const errors: FieldError[] = [];
    const limit = pLimit(CONCURRENCY);
    await Promise.all([
      ...[...bikes].map(([bikeId, field]) =>
        limit(async () => {
          if (!(await this.streams.exists(bikeStream(bikeId)))) errors.push({ field, message: 'no bike of this make, model and year is in the catalog or the import' });
        }),
      ),
      ...[...parts].map(([partId, field]) =>
        limit(async () => {
          if (!(await this.streams.exists(partStream(partId)))) errors.push({ field, message: 'no part with this sku is in the catalog or the import' });
        }),
      ),
    ]);
    if (errors.length > 0) throw ValidationFailed.of(errors.sort((a, b) => a.field.localeCompare(b.field)));
  }
}
