import { timelineTrigger } from './trigger.js';

export const PROPERTY_CHANGED = '4-655002';

/**
 * A property was set: hs_name is the property, hs_value its new value, hs_previous_value the value
 * it had before ('' when it had none), so a trigger can ask for a change from one value to another.
 * Events stored before the previous value was kept have no hs_previous_value: a "from" filter never
 * matches them.
 */
export const propertyChanged = timelineTrigger({
  eventTypeId: PROPERTY_CHANGED,
  eventType: 'PROPERTY_CHANGED',
  label: 'Property value changed',
  filterProperties: [
    { name: 'hs_name', label: 'Property', valuesFrom: 'contactProperties' },
    { name: 'hs_previous_value', label: 'Old value' },
    { name: 'hs_value', label: 'New value' },
  ],
  passive: true,
  propertiesOf: (data) =>
    typeof data.property === 'string'
      ? { hs_name: data.property, hs_value: String(data.value ?? ''), ...('previous' in data && { hs_previous_value: String(data.previous ?? '') }) }
      : {},
});
