import fc from 'fast-check';
import { compatibilityProjection } from './compatibility.projection.js';
import { describeBulkForm } from '../testing/both-forms.js';
import { fitmentHistoryEvent } from '../testing/fitment-histories.js';
import { recordedEvents } from '../testing/given-events.js';

/**
 * The compatibility projection's bulk form (its set-based batches, loaded without the readers' indexes,
 * which the finish builds) against its live form one event at a time, on random fitment histories
 * of two pairs (re-used ids, supersessions, retractions and moderations naming any id or none).
 */
describeBulkForm('leaves the same rows and rejects the same events as the live form one event at a time', compatibilityProjection, fc.array(fitmentHistoryEvent, { minLength: 1, maxLength: 40 }).map((given) => recordedEvents(given)));
