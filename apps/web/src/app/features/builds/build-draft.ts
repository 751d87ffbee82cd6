import { Build, BuildDraft } from '../../core/api/api-types';

/** The PUT body that leaves a build as it is: edits change a copy of it. */
export function draftOf(build: Build): BuildDraft {
  return {
    name: build.name,
    // Without its bike (no longer in the catalog) the edit leaves the bike as it is.
    ...(build.bike ? { bikeId: build.bike.id } : {}),
    visibility: build.visibility,
    parts: build.parts.map((line) => ({
      partId: line.part.id,
      quantity: line.quantity,
      ...(line.note ? { note: line.note } : {}),
    })),
  };
}

/** One more of the part: a new line, or the quantity of its line plus one (at most 99). */
export function withPartAdded(draft: BuildDraft, partId: string): BuildDraft {
  const line = draft.parts.find((entry) => entry.partId === partId);
  if (line) line.quantity = Math.min(99, line.quantity + 1);
  else draft.parts.push({ partId, quantity: 1 });
  return draft;
}
