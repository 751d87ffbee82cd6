import { amendVerification, applyVerificationStep, type VerificationAmendment, type VerificationStep } from '@mpp/domain';

/** Where an event sits in the log and in its stream's hash chain; column names as in the tables. */
export interface ChainOrigin {
  event_id: string;
  position: string;
  stream_id: string;
  revision: string;
  hash: string | null;
  prev_hash: string | null;
}

/** A row of `verification_log` as written (the generated `state` aside), its origin the VerificationSubmitted. */
export interface VerificationLogRow extends ChainOrigin {
  verification_id: string;
  part_id: string;
  bike_id: string;
  user_id: string;
  fits: boolean;
  notes: string | null;
  lifecycle: 'active' | 'superseded' | 'retracted';
  hidden: boolean;
  supersedes: string | null;
  superseded_by: string | null;
  submitted_at: Date;
  lifecycle_changed_at: Date | null;
  retraction_reason: string | null;
  moderated_at: Date | null;
  moderated_by: string | null;
  moderation_reason: string | null;
}

/** The pair of the stream an event is in. */
export interface StreamPair {
  partId: string;
  bikeId: string;
}

/** What one fitment-stream event does to the log; ids in lower case, as PostgreSQL prints uuids. */
export type VerificationLogChange =
  | { type: 'submitted'; row: VerificationLogRow }
  | { type: 'retracted'; pair: StreamPair; verificationId: string; reason: string | null; at: Date }
  | { type: 'moderated'; pair: StreamPair; verificationId: string; hidden: boolean; moderatorId: string; reason: string; at: Date };

/** The verifications whose stored rows the changes may read or alter. */
export function verificationIdsTouched(changes: readonly VerificationLogChange[]): string[] {
  const ids = new Set<string>();
  for (const change of changes) {
    if (change.type !== 'submitted') ids.add(change.verificationId);
    else {
      ids.add(change.row.verification_id);
      if (change.row.supersedes !== null) ids.add(change.row.supersedes);
    }
  }
  return [...ids];
}

/**
 * The rows of `verification_log` after the changes, in log order, starting from the stored rows of
 * `verificationIdsTouched`; returns the rows added or altered. What each change does is the
 * domain's lifecycle (`applyVerificationStep`): a submission of an id already logged is ignored,
 * but what it supersedes is still marked; a supersession, retraction or moderation of an id with
 * no row, or with a row of another pair, changes nothing; one of a verification submitted earlier
 * in the same changes applies to it. Each amendment also records when and why it happened.
 */
export function foldVerificationLog(stored: readonly VerificationLogRow[], changes: readonly VerificationLogChange[]): VerificationLogRow[] {
  const rows = new Map(stored.map((row) => [row.verification_id, row]));
  const altered = new Set<string>();
  for (const change of changes) {
    const pair = change.type === 'submitted' ? { partId: change.row.part_id, bikeId: change.row.bike_id } : change.pair;
    const transitions = applyVerificationStep(rows, stepOf(change), {
      belongsToPair: (row) => row.part_id === pair.partId && row.bike_id === pair.bikeId,
      submitted: () => (change as Extract<VerificationLogChange, { type: 'submitted' }>).row,
      amended: (row, amendment) => ({ ...amendVerification(row, amendment), ...recordedWith(change, amendment) }),
    });
    for (const { verificationId } of transitions) altered.add(verificationId);
  }
  return [...altered].map((id) => rows.get(id)!);
}

function stepOf(change: VerificationLogChange): VerificationStep {
  switch (change.type) {
    case 'submitted':
      return { type: 'submitted', verificationId: change.row.verification_id, supersedes: change.row.supersedes ?? undefined };
    case 'retracted':
      return { type: 'retracted', verificationId: change.verificationId };
    case 'moderated':
      return { type: 'moderated', verificationId: change.verificationId, hidden: change.hidden };
  }
}

/** The columns beside the standing that say when, why and by what an amendment happened. */
function recordedWith(change: VerificationLogChange, amendment: VerificationAmendment): Partial<VerificationLogRow> {
  switch (change.type) {
    case 'submitted':
      return amendment.change === 'superseded' ? { superseded_by: amendment.by, lifecycle_changed_at: change.row.submitted_at } : {};
    case 'retracted':
      return { retraction_reason: change.reason, lifecycle_changed_at: change.at };
    case 'moderated':
      return { moderated_at: change.at, moderated_by: change.moderatorId, moderation_reason: change.reason };
  }
}
