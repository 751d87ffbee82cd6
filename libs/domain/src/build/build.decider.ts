import type { Decider } from '../decider.js';
import { Conflict, Forbidden, NotFound, StaleRevision, ValidationFailed } from '../errors.js';
import type { BuildEvent, DomainEvent } from '../events/domain-event.js';
import { validatedEventData } from '../events/parse-event.js';
import { canonicalJson } from '../identity/canonical-json.js';
import type { BuildCommand, CreateBuild, DeleteBuild, UpdateBuild } from './build.commands.js';
import { BuildParts, readableBuildName, readableBuildParts, type BuildField, type BuildPart, type BuildVisibility } from './build.events.js';
import { issuesToFieldErrors } from '../events/issues-to-field-errors.js';
import { refuseContactDetails } from '../personal-text/contact-details.js';

export interface BuildSnapshot {
  buildId: string;
  ownerId: string;
  name: string;
  bikeId: string;
  visibility: BuildVisibility;
  parts: readonly BuildPart[];
  revision: number;
}

export type BuildState =
  | { status: 'none' }
  | { status: 'active'; build: BuildSnapshot }
  | { status: 'deleted'; buildId: string; ownerId: string; revision: number };

export const buildDecider: Decider<BuildCommand, BuildState, BuildEvent> = {
  initialState: () => ({ status: 'none' }),
  evolve: evolveBuild,
  decide(command: BuildCommand, state: BuildState): BuildEvent[] {
    switch (command.type) {
      case 'CreateBuild':
        return createBuild(command, state);
      case 'UpdateBuild':
        return updateBuild(command, state);
      case 'DeleteBuild':
        return deleteBuild(command, state);
    }
  },
};

function evolveBuild(state: BuildState, event: DomainEvent): BuildState {
  switch (event.type) {
    case 'BuildCreated':
      return { status: 'active', build: { ...event.data, name: readableBuildName(event.data.name), parts: [], revision: 1 } };
    case 'BuildUpdated': {
      if (state.status !== 'active') return state;
      // The owner never changes; updates written before builds were sealed do not name it.
      const { changes: _changes, ownerId: _ownerId, name, parts, ...snapshot } = event.data;
      return { status: 'active', build: { ...state.build, ...snapshot, name: readableBuildName(name), parts: readableBuildParts(parts) } };
    }
    case 'BuildDeleted':
      return state.status === 'active'
        ? { status: 'deleted', buildId: state.build.buildId, ownerId: state.build.ownerId, revision: state.build.revision + 1 }
        : state;
    default:
      return state;
  }
}

function validatedParts(parts: readonly BuildPart[]): BuildPart[] {
  const result = BuildParts.safeParse(parts.map((part) => ({ ...part, note: part.note?.trim() || undefined })));
  if (!result.success) throw ValidationFailed.of(issuesToFieldErrors(result.error.issues, 'parts'));
  // Sealed in the log like verification notes, yet shown to anyone a build is shared with: no contact details.
  result.data.forEach((part, index) => refuseContactDetails(`parts.${index}.note`, part.note));
  return result.data.map(({ partId, quantity, note }) => (note === undefined ? { partId, quantity } : { partId, quantity, note }));
}

function assertPartsExist(unknownPartIds: readonly string[] | undefined): void {
  const [firstUnknown] = unknownPartIds ?? [];
  if (firstUnknown !== undefined) throw new NotFound('part', firstUnknown);
}

/**
 * BuildCreated has no parts (DESIGN §4), so a build created with parts is two events: BuildCreated
 * (revision 1) and BuildUpdated (revision 2, changes ['parts']). Re-sending the same create (a
 * retried request with the same build id) appends nothing; different content is a Conflict.
 */
function createBuild(command: CreateBuild, state: BuildState): BuildEvent[] {
  refuseContactDetails('name', command.name);
  const data = validatedEventData('BuildCreated', {
    buildId: command.buildId,
    ownerId: command.ownerId,
    name: command.name,
    bikeId: command.bikeId,
    visibility: command.visibility ?? 'private',
  });
  const parts = validatedParts(command.parts ?? []);
  if (state.status !== 'none') {
    const sameRequest =
      state.status === 'active' &&
      canonicalJson({ ...data, parts }) === canonicalJson({ ...state.build, revision: undefined });
    if (sameRequest) return [];
    throw new Conflict('build_id_taken', `build ${command.buildId} already exists`);
  }
  if (!command.bikeExists) throw new NotFound('bike', data.bikeId);
  assertPartsExist(command.unknownPartIds);

  const created: BuildEvent = { type: 'BuildCreated', data };
  if (parts.length === 0) return [created];
  const { buildId, ownerId, name, bikeId, visibility } = data;
  const withParts = validatedEventData('BuildUpdated', { buildId, ownerId, revision: 2, name, bikeId, visibility, parts, changes: ['parts'] });
  return [created, { type: 'BuildUpdated', data: withParts }];
}

function ownedActiveBuild(state: BuildState, buildId: string, actorId: string, action: string): BuildSnapshot {
  if (state.status !== 'active') throw new NotFound('build', buildId);
  if (state.build.ownerId !== actorId) throw new Forbidden(actorId, `${action} build ${buildId}`);
  return state.build;
}

/** An update that changes nothing appends nothing and leaves the revision where it was. */
function updateBuild(command: UpdateBuild, state: BuildState): BuildEvent[] {
  const current = ownedActiveBuild(state, command.buildId, command.actorId, 'update');
  if (command.expectedRevision !== current.revision) {
    throw new StaleRevision('build', current.buildId, command.expectedRevision, current.revision);
  }
  refuseContactDetails('name', command.name);
  const next = {
    name: command.name?.trim() ?? current.name,
    bikeId: command.bikeId ?? current.bikeId,
    visibility: command.visibility ?? current.visibility,
    parts: command.parts === undefined ? current.parts : validatedParts(command.parts),
  };
  const changes = changedFields(current, next);
  if (changes.length === 0) return [];
  if (changes.includes('bikeId') && command.bikeExists !== true) throw new NotFound('bike', next.bikeId);
  if (changes.includes('parts')) assertPartsExist(command.unknownPartIds);
  const data = validatedEventData('BuildUpdated', {
    buildId: current.buildId,
    ownerId: current.ownerId,
    revision: current.revision + 1,
    ...next,
    parts: [...next.parts],
    changes,
  });
  return [{ type: 'BuildUpdated', data }];
}

function changedFields(current: BuildSnapshot, next: Omit<BuildSnapshot, 'buildId' | 'ownerId' | 'revision'>): BuildField[] {
  const changes: BuildField[] = [];
  if (next.name !== current.name) changes.push('name');
  if (next.bikeId !== current.bikeId) changes.push('bikeId');
  if (next.visibility !== current.visibility) changes.push('visibility');
  // Order is part of the list: a rider reordering their parts is an edit.
  if (canonicalJson(next.parts) !== canonicalJson(current.parts)) changes.push('parts');
  return changes;
}

/** Deleting a deleted build again (a retried DELETE) appends nothing. */
function deleteBuild(command: DeleteBuild, state: BuildState): BuildEvent[] {
  if (state.status === 'none') throw new NotFound('build', command.buildId);
  if (state.status === 'deleted') {
    if (state.ownerId !== command.actorId) throw new Forbidden(command.actorId, `delete build ${command.buildId}`);
    return [];
  }
  const current = ownedActiveBuild(state, command.buildId, command.actorId, 'delete');
  if (command.expectedRevision !== undefined && command.expectedRevision !== current.revision) {
    throw new StaleRevision('build', current.buildId, command.expectedRevision, current.revision);
  }
  return [{ type: 'BuildDeleted', data: validatedEventData('BuildDeleted', { buildId: current.buildId }) }];
}
