/**
 * The built-in sample contact a preview uses when no contact is chosen (or none exists yet):
 * the usual properties an email greets and places someone by, with values no real person has.
 */
export const SAMPLE_CONTACT: Readonly<Record<string, string>> = Object.freeze({
  firstname: 'Jane',
  lastname: 'Doe',
  email: 'jane.doe@example.com',
  company: 'Example Co',
  jobtitle: 'Head of Operations',
  phone: '+1 555 0100',
  website: 'https://example.com',
  city: 'Springfield',
  state: 'Illinois',
  country: 'United States',
  industry: 'Software',
});
