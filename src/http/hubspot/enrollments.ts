import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Enrollment, Send } from '../../domain/glossary.js';
import { enrollContact } from '../../services/enroll-contact.js';
import { unenrollContact } from '../../services/unenroll-contact.js';
import { inboxForAddress } from '../../domain/enrollment-checks.js';
import { fieldError, notFound, rejectionError, SeqflowError } from '../../services/errors.js';
import { listInboxesOfUser } from '../../store/inboxes.js';
import { getRunningEnrollment, listEnrollments } from '../../store/enrollments.js';
import { getSequence } from '../../store/sequences.js';
import { listSends } from '../../store/sends.js';
import { publicSendError } from '../../services/mail-errors.js';
import { getUser } from '../../store/users.js';
import type { AppContext } from '../context.js';
import { iso, numericId, parse, pathId } from '../validate.js';
import { SEQUENCE_BASES } from './sequences.js';

export const enrollmentLite = (e: Enrollment) => ({
  id: String(e.id),
  toEmail: e.toEmail,
  enrolledAt: iso(e.enrolledAt),
  updatedAt: iso(e.updatedAt),
});

/** Seqflow's full view of an enrollment, with the record of every send. */
export const enrollmentView = (e: Enrollment, sends: Send[]) => ({
  id: String(e.id),
  contactId: String(e.contactId),
  sequenceId: String(e.sequenceId),
  state: e.state,
  ...(e.reason && { reason: e.reason }),
  senderUserId: String(e.senderUserId),
  senderEmail: e.senderEmail,
  toEmail: e.toEmail,
  timeZone: e.timeZone,
  source: e.source,
  currentStep: e.currentStep,
  ...(e.nextDueAt !== null && e.state === 'ACTIVE' && { nextDueAt: iso(e.nextDueAt) }),
  enrolledAt: iso(e.enrolledAt),
  updatedAt: iso(e.updatedAt),
  ...(e.endedAt !== null && { endedAt: iso(e.endedAt) }),
  sends: sends
    .filter((s) => s.enrollmentId === e.id)
    .map((s) => ({ step: s.stepOrder, status: s.status, messageId: s.messageId, subject: s.subject, at: iso(s.sentAt ?? s.createdAt), ...(s.error && { error: publicSendError(s.error) }) })),
});

const enrollBody = z.object({
  contactId: numericId,
  sequenceId: numericId,
  senderEmail: z.string().min(1),
  senderAliasAddress: z.string().optional(),
  // Seqflow extensions: placeholder values for this enrollment, and the contact's time zone.
  placeholderValues: z.record(z.string(), z.string()).optional(),
  useContactTimeZone: z.boolean().optional(),
});

export function registerEnrollmentRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { deps } = ctx;
  for (const base of SEQUENCE_BASES) {
    app.post(`${base}/enrollments`, async (req) => {
      const { userId } = parse(z.object({ userId: numericId.optional() }), req.query, 'query');
      if (userId === undefined) throw fieldError('userId', 'userId is required: the id of the user enrolling the contact.');
      const body = parse(enrollBody, req.body, 'body');
      const enrollment = await enrollContact(deps, {
        contactId: body.contactId,
        sequenceId: body.sequenceId,
        senderUserId: userId,
        enrolledByUserId: req.principal?.userId ?? userId,
        senderEmail: body.senderEmail,
        senderAliasAddress: body.senderAliasAddress,
        placeholderValues: body.placeholderValues,
        useContactTimeZone: body.useContactTimeZone,
        source: 'API',
      }).catch(async (err: unknown) => {
        // The service cannot tell a foreign senderEmail from a foreign alias; when senderEmail is
        // the sender's own, the alias is the field to fix.
        if (err instanceof SeqflowError && err.subCategory === 'SENDER_ADDRESS_NOT_ALLOWED' && body.senderAliasAddress?.trim()) {
          if (inboxForAddress(await listInboxesOfUser(deps.db.kysely, userId), body.senderEmail)) throw rejectionError('SENDER_ADDRESS_NOT_ALLOWED', 'senderAliasAddress');
        }
        throw err;
      });
      return enrollmentLite(enrollment);
    });
    app.get(`${base}/enrollments/contact/:contactId`, async (req) => {
      const { contactId } = parse(z.object({ contactId: pathId }), req.params, 'path');
      const e = await getRunningEnrollment(deps.db.kysely, contactId);
      if (!e) throw notFound('Enrollment for contact', contactId, 'NOT_ENROLLED');
      const [sequence, sender] = await Promise.all([
        getSequence(deps.db.kysely, e.sequenceId, { includeDeleted: true }),
        getUser(deps.db.kysely, e.enrolledByUserId),
      ]);
      return {
        id: String(e.id),
        sequenceId: String(e.sequenceId),
        sequenceName: sequence?.name ?? '',
        enrolledBy: String(e.enrolledByUserId),
        enrolledByEmail: sender?.email ?? e.senderEmail,
        toEmail: e.toEmail,
        enrolledAt: iso(e.enrolledAt),
        updatedAt: iso(e.updatedAt),
      };
    });
  }

  app.get('/seqflow/v1/enrollments', async (req) => {
    const q = parse(z.object({ contactId: numericId.optional(), sequenceId: numericId.optional() }), req.query, 'query');
    if (q.contactId === undefined && q.sequenceId === undefined) throw fieldError('contactId', 'Give contactId or sequenceId.');
    const enrollments = await listEnrollments(deps.db.kysely, q);
    const sends = await listSends(deps.db.kysely, enrollments.map((e) => e.id));
    return { results: enrollments.map((e) => enrollmentView(e, sends)) };
  });
  app.post('/seqflow/v1/contacts/:contactId/unenroll', async (req) => {
    const { contactId } = parse(z.object({ contactId: pathId }), req.params, 'path');
    const ended = await unenrollContact(deps, contactId, 'MANUAL');
    return enrollmentView(ended, await listSends(deps.db.kysely, [ended.id]));
  });
}
