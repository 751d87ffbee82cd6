export { LeaseKeeper, type LeaseKeeperOptions, type LeasedWork } from './lease-keeper.js';
export { projectionWork } from './projection-work.js';
export { listLeases, type ProjectionLease } from './projection-leases.js';
export { liveMemberCount } from './projector-members.js';
export { projectionStatusesWithOwners, type OwnedProjectionStatus, type ProjectionOwner } from './projection-owners.js';
