/**
 * What a team moving off HubSpot brings besides the bench's one form → sequence flow: custom
 * contact properties, other enabled workflows (on other forms and on property changes) and
 * active lists filtering on its properties. None of them matches the bench's submissions, so the
 * pipeline does the same work; what the row measures is what every contact event pays for the
 * portal's size (reading and evaluating what might match).
 */
import type { Api } from './seqflow-seed.js';

export interface PortalSize {
  properties: number;
  workflows: number;
  lists: number;
}

export const TEAM_PORTAL: PortalSize = { properties: 300, workflows: 40, lists: 10 };

const FORM_SUBMITTED = '4-1639801';
const PROPERTY_CHANGED = '4-655002';
const SET_PROPERTY = '0-5';

const propertyName = (i: number) => `bench_custom_${i}`;

function flowOn(name: string, eventTypeId: string, filters: { property: string; value: string }[], setTo: string) {
  return {
    type: 'CONTACT_FLOW',
    objectTypeId: '0-1',
    flowType: 'WORKFLOW',
    name,
    isEnabled: true,
    startActionId: '1',
    nextAvailableActionId: '2',
    enrollmentCriteria: {
      type: 'EVENT_BASED',
      shouldReEnroll: false,
      listMembershipFilterBranches: [],
      eventFilterBranches: [
        {
          filterBranchType: 'UNIFIED_EVENTS',
          filterBranchOperator: 'AND',
          eventTypeId,
          operator: 'HAS_COMPLETED',
          filterBranches: [],
          filters: filters.map((f) => ({ filterType: 'PROPERTY', property: f.property, operation: { operationType: 'STRING', operator: 'IS_EQUAL_TO', value: f.value } })),
        },
      ],
    },
    actions: [
      {
        type: 'SINGLE_CONNECTION',
        actionId: '1',
        actionTypeId: SET_PROPERTY,
        actionTypeVersion: 0,
        fields: { property_name: 'jobtitle', value: { type: 'STATIC_VALUE', staticValue: setTo } },
      },
    ],
    timeWindows: [],
    blockedDates: [],
    suppressionListIds: [],
    customProperties: {},
    dataSources: [],
  };
}

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
      await api('POST', '/automation/v4/flows', flowOn(`Portal form ${i}`, FORM_SUBMITTED, [{ property: 'hs_form_id', value: form.id }], `form ${i}`));
    } else {
      const property = propertyName(i % Math.max(1, size.properties));
      await api('POST', '/automation/v4/flows', flowOn(`Portal change ${i}`, PROPERTY_CHANGED, [{ property: 'hs_name', value: property }], `changed ${i}`));
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
