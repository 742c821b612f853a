import { describe, expect, it } from 'vitest';
import { ACTION_CATALOG, actionTypeById, WORKFLOW_ACTIONS } from './index.js';

describe('the workflow action registry', () => {
  it('should list each action type id once when the registry is read', () => {
    const ids = WORKFLOW_ACTIONS.map((a) => a.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(actionTypeById(id)?.id).toBe(id);
  });

  it('should give every action a catalog entry with a name, a group and its fields when the catalog is served', () => {
    expect(ACTION_CATALOG.map((a) => a.actionTypeId)).toEqual(WORKFLOW_ACTIONS.map((a) => a.id));
    for (const entry of ACTION_CATALOG) {
      expect(entry.actionName.trim()).not.toBe('');
      expect(entry.groupId.trim()).not.toBe('');
      expect(entry.objectTypeIds).toEqual(['0-1']);
      expect(new Set(entry.inputFieldDefinitions.map((f) => f.name)).size).toBe(entry.inputFieldDefinitions.length);
    }
  });

  it('should exempt only the delays from time windows when actions wait for them', () => {
    expect(WORKFLOW_ACTIONS.filter((a) => !a.keepsTimeWindows).map((a) => a.name)).toEqual(['Delay', 'Delay until a date', 'Delay until a day and time']);
  });
});
