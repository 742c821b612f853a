import { ENROLLMENT_END_REASONS } from '../../domain/reasons.js';
import { SEQUENCE_FILTERS, sequenceProperties, timelineTrigger } from './trigger.js';

export const SEQUENCE_UNENROLLED = '4-675776';

/** hs_unenroll_reason is the reason code the enrollment ended with (src/domain/reasons.ts: REPLIED, MEETING_BOOKED, …). */
export const sequenceUnenrolled = timelineTrigger({
  eventTypeId: SEQUENCE_UNENROLLED,
  eventType: 'SEQUENCE_UNENROLLED',
  label: 'Unenrolled from a sequence',
  filterProperties: [...SEQUENCE_FILTERS, { name: 'hs_unenroll_reason', label: 'Reason', options: ENROLLMENT_END_REASONS }],
  propertiesOf: (data) => ({ ...sequenceProperties(data), ...(typeof data.reason === 'string' && { hs_unenroll_reason: data.reason }) }),
});
