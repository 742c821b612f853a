/**
 * What a team moving off HubSpot brings besides the bench's one form → sequence flow: custom
 * contact properties, other enabled workflows (on other forms and on property changes) and
 * active lists filtering on its properties. None of them matches the bench's submissions, so the
 * pipeline does the same work; what the row measures is what every contact event pays for the
 * portal's size (reading and evaluating what might match).
 */
import { eventFlow, FORM_SUBMITTED } from '../src/cli/seed-through-api.js';
import type { Api } from './seqflow-seed.js';

export interface PortalSize {
  properties: number;
  workflows: number;
  lists: number;
}

export const TEAM_PORTAL: PortalSize = { properties: 300, workflows: 40, lists: 10 };

const PROPERTY_CHANGED = '4-655002';
const SET_PROPERTY = '0-5';

const propertyName = (i: number) => `bench_custom_${i}`;
const setJobTitle = (value: string) => ({ actionTypeId: SET_PROPERTY, fields: { property_name: 'jobtitle', value: { type: 'STATIC_VALUE', staticValue: value } } });

/** Creates the portal through the public API, as an import script would. */
export async function seedPortal(api: Api, size: PortalSize): Promise<void> {
  const types = [
    { type: 'string', fieldType: 'text' },
    { type: 'number', fieldType: 'number' },
    { type: 'date', fieldType: 'date' },
    { type: 'enumeration', fieldType: 'select', options: ['Gold', 'Silver', 'Bronze'].map((label, displayOrder) => ({ label, value: label.toLowerCase(), displayOrder, hidden: false })) },
  ];
  for (let i = 0; i < size.properties; i++) {
    const t = types[i % types.length]!;
    await api('POST', '/crm/v3/properties/contacts', { name: propertyName(i), label: `Bench custom ${i}`, groupName: 'contactinformation', options: [], ...t });
  }
  for (let i = 0; i < size.workflows; i++) {
    if (i % 2 === 0) {
      const form = (await api('POST', '/seqflow/v1/forms', { name: `Portal form ${i}`, fields: [{ name: 'email', label: 'Email', required: true }] })) as { id: string };
      await api('POST', '/automation/v4/flows', eventFlow({ name: `Portal form ${i}`, eventTypeId: FORM_SUBMITTED, filters: [{ property: 'hs_form_id', value: form.id }], action: setJobTitle(`form ${i}`) }));
    } else {
      const property = propertyName(i % Math.max(1, size.properties));
      await api('POST', '/automation/v4/flows', eventFlow({ name: `Portal change ${i}`, eventTypeId: PROPERTY_CHANGED, filters: [{ property: 'hs_name', value: property }], action: setJobTitle(`changed ${i}`) }));
    }
  }
  for (let i = 0; i < size.lists; i++) {
    const property = size.properties > 0 ? propertyName((i * 4) % size.properties) : 'jobtitle';
    await api('POST', '/crm/v3/lists', {
      objectTypeId: '0-1',
      name: `Portal list ${i}`,
      processingType: 'DYNAMIC',
      filterBranch: {
        filterBranchType: 'OR',
        filterBranches: [{ filterBranchType: 'AND', filters: [{ filterType: 'PROPERTY', property, operation: { operationType: 'MULTISTRING', operator: 'IS_EQUAL_TO', values: [`list ${i}`] } }] }],
      },
    });
  }
}
