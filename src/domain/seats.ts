import type { Seat } from './glossary.js';

/** PRODUCT §2. Configuration with these defaults. */
export interface SeatPolicy {
  /** Seats that may use sequences at all (enroll through the API or UI). */
  sequences: Seat[];
  /** Seats that may be chosen as the sender of a workflow's Enroll-in-sequence action. */
  workflowSender: Seat[];
}

export const DEFAULT_SEAT_POLICY: SeatPolicy = {
  sequences: ['sales_professional', 'sales_enterprise', 'service_professional', 'service_enterprise'],
  workflowSender: ['sales_professional', 'sales_enterprise', 'service_enterprise'],
};
