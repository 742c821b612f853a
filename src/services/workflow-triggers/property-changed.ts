import { timelineTrigger } from './trigger.js';

export const PROPERTY_CHANGED = '4-655002';

/** A property was set: hs_name is the property, hs_value its new value. */
export const propertyChanged = timelineTrigger({
  eventTypeId: PROPERTY_CHANGED,
  eventType: 'PROPERTY_CHANGED',
  label: 'Property value changed',
  filterProperties: [
    { name: 'hs_name', label: 'Property' },
    { name: 'hs_value', label: 'New value' },
  ],
  passive: true,
  propertiesOf: (data) => (typeof data.property === 'string' ? { hs_name: data.property, hs_value: String(data.value ?? '') } : {}),
});
