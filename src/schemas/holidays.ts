import { z } from 'zod';
import { id, pathId, results } from './common.js';

/** A calendar date, as holidays are kept: read in each enrollment's own zone. */
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD');
/** Absent: the account's calendar; a user id: that sender's own days off. */
const calendar = { userId: z.coerce.number().int().min(1).optional().describe("Absent: the account's calendar; else one sender's own days off") };

// ---- requests --------------------------------------------------------------------------------

export const listQuery = z.object({ ...calendar, from: date.optional(), to: date.optional() });
export const addBody = z.object({
  ...calendar,
  holidays: z
    .array(z.object({ date, name: z.string().trim().min(1).max(200) }))
    .min(1)
    .max(1000),
});
export const importBody = z.object({
  ...calendar,
  country: z
    .string()
    .regex(/^[A-Za-z]{2}(-[A-Za-z0-9]{1,3})?$/, 'must be an ISO 3166 country code, optionally with a region (PL, US, DE-BY)')
    .describe('ISO 3166 country code, optionally with a region: PL, US, DE-BY'),
  year: z.number().int().min(2000).max(2100),
});
export const holidayParam = z.object({ id: pathId });

// ---- responses -------------------------------------------------------------------------------

export const holiday = z.object({
  id,
  userId: id.nullable().describe("null: the account's calendar"),
  date,
  name: z.string(),
  source: z.string().describe("'manual', or 'import:<country>' for a national calendar"),
});
export const holidays = results(holiday);
export const added = holidays.extend({ added: z.number().int().describe('Days that were new to the calendar') });
export const country = z.object({ code: z.string(), name: z.string() });
export const countries = results(country);
export type Holiday = z.infer<typeof holiday>;
export type HolidayCountry = z.infer<typeof country>;
