import { timelineTrigger } from './trigger.js';

export const MEETING_BOOKED = '4-1720599';

export const meetingBooked = timelineTrigger({ eventTypeId: MEETING_BOOKED, eventType: 'MEETING_BOOKED', label: 'Meeting booked', filterProperties: [] });
