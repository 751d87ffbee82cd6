import type { BuildPart, BuildVisibility } from './build.events.js';

/**
 * Builds are revisioned from 1 (BuildCreated) and every build event adds one, so a build's revision
 * is its stream revision + 1 and `If-Match` maps straight onto the store's expected revision too.
 */
export interface CreateBuild {
  type: 'CreateBuild';
  buildId: string;
  ownerId: string;
  name: string;
  bikeId: string;
  /** Defaults to `private`. */
  visibility?: BuildVisibility | undefined;
  parts?: readonly BuildPart[] | undefined;
  bikeExists: boolean;
  /** Ids in `parts` the handler could not find in the catalog. */
  unknownPartIds?: readonly string[] | undefined;
}

/** Fields left out are unchanged; `parts`, when given, replaces the whole list. */
export interface UpdateBuild {
  type: 'UpdateBuild';
  buildId: string;
  actorId: string;
  /** The build revision the client based its edit on (HTTP If-Match). */
  expectedRevision: number;
  name?: string | undefined;
  bikeId?: string | undefined;
  visibility?: BuildVisibility | undefined;
  parts?: readonly BuildPart[] | undefined;
  /** Required to be true when `bikeId` changes the bike. */
  bikeExists?: boolean | undefined;
  unknownPartIds?: readonly string[] | undefined;
}

export interface DeleteBuild {
  type: 'DeleteBuild';
  buildId: string;
  actorId: string;
  /** Optional lost-update guard, as for UpdateBuild. */
  expectedRevision?: number | undefined;
}

export type BuildCommand = CreateBuild | UpdateBuild | DeleteBuild;
