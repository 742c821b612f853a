import { z } from 'zod';
import { id, numericId, pathId, results, timestamp } from './common.js';
import { ENROLLMENT_SOURCES, ENROLLMENT_STATES, SEND_STATUSES } from './vocabulary.js';

/** Enrollments (HubSpot's sequence enrollments and Seqflow's full view) and the blocklist; tasks are in tasks.ts. */

export const enrollQuery = z.object({ userId: numericId.optional().describe('The user enrolling the contact (required)') });
export const enrollBody = z.object({
  contactId: numericId,
  sequenceId: numericId,
  senderEmail: z.string().min(1),
  senderAliasAddress: z.string().optional(),
  // Seqflow extensions: placeholder values for this enrollment, and the contact's time zone.
  placeholderValues: z.record(z.string(), z.string()).optional(),
  useContactTimeZone: z.boolean().optional(),
});
export const contactIdParam = z.object({ contactId: pathId });
export const enrollmentsQuery = z.object({ contactId: numericId.optional(), sequenceId: numericId.optional() });

/** A blocked address must be an email address and a domain a host name, or the entry can never match a contact. */
const DOMAIN = /^(?=.{1,253}$)(?:(?!-)[a-z0-9-]{1,63}(?<!-)\.)+[a-z][a-z0-9-]{0,62}(?<!-)$/i;
export const blocklistBody = z
  .object({ kind: z.enum(['address', 'domain']), value: z.string().trim().min(3).max(320) })
  .superRefine(({ kind, value }, ctx) => {
    const ok = kind === 'address' ? z.email().safeParse(value).success : DOMAIN.test(value);
    if (!ok) ctx.addIssue({ code: 'custom', path: ['value'], message: kind === 'address' ? 'must be an email address' : 'must be a domain name such as example.com' });
  });

// ---- responses ------------------------------------------------------------------------------

/** HubSpot's PublicSequenceEnrollmentLiteResponse. */
export const enrollmentLite = z.object({ id, toEmail: z.string(), enrolledAt: timestamp, updatedAt: timestamp });
/** HubSpot's PublicSequenceEnrollmentResponse: a contact's running enrollment. */
export const enrollmentStatus = z.object({
  id,
  sequenceId: id,
  sequenceName: z.string(),
  enrolledBy: id,
  enrolledByEmail: z.string(),
  toEmail: z.string(),
  enrolledAt: timestamp,
  updatedAt: timestamp,
});
/** Seqflow's full view of an enrollment, with the record of every send. */
export const enrollment = z.object({
  id,
  contactId: id,
  sequenceId: id,
  state: z.enum(ENROLLMENT_STATES),
  reason: z.string().optional().describe('Why it ended or paused: REPLIED, BOUNCED, MANUAL, …'),
  senderUserId: id,
  senderEmail: z.string(),
  toEmail: z.string(),
  timeZone: z.string(),
  source: z.enum(ENROLLMENT_SOURCES),
  currentStep: z.number().int(),
  nextDueAt: timestamp.optional(),
  enrolledAt: timestamp,
  updatedAt: timestamp,
  endedAt: timestamp.optional(),
  sends: z.array(
    z.object({ step: z.number().int(), status: z.enum(SEND_STATUSES), messageId: z.string(), subject: z.string(), at: timestamp, error: z.string().optional() }),
  ),
});
export const enrollments = results(enrollment);

export const blocked = z.object({ kind: z.enum(['address', 'domain']), value: z.string() });

export type Enrollment = z.infer<typeof enrollment>;
