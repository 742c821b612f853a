import { timelineTrigger } from './trigger.js';

export const FORM_SUBMITTED = '4-1639801';

export const formSubmitted = timelineTrigger({
  eventTypeId: FORM_SUBMITTED,
  eventType: 'FORM_SUBMITTED',
  label: 'Form submitted',
  filterProperties: [{ name: 'hs_form_id', label: 'Form', valuesFrom: 'forms' }],
  propertiesOf: (data) => (data.formId ? { hs_form_id: String(data.formId) } : {}),
});
