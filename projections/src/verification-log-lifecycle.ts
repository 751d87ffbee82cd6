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

/** What one fitment-stream event does to the log; ids in lower case, as PostgreSQL prints uuids. */
export type VerificationLogChange =
  | { type: 'submitted'; row: VerificationLogRow }
  | { type: 'retracted'; verificationId: string; reason: string | null; at: Date }
  | { type: 'moderated'; verificationId: string; hidden: boolean; moderatorId: string; reason: string; at: Date };

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
 * `verificationIdsTouched`; returns the rows added or altered. As one event at a time would: a
 * submission of an id already logged is ignored, but what it supersedes is still marked; a
 * supersession, retraction or moderation of an id with no row changes nothing; and one of a
 * verification submitted earlier in the same changes applies to it.
 */
export function foldVerificationLog(stored: readonly VerificationLogRow[], changes: readonly VerificationLogChange[]): VerificationLogRow[] {
  const rows = new Map(stored.map((row) => [row.verification_id, row]));
  const altered = new Set<string>();
  const alter = (verificationId: string, fields: Partial<VerificationLogRow>) => {
    const row = rows.get(verificationId);
    if (row === undefined) return;
    rows.set(verificationId, { ...row, ...fields });
    altered.add(verificationId);
  };
  for (const change of changes) {
    switch (change.type) {
      case 'submitted': {
        const { verification_id: id, supersedes, submitted_at: at } = change.row;
        if (!rows.has(id)) {
          rows.set(id, change.row);
          altered.add(id);
        }
        if (supersedes !== null) alter(supersedes, { lifecycle: 'superseded', superseded_by: id, lifecycle_changed_at: at });
        break;
      }
      case 'retracted':
        alter(change.verificationId, { lifecycle: 'retracted', retraction_reason: change.reason, lifecycle_changed_at: change.at });
        break;
      case 'moderated':
        alter(change.verificationId, { hidden: change.hidden, moderated_at: change.at, moderated_by: change.moderatorId, moderation_reason: change.reason });
        break;
    }
  }
  return [...altered].map((id) => rows.get(id)!);
}
