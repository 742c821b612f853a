import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post, q } from '../api';
import { Link, useRouter } from '../router';
import { Badge, Dialog, Empty, ErrorMessage, Field, Loading, Pager } from '../components/ui';
import { useForms, useWorkflowCatalog } from '../lib/data';
import { buildCriteria, draftOfOption, triggerOptions, triggerSummary, type TriggerDraft } from '../lib/flow';
import { useLists } from './Lists';
import { dateTime } from '../lib/format';
import type { Flow, FlowListing, Paged } from '../types';

const PAGE = 25;

export function WorkflowsPage() {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [creating, setCreating] = useState(false);
  const after = cursors[cursors.length - 1];
  const forms = useForms();
  const catalog = useWorkflowCatalog();
  const list = useQuery({
    queryKey: ['flows', after ?? ''],
    queryFn: async () => {
      const page = await get<Paged<FlowListing>>(`/automation/v4/flows${q({ limit: PAGE, after })}`);
      const ids = page.results.map((f) => f.id);
      // The listing has no trigger; one batch read gets the page's definitions.
      const full = ids.length
        ? (await post<{ results: Flow[] }>('/automation/v4/flows/batch/read', { inputs: ids.map((flowId) => ({ flowId, type: 'FLOW_ID' })) })).results
        : [];
      const stats = await Promise.all(ids.map((id) => get<{ enrolled: number; running: number }>(`/seqflow/v1/workflows/${id}/stats`).catch(() => null)));
      return {
        next: page.paging?.next?.after,
        rows: page.results.map((f, i) => ({ ...f, flow: full.find((x) => x.id === f.id), stats: stats[i] })),
      };
    },
  });

  return (
    <main className="page">
      <div className="page-head">
        <h1>Workflows</h1>
        <button type="button" className="primary" onClick={() => setCreating(true)}>
          Create workflow
        </button>
      </div>
      <ErrorMessage error={list.error} title="Could not load workflows" />
      {list.isLoading && <Loading what="workflows" />}
      {list.data && list.data.rows.length === 0 && cursors.length === 1 && (
        <Empty>
          No workflows yet. <button type="button" className="link" onClick={() => setCreating(true)}>Create a workflow</button> to enroll contacts in a sequence when they submit a form or book a meeting.
        </Empty>
      )}
      {list.data && list.data.rows.length > 0 && (
        <div className="table-wrap">
          <table className="hover-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Trigger</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Enrolled
                </th>
                <th scope="col">Last updated</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.data.rows.map((f) => (
                <tr key={f.id}>
                  <th scope="row">
                    <span className="row-title">{f.name}</span>{' '}
                    {f.needsReview && (
                      <Badge kind="error" title={f.flow?.reviewReason}>
                        Needs review
                      </Badge>
                    )}
                  </th>
                  <td>{f.flow ? triggerSummary(f.flow.enrollmentCriteria, forms.data, catalog.data?.triggers) : '…'}</td>
                  <td>{f.isEnabled ? <Badge kind="ok">On</Badge> : <Badge kind="off">Off</Badge>}</td>
                  <td className="num">{f.stats?.enrolled ?? '—'}</td>
                  <td>{dateTime(f.updatedAt)}</td>
                  <td className="row-actions">
                    <Link to={`/workflows/${f.id}`} className="button">
                      Edit<span className="sr-only"> {f.name}</span>
                    </Link>
                    <Link to={`/workflows/${f.id}/history`} className="button secondary">
                      History<span className="sr-only"> of {f.name}</span>
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.data && (
        <Pager
          label="Workflow pages"
          page={cursors.length}
          hasNext={!!list.data.next}
          onPrev={() => setCursors((c) => c.slice(0, -1))}
          onNext={() => setCursors((c) => [...c, list.data!.next])}
        />
      )}
      {creating && <CreateWorkflow onClose={() => setCreating(false)} />}
    </main>
  );
}

function CreateWorkflow({ onClose }: { onClose(): void }) {
  const { navigate } = useRouter();
  const queryClient = useQueryClient();
  const forms = useForms();
  const [name, setName] = useState('');
  const catalog = useWorkflowCatalog();
  // A trigger option: a kind, or event:<eventTypeId> for the catalog's other event triggers.
  const [kind, setKind] = useState('form');
  const [formId, setFormId] = useState('');
  const [listId, setListId] = useState('');
  const lists = useLists();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const trigger: TriggerDraft =
      kind === 'form' ? { kind, formId } : kind === 'property' ? { kind, conditions: [] } : kind === 'list' ? { kind, listId: listId || lists.data?.[0]?.listId || '' } : draftOfOption(kind);
    try {
      const criteria = kind === 'property' ? undefined : buildCriteria(trigger, false);
      const flow = await post<Flow>('/automation/v4/flows', {
        type: 'CONTACT_FLOW',
        objectTypeId: '0-1',
        flowType: 'WORKFLOW',
        name: name.trim() || 'Untitled workflow',
        isEnabled: false,
        actions: [],
        ...(criteria && { enrollmentCriteria: criteria }),
        timeWindows: [],
        blockedDates: [],
        suppressionListIds: [],
        customProperties: {},
        dataSources: [],
        canEnrollFromSalesforce: false,
      });
      await queryClient.invalidateQueries({ queryKey: ['flows'] });
      navigate(`/workflows/${flow.id}${kind === 'property' ? '?trigger=property' : ''}`);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return (
    <Dialog
      title="Create workflow"
      onClose={onClose}
      actions={
        <>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="create-workflow" className="primary" disabled={busy}>
            Create
          </button>
        </>
      }
    >
      <ErrorMessage error={error} />
      <form id="create-workflow" onSubmit={submit}>
        <Field label="Workflow name">{(id) => <input id={id} value={name} onChange={(e) => setName(e.target.value)} placeholder="Demo request → follow-up sequence" />}</Field>
        <Field label="Enroll contacts when">
          {(id) => (
            <select id={id} value={kind} onChange={(e) => setKind(e.target.value)}>
              {triggerOptions(catalog.data?.triggers).map((t) => (
                <option key={t.id} value={t.id}>
                  {t.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        {kind === 'form' && (
          <Field label="Form">
            {(id) => (
              <select id={id} value={formId} onChange={(e) => setFormId(e.target.value)}>
                <option value="">Any form</option>
                {forms.data?.map((f) => (
                  <option key={f.id} value={f.id}>
                    {f.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        {kind === 'list' && (
          <Field label="List">
            {(id) => (
              <select id={id} required value={listId || lists.data?.[0]?.listId || ''} onChange={(e) => setListId(e.target.value)}>
                {lists.data?.length === 0 && <option value="">No lists yet: create one under Lists</option>}
                {lists.data?.map((l) => (
                  <option key={l.listId} value={l.listId}>
                    {l.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        <p className="hint">The workflow starts off; add actions in the editor, then turn it on.</p>
      </form>
    </Dialog>
  );
}
