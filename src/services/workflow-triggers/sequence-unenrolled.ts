import { SEQUENCE_FILTERS, sequenceProperties, timelineTrigger } from './trigger.js';

export const SEQUENCE_UNENROLLED = '4-675776';

export const sequenceUnenrolled = timelineTrigger({ eventTypeId: SEQUENCE_UNENROLLED, eventType: 'SEQUENCE_UNENROLLED', label: 'Unenrolled from a sequence', filterProperties: SEQUENCE_FILTERS, propertiesOf: sequenceProperties });
