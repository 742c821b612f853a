/** The tabs of a saved sequence, in the order they show; `?tab=` in the address picks one. */
export const TABS = ['steps', 'settings', 'preview', 'enrollments', 'performance'] as const;
export type Tab = (typeof TABS)[number];
export const TAB_LABELS: Record<Tab, string> = { steps: 'Steps', settings: 'Settings', preview: 'Preview', enrollments: 'Enrollments', performance: 'Performance' };
