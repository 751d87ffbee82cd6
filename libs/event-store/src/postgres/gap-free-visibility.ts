/**
 * The condition an `events` row must meet to be shown to a gap-free reader (read-all-page.ts,
 * read-head-position.ts): no *appending* transaction older than the row's is still running. Design,
 * proof and numbers: docs/event-store.md, "PostgreSQL: gap-free reading under concurrent writers".
 *
 * Positions are handed out in transaction-id order (`event_store_reserve_positions`), so a row whose
 * transaction is older than every running appender can never be preceded by a later commit. The
 * cheap test first: older than every running transaction at all (`pg_snapshot_xmin`); most rows pass
 * it and the second test is never evaluated (its scalar subquery runs only when a row needs it).
 *
 * The second test looks past running transactions that provably append nothing (a projector batch,
 * an API write): an xid of the statement's snapshot may be ignored only if, when `pg_locks` is read
 * (after the snapshot was taken), its transaction still holds that xid and does not hold the
 * appending mark, the shared advisory lock `(1297109061, 1)` that `event_store_reserve_positions`
 * takes before it gives the transaction its id (migration 0034) and that lasts to its end. A
 * transaction with an id can no longer reserve positions, so it never becomes an appender later. An
 * xid that has ended since the snapshot (its rows invisible to this statement, its lock gone) is
 * treated as an appender: the reader waits for the next look instead of skipping its rows. The locks
 * are read once (the CTE is materialised), so both kinds of lock come from one consistent view.
 *
 * The mark is matched to the xid's holder by backend `pid`, not `virtualtransaction`: a committing
 * backend resets its local transaction id (ProcArrayEndTransaction) before it releases its locks,
 * and pg_locks reads that id live while it copies lock after lock, so one read could show an
 * appender's xid lock and its mark under two vxids (`P/N` and `P/0`): the appender then passed as
 * harmless, and a later append's rows were shown ahead of its own, skipped for good (one event in
 * ~6 rounds of 6,000 under CPU load, docs/event-store.md). A backend's pid cannot change while it
 * holds locks. A prepared transaction (pid NULL) is never taken for harmless.
 */
export const visibleToGapFreeReaders = `(
  events.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
  OR events.transaction_id < (
    WITH locks AS MATERIALIZED (SELECT locktype, mode, granted, transactionid, pid, classid, objid, objsubid FROM pg_locks)
    SELECT coalesce(min(running.xid), pg_snapshot_xmax(pg_current_snapshot()))
      FROM pg_snapshot_xip(pg_current_snapshot()) AS running (xid)
     WHERE running.xid::xid NOT IN (
       SELECT own.transactionid FROM locks own
        WHERE own.locktype = 'transactionid' AND own.mode = 'ExclusiveLock' AND own.granted AND own.pid IS NOT NULL
          AND NOT EXISTS (
            SELECT 1 FROM locks mark
             WHERE mark.pid = own.pid AND mark.locktype = 'advisory'
               AND mark.classid = 1297109061 AND mark.objid = 1 AND mark.objsubid = 2)))
)`;
