import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { allPages, del, get, patch, post, q } from '../api';
import { Dialog, Empty, ErrorMessage, Field, Loading } from '../components/ui';
import { useUsers } from '../lib/data';
import { userName } from '../lib/format';
import type { Snippet, Template, User } from '../types';

type Kind = 'templates' | 'snippets';
type Item = Template | Snippet;
const isTemplate = (x: Item): x is Template => 'subject' in x;

/** Every template or snippet the caller sees: shared ones and their own (the step editor's pickers). */
export const useLibrary = <K extends Kind>(kind: K, filter: { q?: string; folder?: string } = {}) =>
  useQuery({
    queryKey: ['library', kind, filter.q ?? '', filter.folder ?? ''],
    queryFn: () => allPages<K extends 'templates' ? Template : Snippet>(`/seqflow/v1/${kind}${q({ limit: 100, q: filter.q, folder: filter.folder })}`),
  });

/** Templates and snippets: the emails and short texts reps write sequence steps from. */
export function TemplatesPage() {
  const [kind, setKind] = useState<Kind>('templates');
  return (
    <main className="page">
      <div className="page-head">
        <h1>Templates</h1>
      </div>
      <p className="hint">
        Private to you unless shared with the team. A step made from a template gets a copy: editing the template later does not change saved sequences. Type <code>#shortcut</code> then Tab
        in a step&apos;s body to insert a snippet.
      </p>
      <div className="tabs" role="tablist" aria-label="Library">
        {(['templates', 'snippets'] as const).map((k) => (
          <button key={k} type="button" role="tab" id={`tab-${k}`} aria-selected={kind === k} aria-controls={`panel-${k}`} onClick={() => setKind(k)}>
            {k === 'templates' ? 'Templates' : 'Snippets'}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${kind}`} aria-labelledby={`tab-${kind}`}>
        <LibraryTab key={kind} kind={kind} />
      </div>
    </main>
  );
}

function LibraryTab({ kind }: { kind: Kind }) {
  const [text, setText] = useState('');
  const [folder, setFolder] = useState('');
  const [editing, setEditing] = useState<Item | 'new' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const queryClient = useQueryClient();
  const users = useUsers();
  const items = useLibrary(kind, { q: text.trim(), folder });
  const folders = useQuery({ queryKey: ['library', kind, 'folders'], queryFn: () => get<{ results: string[] }>(`/seqflow/v1/${kind}/folders`) });
  const owner = (id: string) => {
    const u = users.data?.find((x) => x.id === id);
    return u ? userName(u) : `User ${id}`;
  };
  const one = kind === 'templates' ? 'template' : 'snippet';
  const remove = async (item: Item) => {
    setError(null);
    try {
      await del(`/seqflow/v1/${kind}/${item.id}`);
      await queryClient.invalidateQueries({ queryKey: ['library', kind] });
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section aria-label={kind === 'templates' ? 'Templates' : 'Snippets'}>
      <div className="filters">
        <Field label={`Search ${kind}`}>{(id) => <input id={id} type="search" value={text} onChange={(e) => setText(e.target.value)} />}</Field>
        <Field label="Folder">
          {(id) => (
            <select id={id} value={folder} onChange={(e) => setFolder(e.target.value)}>
              <option value="">All folders</option>
              {folders.data?.results.map((f) => (
                <option key={f} value={f}>
                  {f}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="spacer" />
        <button type="button" className="primary" onClick={() => setEditing('new')}>
          New {one}
        </button>
      </div>
      <ErrorMessage error={error ?? items.error} />
      {items.isLoading && <Loading what={kind} />}
      {items.data?.length === 0 && <Empty>{text || folder ? `No ${kind} match.` : `No ${kind} yet.`}</Empty>}
      {items.data && items.data.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">{kind === 'templates' ? 'Subject' : 'Shortcut'}</th>
                <th scope="col">Folder</th>
                <th scope="col">Owner</th>
                <th scope="col">Shared</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {items.data.map((x: Item) => (
                <tr key={x.id}>
                  <th scope="row">{x.name}</th>
                  <td>{isTemplate(x) ? x.subject : `#${x.shortcut}`}</td>
                  <td>{x.folder ?? <span className="muted">—</span>}</td>
                  <td>{owner(x.ownerUserId)}</td>
                  <td>{x.shared ? 'Team' : 'Only owner'}</td>
                  <td>
                    <button type="button" className="small" onClick={() => setEditing(x)}>
                      Edit<span className="sr-only"> {x.name}</span>
                    </button>{' '}
                    <button type="button" className="small secondary" onClick={() => void remove(x)}>
                      Delete<span className="sr-only"> {x.name}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing && <ItemDialog kind={kind} item={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </section>
  );
}

function ItemDialog({ kind, item, onClose }: { kind: Kind; item: Item | null; onClose(): void }) {
  const queryClient = useQueryClient();
  const one = kind === 'templates' ? 'template' : 'snippet';
  const [form, setForm] = useState({
    name: item?.name ?? '',
    folder: item?.folder ?? '',
    shared: item?.shared ?? false,
    subject: item && isTemplate(item) ? item.subject : '',
    shortcut: item && !isTemplate(item) ? item.shortcut : '',
    body: item?.body ?? '',
  });
  const [error, setError] = useState<unknown>(null);
  const set = (p: Partial<typeof form>) => setForm((f) => ({ ...f, ...p }));
  const users = useUsers();
  const me = useQuery({ queryKey: ['auth-status'], queryFn: () => get<{ user?: User }>('/seqflow/v1/auth/status') });
  const user = me.data?.user;
  // An admin files items for others; an API token is no one, so it must say whose a new item is.
  const chooseOwner = !item && me.isSuccess && (!user || user.superAdmin);
  const [ownerId, setOwnerId] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const common = { name: form.name, folder: form.folder.trim() || null, shared: form.shared, body: form.body, ...(ownerId && { ownerUserId: ownerId }) };
    const body = kind === 'templates' ? { ...common, subject: form.subject } : { ...common, shortcut: form.shortcut };
    try {
      if (item) await patch(`/seqflow/v1/${kind}/${item.id}`, body);
      else await post(`/seqflow/v1/${kind}`, body);
      await queryClient.invalidateQueries({ queryKey: ['library', kind] });
      onClose();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Dialog
      title={item ? `Edit ${one}` : `New ${one}`}
      onClose={onClose}
      actions={
        <>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="library-item" className="primary">
            Save {one}
          </button>
        </>
      }
    >
      <form id="library-item" onSubmit={submit}>
        <ErrorMessage error={error} />
        <Field label="Name">{(id) => <input id={id} required value={form.name} onChange={(e) => set({ name: e.target.value })} />}</Field>
        {kind === 'snippets' && (
          <Field label="Shortcut" hint="Type #shortcut then Tab in a step's body to insert it. Letters, digits, _ and -.">
            {(id) => <input id={id} required pattern="[A-Za-z0-9_\-]{1,40}" value={form.shortcut} onChange={(e) => set({ shortcut: e.target.value })} />}
          </Field>
        )}
        {chooseOwner && (
          <Field label="Owner">
            {(id) => (
              <select id={id} required={!user} value={ownerId} onChange={(e) => setOwnerId(e.target.value)}>
                <option value="">{user ? 'Me' : 'Choose an owner…'}</option>
                {users.data
                  ?.filter((u) => u.id !== user?.id)
                  .map((u) => (
                    <option key={u.id} value={u.id}>
                      {userName(u)}
                    </option>
                  ))}
              </select>
            )}
          </Field>
        )}
        <Field label="Folder">{(id) => <input id={id} value={form.folder} onChange={(e) => set({ folder: e.target.value })} />}</Field>
        <label className="check">
          <input type="checkbox" checked={form.shared} onChange={(e) => set({ shared: e.target.checked })} /> Share with the whole team
        </label>
        {kind === 'templates' && <Field label="Subject">{(id) => <input id={id} value={form.subject} onChange={(e) => set({ subject: e.target.value })} />}</Field>}
        <Field label="Body" hint="HTML. Tokens such as {{ contact.firstname }} are filled in when the email is sent.">
          {(id) => <textarea id={id} required rows={8} value={form.body} onChange={(e) => set({ body: e.target.value })} />}
        </Field>
      </form>
    </Dialog>
  );
}
