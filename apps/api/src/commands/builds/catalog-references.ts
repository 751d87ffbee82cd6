import { Injectable } from '@nestjs/common';
import pLimit from 'p-limit';
import { bikeStream, partStream } from '@mpp/domain';
import { StreamCommands } from '../shell/stream-commands.js';

/** Existence checks a build command needs, answered by the event store (the source of truth). */
@Injectable()
export class CatalogReferences {
  constructor(private readonly streams: StreamCommands) {}

  bikeExists(bikeId: string): Promise<boolean> {
    return this.streams.exists(bikeStream(bikeId));
  }

  async unknownParts(partIds: readonly string[]): Promise<string[]> {
    const limit = pLimit(8);
    const found = await Promise.all(partIds.map((id) => limit(() => this.streams.exists(partStream(id)))));
    return partIds.filter((_, i) => !found[i]);
  }
}
