import { v5 as uuidv5 } from 'uuid';
import { z } from 'zod';
import { UserId } from '../events/value-schemas.js';
import { MPP_ID_NAMESPACE } from '../identity/deterministic-ids.js';

/**
 * A person's account was erased and their key shredded (docs/reliability.md "Erasure"). Recorded so
 * projections drop what they derived from that person's text while it was readable; a rebuild
 * afterwards never sees the text at all. Like audit checkpoints, it is outside the catalog's event
 * schemas (DOMAIN_EVENT_TYPES): no decider emits it and no analytics view is generated for it.
 */
export const USER_ERASED = 'UserErased';

export const UserErasedData = z.object({ userId: UserId });
export type UserErasedData = z.infer<typeof UserErasedData>;

export const userErasureStream = (userId: string): string => `user-${userId}`;

/** One per person, so an erasure run twice (a retry after a failure) records it once. */
export const userErasedEventId = (userId: string): string => uuidv5(`user-erased:${userId}`, MPP_ID_NAMESPACE);
