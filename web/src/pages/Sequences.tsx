import { useState } from 'react';
import { Link } from '../router';
import { Empty, ErrorMessage, Loading, Pager, usePageOf } from '../components/ui';
import { useAllSequences } from '../lib/data';
import { dateTime } from '../lib/format';

const PAGE = 25;

export function SequencesPage() {
  const sequences = useAllSequences();
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(1);
  const rows = (sequences.data ?? []).filter((s) => `${s.name} ${s.ownerName}`.toLowerCase().includes(search.trim().toLowerCase()));
  const paged = usePageOf(rows, page, PAGE);
  return (
    <main className="page">
      <div className="page-head">
        <h1>Sequences</h1>
        <Link to="/sequences/new" className="button primary">
          Create sequence
        </Link>
      </div>
      <div className="filters">
        <div className="field">
          <label htmlFor="seq-search">Search sequences</label>
          <input id="seq-search" type="search" value={search} onChange={(e) => (setSearch(e.target.value), setPage(1))} placeholder="name or owner" />
        </div>
      </div>
      <ErrorMessage error={sequences.error} title="Could not load sequences" />
      {sequences.isLoading && <Loading what="sequences" />}
      {sequences.data && rows.length === 0 && <Empty>{search ? 'No sequence matches.' : 'No sequences yet. Create one to start following up with contacts one to one.'}</Empty>}
      {paged.rows.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Owner</th>
                <th scope="col" className="num">
                  Enrolled
                </th>
                <th scope="col" className="num">
                  Active
                </th>
                <th scope="col" className="num">
                  Replied
                </th>
                <th scope="col" className="num">
                  Meetings
                </th>
                <th scope="col" className="num">
                  Bounced
                </th>
                <th scope="col" className="num">
                  Unsubscribed
                </th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {paged.rows.map((s) => (
                <tr key={s.id}>
                  <th scope="row">
                    <Link to={`/sequences/${s.id}`}>{s.name}</Link>
                  </th>
                  <td>{s.ownerName}</td>
                  <td className="num">{s.stats?.enrolled ?? '—'}</td>
                  <td className="num">{s.stats?.active ?? '—'}</td>
                  <td className="num">{s.stats?.replied ?? '—'}</td>
                  <td className="num">{s.stats?.meetingsBooked ?? '—'}</td>
                  <td className="num">{s.stats?.bounced ?? '—'}</td>
                  <td className="num">{s.stats?.unsubscribed ?? '—'}</td>
                  <td>{dateTime(s.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {sequences.data && <Pager label="Sequence pages" page={paged.page} hasNext={paged.hasNext} onPrev={() => setPage((p) => p - 1)} onNext={() => setPage((p) => p + 1)} total={rows.length} />}
    </main>
  );
}
