import { Link, useRouter } from '../../router';
import { ErrorMessage, Loading } from '../../components/ui';
import { useAllSequences, useSequence } from '../../lib/data';
import { SequenceEditor } from './SequenceEditor';
import { TABS, type Tab } from './tabs';

/** /sequences/new and /sequences/:id: finds the sequence (or says it is gone) and opens the editor on the tab the address names. */
export function SequencePage({ id }: { id: string | null }) {
  const { search, navigate } = useRouter();
  const tab = (TABS as readonly string[]).includes(search.get('tab') ?? '') ? (search.get('tab') as Tab) : 'steps';
  const sequences = useAllSequences();
  const row = id ? sequences.data?.find((s) => s.id === id) : undefined;
  const sequence = useSequence(id ?? undefined, row?.userId);
  const gone = !!id && !!sequences.data && !row;

  if (!id) return <SequenceEditor sequence={null} tab="steps" />;
  if (sequences.error || sequence.error) return <main className="page"><ErrorMessage error={sequences.error ?? sequence.error} /></main>;
  if (gone)
    return (
      <main className="page">
        <h1>Sequence not found</h1>
        <p>Sequence {id} does not exist or was deleted. Workflows that enrolled contacts in it show the action as broken.</p>
        <Link to="/sequences">All sequences</Link>
      </main>
    );
  if (!sequence.data) return <main className="page"><Loading what="the sequence" /></main>;
  return <SequenceEditor key={sequence.data.id} sequence={sequence.data} stats={row?.stats} tab={tab} onTab={(t) => navigate(`/sequences/${id}?tab=${t}`, { replace: true })} />;
}
