/**
 * The new workflow actions in the editor (issue #12): Rotate record to owner and Delay until a
 * date added and saved through the actions panel; an outcome branch drawn with its paths.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { chain, createFlow, flow, onContactCreated } from '../support/workflows.js';
import { chromiumAvailable, goToWorkflows, poll, screenshot, useBrowserApp } from './browser.js';

const setJobTitle = (value: string) => ({ actionTypeId: '0-5', fields: { property_name: 'jobtitle', value: { type: 'STATIC_VALUE', staticValue: value } } });

describe.skipIf(!chromiumAvailable)('the editor for the new workflow actions', () => {
  const app = useBrowserApp();
  let page: Page;
  const userIds: string[] = [];

  beforeAll(async () => {
    for (const [firstName, lastName] of [['Ann', 'Archer'], ['Bob', 'Baker']]) {
      const r = await app.h.api('POST', '/settings/v3/users', { email: `${firstName.toLowerCase()}@acme.test`, firstName, lastName, seat: 'sales_professional' });
      expect(r.status).toBe(201);
      userIds.push(r.body.id);
    }
  }, 60_000);

  const edit = async (name: string) => {
    page = await app.open();
    await goToWorkflows(page);
    const row = page.getByRole('row', { name: new RegExp(name) });
    await row.hover();
    await row.getByRole('link', { name: /^Edit/ }).click();
    await page.getByRole('list', { name: 'Workflow steps' }).waitFor();
  };
  const panel = () => page.getByRole('dialog', { name: 'Actions panel' });
  const getFlow = async (id: string) => (await app.h.api('GET', `/automation/v4/flows/${id}`)).body;

  it('saves a Rotate record to owner between two users and a Delay until three days before a date property at 09:00', async () => {
    const wf = await createFlow(app.h, flow({ name: 'Assign new leads', isEnabled: false, criteria: onContactCreated, actions: [] }));
    await edit('Assign new leads');

    await page.getByRole('button', { name: 'Add action after trigger' }).click();
    await panel().getByLabel('Search actions').fill('rotate');
    await panel().getByRole('button', { name: 'Rotate record to owner', exact: true }).click();
    await panel().getByRole('button', { name: 'Save' }).click();
    await panel().getByRole('alert').filter({ hasText: 'Choose at least one user to rotate between.' }).waitFor();
    await panel().getByLabel('Ann Archer').check();
    await panel().getByLabel('Bob Baker').check();
    await panel().getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Rotate record to owner saved.' }).waitFor();
    await poll(() => page.getByRole('listitem', { name: /^Action 1: Rotate record to owner$/ }).textContent()).toContain('Rotate owner between Ann Archer, Bob Baker');

    await page.getByRole('button', { name: 'Add action after action 1' }).click();
    await panel().getByRole('button', { name: 'Delay until a date', exact: true }).click();
    await panel().getByLabel('Date property').fill('renewal_date');
    await panel().getByLabel('When').selectOption('BEFORE');
    await panel().getByLabel('Amount').fill('3');
    await panel().getByLabel('Unit').selectOption('DAYS');
    await panel().getByLabel('Time of day').fill('09:00');
    await screenshot(page, 'workflow-editor-delay-until-date');
    await panel().getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Delay until a date saved.' }).waitFor();
    await poll(() => page.getByRole('listitem', { name: /^Action 2: Delay until a date$/ }).textContent()).toContain('Wait until 3 days before renewal_date at 09:00');

    const saved = await getFlow(wf.id);
    expect(saved.actions.map((a: any) => [a.actionTypeId, a.fields])).toEqual([
      ['0-11', { user_ids: userIds, target_property: 'hubspot_owner_id', overwrite_current_owner: false }],
      ['0-35', { date: { type: 'OBJECT_PROPERTY', propertyName: 'renewal_date' }, delta: '-3', time_unit: 'DAYS', time_of_day: { hour: 9, minute: 0 } }],
    ]);
  }, 60_000);

  it('draws each path of a branch on the outcome of the previous action with the actions on it', async () => {
    const first = chain([setJobTitle('Seen')])[0];
    const actions = [
      { ...first, connection: { edgeType: 'STANDARD', nextActionId: '2' } },
      {
        type: 'STATIC_BRANCH',
        actionId: '2',
        inputValue: { type: 'FIELD_DATA', actionId: '1', dataKey: 'hs_action_status' },
        staticBranches: [
          { branchValue: 'EXECUTED', connection: { edgeType: 'STANDARD', nextActionId: '3' } },
          { branchValue: 'SKIPPED', connection: { edgeType: 'STANDARD', nextActionId: '4' } },
        ],
      },
      { ...chain([setJobTitle('Done')])[0], actionId: '3' },
      { type: 'SINGLE_CONNECTION', actionId: '4', actionTypeId: '0-3', actionTypeVersion: 0, fields: { subject: 'Look at this contact' } },
    ];
    await createFlow(app.h, { ...flow({ name: 'Outcome paths', isEnabled: false, criteria: onContactCreated, actions: [] }), actions, nextAvailableActionId: '5' });
    await edit('Outcome paths');

    const branch = page.getByRole('listitem', { name: /^Action 2: Branch on the outcome of action 1$/ });
    const paths = branch.getByRole('list', { name: 'Paths' });
    await paths.waitFor();
    expect((await paths.locator(':scope > li').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim())).toEqual([
      'Executed Set property value (action 3)',
      'Skipped Create task (action 4)',
      'Any other outcome → End',
    ]);
    await screenshot(page, 'workflow-editor-outcome-branch');
  }, 60_000);
});
