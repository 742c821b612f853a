import { userName } from '../../lib/format';
import type { User } from '../../types';
import type { ActionForm, ActionFormProps } from './form';

const idsOf = (f: Record<string, unknown>): string[] => (Array.isArray(f.user_ids) ? f.user_ids.map(String) : []);
const overwrites = (f: Record<string, unknown>) => f.overwrite_current_owner === true || f.overwrite_current_owner === 'true';

function Fields({ fields, set, users }: ActionFormProps) {
  const ids = idsOf(fields);
  const toggle = (id: string, on: boolean) => set('user_ids', on ? [...ids, id] : ids.filter((x) => x !== id));
  return (
    <>
      <fieldset className="users">
        <legend>Rotate between</legend>
        {!users && <p className="muted">Loading users…</p>}
        {users?.map((u) => (
          <label key={u.id} className="check">
            <input type="checkbox" checked={ids.includes(u.id)} onChange={(e) => toggle(u.id, e.target.checked)} /> {userName(u)}
          </label>
        ))}
      </fieldset>
      <p className="hint">Each contact goes to the next user in turn, in the order checked.</p>
      <label className="check">
        <input type="checkbox" checked={overwrites(fields)} onChange={(e) => set('overwrite_current_owner', e.target.checked)} /> Overwrite an existing owner
      </label>
    </>
  );
}

const names = (ids: string[], users: User[] | undefined) => ids.map((id) => {
  const u = users?.find((x) => x.id === id);
  return u ? userName(u) : `user ${id}`;
});

export const rotateToOwnerForm: ActionForm = {
  actionTypeId: '0-11',
  Fields,
  validate: (f) => (idsOf(f).length === 0 ? 'Choose at least one user to rotate between.' : null),
  clean: (f) => ({ ...f, target_property: 'hubspot_owner_id', overwrite_current_owner: overwrites(f) }),
  summary: (f, users) => [`Rotate owner between ${names(idsOf(f), users).join(', ') || '?'}`, overwrites(f) ? 'Overwrites an existing owner' : 'Keeps an existing owner'],
};
