import { timelineTrigger } from './trigger.js';

export const CONTACT_CREATED = '4-1463224';

export const contactCreated = timelineTrigger({ eventTypeId: CONTACT_CREATED, eventType: 'CONTACT_CREATED', label: 'Contact created', filterProperties: [], passive: true });
