import type { ReactNode } from 'react';
import { WorkflowsPage } from './pages/Workflows';
import { WorkflowEditor } from './pages/workflow-editor/WorkflowEditor';
import { WorkflowHistory } from './pages/WorkflowHistory';
import { SequencesPage } from './pages/Sequences';
import { SequencePage } from './pages/sequence/SequencePage';
import { ContactsPage } from './pages/Contacts';
import { ContactRecord } from './pages/ContactRecord';
import { SettingsPage } from './pages/Settings';
import { PropertiesPage } from './pages/Properties';
import { HolidaysPage } from './pages/Holidays';
import { SchedulesPage } from './pages/Schedules';
import { TemplatesPage } from './pages/Templates';
import { DevInbox } from './pages/DevInbox';
import { FormsPage } from './pages/Forms';
import { TasksPage } from './pages/Tasks';
import { CompaniesPage } from './pages/Companies';
import { CompanyRecord } from './pages/CompanyRecord';
import { ListsPage } from './pages/Lists';
import { ListRecord } from './pages/ListRecord';
import { ImportPage } from './pages/Import';
import { NotificationsPage } from './pages/Notifications';

export interface Route {
  /** A `match` pattern (src/router.tsx); the first route that matches wins. */
  path: string;
  page(params: Record<string, string>): ReactNode;
  /** Listed in the top bar under this label: in the Automation menu, or on the bar itself. */
  nav?: { label: string; menu?: 'automation' };
}

/** Every page of the app, in the top bar's order: the router and the navigation both read it. */
export const ROUTES: Route[] = [
  { path: '/workflows', page: () => <WorkflowsPage />, nav: { label: 'Workflows', menu: 'automation' } },
  { path: '/workflows/:id/history', page: (m) => <WorkflowHistory id={m.id} /> },
  { path: '/workflows/:id', page: (m) => <WorkflowEditor key={m.id} id={m.id} /> },
  { path: '/sequences', page: () => <SequencesPage />, nav: { label: 'Sequences', menu: 'automation' } },
  { path: '/sequences/new', page: () => <SequencePage key="new" id={null} /> },
  { path: '/sequences/:id', page: (m) => <SequencePage key={m.id} id={m.id} /> },
  { path: '/templates', page: () => <TemplatesPage />, nav: { label: 'Templates', menu: 'automation' } },
  { path: '/web-forms', page: () => <FormsPage />, nav: { label: 'Forms', menu: 'automation' } },
  { path: '/contacts', page: () => <ContactsPage />, nav: { label: 'Contacts' } },
  { path: '/contacts/:id', page: (m) => <ContactRecord key={m.id} id={m.id} /> },
  { path: '/companies', page: () => <CompaniesPage />, nav: { label: 'Companies' } },
  { path: '/companies/:id', page: (m) => <CompanyRecord key={m.id} id={m.id} /> },
  { path: '/lists', page: () => <ListsPage />, nav: { label: 'Lists' } },
  { path: '/lists/:id', page: (m) => <ListRecord key={m.id} id={m.id} /> },
  { path: '/tasks', page: () => <TasksPage />, nav: { label: 'Tasks' } },
  { path: '/account', page: () => <SettingsPage />, nav: { label: 'Settings' } },
  { path: '/account/properties', page: () => <PropertiesPage /> },
  { path: '/account/holidays', page: () => <HolidaysPage /> },
  { path: '/account/schedules', page: () => <SchedulesPage /> },
  { path: '/notifications', page: () => <NotificationsPage />, nav: { label: 'Notifications' } },
  { path: '/dev-inbox', page: () => <DevInbox />, nav: { label: 'Dev inbox' } },
  { path: '/import', page: () => <ImportPage /> },
];

/** Paths that lead to the workflows page. */
export const HOME_ALIASES = ['/', '/sign-in', '/setup', '/automation'];
