import { SEQUENCE_FILTERS, sequenceProperties, timelineTrigger } from './trigger.js';

export const SEQUENCE_FINISHED = '4-675778';

export const sequenceFinished = timelineTrigger({ eventTypeId: SEQUENCE_FINISHED, eventType: 'SEQUENCE_FINISHED', label: 'Finished a sequence', filterProperties: SEQUENCE_FILTERS, propertiesOf: sequenceProperties });
