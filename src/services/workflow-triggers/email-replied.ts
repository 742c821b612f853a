import { SEQUENCE_FILTERS, sequenceProperties, timelineTrigger } from './trigger.js';

export const EMAIL_REPLIED = '4-665538';

/** The contact replied to a sequence email (auto-replies are EMAIL_REPLIED_AUTO and do not count). */
export const emailReplied = timelineTrigger({ eventTypeId: EMAIL_REPLIED, eventType: 'EMAIL_REPLIED', label: 'Replied to an email', filterProperties: SEQUENCE_FILTERS, propertiesOf: sequenceProperties });
