import { useQuery } from '@tanstack/react-query';
import { allPages } from '../api';
import type { Schedule } from '../types';

/** The named schedules (issue #14 item 4), for the Schedules page and a sequence's "Use schedule". */
export const useSchedules = () => useQuery({ queryKey: ['schedules'], queryFn: () => allPages<Schedule>('/seqflow/v1/schedules?limit=100') });
