import type { FastifyInstance } from 'fastify';
import type { Enrollment, Send } from '../../domain/glossary.js';
import { enrollContact } from '../../services/enroll-contact.js';
import { unenrollContact } from '../../services/unenroll-contact.js';
import { errors, fieldError, isError } from '../../services/errors.js';
import { listEnrollmentsWithSends, runningEnrollmentStatus, sendsOf, userSendsFrom } from '../../services/enrollments.js';
import { publicSendError } from '../../services/mail-errors.js';
import type { AppContext } from '../context.js';
import { enrollments } from '../../schemas/index.js';
import { iso, parse } from '../validate.js';
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

export function registerEnrollmentRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { deps } = ctx;
  for (const base of SEQUENCE_BASES) {
    app.post(`${base}/enrollments`, async (req) => {
      const { userId } = parse(enrollments.enrollQuery, req.query, 'query');
      if (userId === undefined) throw fieldError('userId', 'userId is required: the id of the user enrolling the contact.');
      const body = parse(enrollments.enrollBody, req.body, 'body');
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
        if (isError(err, 'ENROLLMENT_REJECTED') && err.details.reason === 'SENDER_ADDRESS_NOT_ALLOWED' && body.senderAliasAddress?.trim()) {
          if (await userSendsFrom(deps, userId, body.senderEmail)) throw errors.enrollmentRejected({ reason: 'SENDER_ADDRESS_NOT_ALLOWED', field: 'senderAliasAddress' });
        }
        throw err;
      });
      return enrollmentLite(enrollment);
    });
    app.get(`${base}/enrollments/contact/:contactId`, async (req) => {
      const { contactId } = parse(enrollments.contactIdParam, req.params, 'path');
      const { enrollment: e, sequenceName, enrolledByEmail } = await runningEnrollmentStatus(deps, contactId);
      return {
        id: String(e.id),
        sequenceId: String(e.sequenceId),
        sequenceName: sequenceName ?? '',
        enrolledBy: String(e.enrolledByUserId),
        enrolledByEmail: enrolledByEmail ?? e.senderEmail,
        toEmail: e.toEmail,
        enrolledAt: iso(e.enrolledAt),
        updatedAt: iso(e.updatedAt),
      };
    });
  }

  app.get('/seqflow/v1/enrollments', async (req) => {
    const q = parse(enrollments.enrollmentsQuery, req.query, 'query');
    if (q.contactId === undefined && q.sequenceId === undefined) throw fieldError('contactId', 'Give contactId or sequenceId.');
    const found = await listEnrollmentsWithSends(deps, q);
    return { results: found.enrollments.map((e) => enrollmentView(e, found.sends)) };
  });
  app.post('/seqflow/v1/contacts/:contactId/unenroll', async (req) => {
    const { contactId } = parse(enrollments.contactIdParam, req.params, 'path');
    const ended = await unenrollContact(deps, contactId, 'MANUAL');
    return enrollmentView(ended, await sendsOf(deps, [ended.id]));
  });
}
