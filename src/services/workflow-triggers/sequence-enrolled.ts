import { SEQUENCE_FILTERS, sequenceProperties, timelineTrigger } from './trigger.js';

export const SEQUENCE_ENROLLED = '4-675777';

export const sequenceEnrolled = timelineTrigger({ eventTypeId: SEQUENCE_ENROLLED, eventType: 'SEQUENCE_ENROLLED', label: 'Enrolled in a sequence', filterProperties: SEQUENCE_FILTERS, propertiesOf: sequenceProperties });
