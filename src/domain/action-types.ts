import { ACTION_TYPES } from './workflow-graph.js';

/** The catalog served at /automation/2026-09-beta/action-types, grouped as the actions panel shows it. */
export const ACTION_CATALOG = [
  {
    actionTypeId: ACTION_TYPES.DELAY,
    actionName: 'Delay',
    groupId: 'delays',
    objectTypeIds: ['0-1'],
    inputFieldDefinitions: [
      { name: 'delta', type: 'number', required: true },
      { name: 'time_unit', type: 'enumeration', required: true, options: ['MINUTES', 'HOURS', 'DAYS', 'WEEKS'] },
    ],
  },
  {
    actionTypeId: ACTION_TYPES.ENROLL_IN_SEQUENCE,
    actionName: 'Enroll in a sequence',
    groupId: 'sales',
    objectTypeIds: ['0-1'],
    inputFieldDefinitions: [
      { name: 'sequenceId', type: 'string', required: true },
      { name: 'senderType', type: 'enumeration', required: true, options: ['SPECIFIC_USER', 'CONTACT_OWNER'] },
      { name: 'userId', type: 'string', required: false },
      { name: 'senderEmail', type: 'string', required: false },
      { name: 'shouldUseContactTimeZone', type: 'bool', required: false },
    ],
  },
  {
    actionTypeId: ACTION_TYPES.UNENROLL_FROM_SEQUENCE,
    actionName: 'Unenroll from sequence',
    groupId: 'sales',
    objectTypeIds: ['0-1'],
    inputFieldDefinitions: [{ name: 'sequenceId', type: 'string', required: false }],
  },
  {
    actionTypeId: ACTION_TYPES.SET_PROPERTY,
    actionName: 'Set property value',
    groupId: 'records',
    objectTypeIds: ['0-1'],
    inputFieldDefinitions: [
      { name: 'property_name', type: 'string', required: true },
      { name: 'value', type: 'object', required: true },
    ],
  },
  {
    actionTypeId: ACTION_TYPES.CREATE_TASK,
    actionName: 'Create task',
    groupId: 'sales',
    objectTypeIds: ['0-1'],
    inputFieldDefinitions: [
      { name: 'subject', type: 'string', required: true },
      { name: 'body', type: 'string', required: false },
      { name: 'task_type', type: 'enumeration', required: false, options: ['TODO', 'CALL', 'EMAIL'] },
      { name: 'userId', type: 'string', required: false },
    ],
  },
] as const;

export const KNOWN_ACTION_TYPES: string[] = ACTION_CATALOG.map((a) => a.actionTypeId);
