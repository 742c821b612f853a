import { useEffect, useState, type ReactNode } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { post } from '../api';
import { Link } from '../router';
import { Empty, ErrorMessage, Loading, Pager } from './ui';
import { dateTime } from '../lib/format';
import type { Paged } from '../types';

const PAGE = 25;

interface CrmRecord {
  id: string;
  properties: Record<string, string | null>;
  createdAt: string;
}

/** A column between the record's name and its creation date. */
export interface RecordColumn<T> {
  header: string;
  cell(record: T): ReactNode;
}

/**
 * A CRM object's records, newest first, a page at a time, searched as the user types (after a
 * pause, so each keystroke is not a request). The name links to the record's page.
 */
export function RecordTable<T extends CrmRecord>({
  objectType,
  noun,
  placeholder,
  properties,
  name,
  columns,
  empty,
  children,
}: {
  objectType: 'contacts' | 'companies';
  /** One record, in lower case: "contact" labels the search "Search contacts" and the pager "Contact pages". */
  noun: string;
  placeholder: string;
  /** What the search asks for: every property the columns read. */
  properties: string[];
  name(record: T): ReactNode;
  columns: RecordColumn<T>[];
  /** What an empty table says when nothing is searched. */
  empty: string;
  /** Shown between the search field and the table. */
  children?: ReactNode;
}) {
  const [input, setInput] = useState('');
  const [query, setQuery] = useState('');
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  useEffect(() => {
    const t = setTimeout(() => {
      setQuery(input.trim());
      setCursors([undefined]);
    }, 250);
    return () => clearTimeout(t);
  }, [input]);
  const after = cursors[cursors.length - 1];
  const list = useQuery({
    queryKey: [objectType, query, after ?? ''],
    placeholderData: keepPreviousData,
    queryFn: () =>
      post<Paged<T>>(`/crm/v3/objects/${objectType}/search`, {
        query: query || undefined,
        limit: PAGE,
        after,
        properties,
        sorts: [{ propertyName: 'createdate', direction: 'DESCENDING' }],
      }),
  });
  const searchId = `${noun}-search`;
  return (
    <>
      <div className="filters">
        <div className="field">
          <label htmlFor={searchId}>Search {objectType}</label>
          <input id={searchId} type="search" value={input} onChange={(e) => setInput(e.target.value)} placeholder={placeholder} />
        </div>
      </div>
      {children}
      <ErrorMessage error={list.error} title={`Could not load ${objectType}`} />
      {list.isLoading && <Loading what={objectType} />}
      {list.data && list.data.results.length === 0 && <Empty>{query ? `No ${noun} matches “${query}”.` : empty}</Empty>}
      {list.data && list.data.results.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                {columns.map((c) => (
                  <th key={c.header} scope="col">
                    {c.header}
                  </th>
                ))}
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {list.data.results.map((r) => (
                <tr key={r.id}>
                  <th scope="row">
                    <Link to={`/${objectType}/${r.id}`}>{name(r)}</Link>
                  </th>
                  {columns.map((c) => (
                    <td key={c.header}>{c.cell(r)}</td>
                  ))}
                  <td>{dateTime(r.properties.createdate ?? r.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.data && (
        <Pager
          label={`${noun[0].toUpperCase()}${noun.slice(1)} pages`}
          page={cursors.length}
          total={list.data.total}
          hasNext={!!list.data.paging?.next}
          onPrev={() => setCursors((c) => c.slice(0, -1))}
          onNext={() => setCursors((c) => [...c, list.data!.paging!.next!.after])}
        />
      )}
    </>
  );
}
