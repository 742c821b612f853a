import { useState, type ChangeEvent, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { parse } from 'csv-parse/browser/esm/sync';
import { get, post, postForm, q } from '../api';
import { Empty, ErrorMessage, Field, Loading } from '../components/ui';
import { Link } from '../router';
import type { ImportError, ImportProgress, ImportView, SuggestedMapping } from '../types';

/** How much of the file the browser reads for the preview and the mapping: the rest goes straight to the server. */
const PREVIEW_BYTES = 64 * 1024;
const PREVIEW_ROWS = 5;
const FINISHED = ['DONE', 'FAILED', 'CANCELED', 'REVERTED'];

interface Preview {
  file: File;
  header: string[];
  rows: string[][];
}

/** The header and first rows of a CSV file, from its first bytes only (a partial last line is dropped). */
async function previewOf(file: File): Promise<Preview> {
  const head = await file.slice(0, PREVIEW_BYTES).text();
  const complete = file.size > PREVIEW_BYTES ? head.slice(0, head.lastIndexOf('\n') + 1) : head;
  const records = parse(complete, { bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, to: PREVIEW_ROWS + 1 }) as string[][];
  return { file, header: records[0] ?? [], rows: records.slice(1) };
}

/** Contacts > Import: upload a CSV, map its columns to properties, watch it run, read the rows it rejected. */
export function ImportPage() {
  const [preview, setPreview] = useState<Preview | null>(null);
  const [mapping, setMapping] = useState<SuggestedMapping | null>(null);
  const [importId, setImportId] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const choose = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    setError(null);
    setPreview(null);
    setMapping(null);
    if (!file) return;
    try {
      const p = await previewOf(file);
      if (!p.header.length) throw new Error('The file is empty: it has no header row.');
      setPreview(p);
      setMapping(await post<SuggestedMapping>('/seqflow/v1/imports/suggest-mapping', { header: p.header }));
    } catch (err) {
      setError(err);
    }
  };

  return (
    <main className="page">
      <div className="page-head">
        <h1>Import contacts</h1>
        <Link to="/contacts">Back to contacts</Link>
      </div>
      {!importId && (
        <>
          <p>Contacts are created or updated by email. Rows that cannot be imported are listed at the end with their line and reason.</p>
          <Field label="CSV file">{(id) => <input id={id} type="file" accept=".csv,text/csv" onChange={(e) => void choose(e)} />}</Field>
          <ErrorMessage error={error} title="Could not read the file" />
          {preview && !mapping && !error && <Loading what="the suggested mapping" />}
          {preview && mapping && <MapColumns preview={preview} mapping={mapping} onStarted={setImportId} />}
        </>
      )}
      {importId && <ImportRun id={importId} onAnother={() => (setImportId(null), setPreview(null), setMapping(null))} />}
    </main>
  );
}

function MapColumns({ preview, mapping, onStarted }: { preview: Preview; mapping: SuggestedMapping; onStarted(id: string): void }) {
  const [choice, setChoice] = useState<(string | null)[]>(() => mapping.columns.map((c) => c.propertyName));
  const [name, setName] = useState(preview.file.name.replace(/\.csv$/i, ''));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const hasEmail = choice.includes('email');

  const start = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const request = {
        name: name.trim() || preview.file.name,
        files: [
          {
            fileName: preview.file.name,
            fileFormat: 'CSV',
            fileImportPage: { hasHeader: true, columnMappings: preview.header.map((columnName, i) => ({ columnObjectTypeId: '0-1', columnName, propertyName: choice[i] })) },
          },
        ],
      };
      const form = new FormData();
      form.append('files', preview.file, preview.file.name);
      form.append('importRequest', JSON.stringify(request));
      const started = await postForm<ImportView>('/crm/v3/imports', form);
      onStarted(started.id);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void start(e)}>
      <h2>Map columns to contact properties</h2>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Column</th>
              <th scope="col">First values</th>
              <th scope="col">Property</th>
            </tr>
          </thead>
          <tbody>
            {preview.header.map((column, i) => (
              <tr key={`${i}-${column}`}>
                <th scope="row">{column}</th>
                <td>{preview.rows.map((r) => r[i] ?? '').filter(Boolean).slice(0, 3).join(', ')}</td>
                <td>
                  <select
                    aria-label={`Property for column ${column}`}
                    value={choice[i] ?? ''}
                    onChange={(e) => setChoice((c) => c.map((v, j) => (j === i ? e.target.value || null : v)))}
                  >
                    <option value="">Don't import</option>
                    {mapping.properties.map((p) => (
                      <option key={p.name} value={p.name} disabled={choice.includes(p.name) && choice[i] !== p.name}>
                        {p.label}
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>Preview</h2>
      <div className="table-wrap">
        <table aria-label="Preview of the first rows">
          <thead>
            <tr>
              {preview.header.map((h, i) => (
                <th key={`${i}-${h}`} scope="col">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {preview.rows.map((r, i) => (
              <tr key={i}>
                {preview.header.map((_h, j) => (
                  <td key={j}>{r[j] ?? ''}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Field label="Import name">{(id) => <input id={id} value={name} onChange={(e) => setName(e.target.value)} maxLength={250} />}</Field>
      {!hasEmail && <p role="alert">Map a column to Email: contacts are created or updated by email.</p>}
      <ErrorMessage error={error} title="The import could not start" />
      <button type="submit" className="primary" disabled={!hasEmail || busy}>
        {busy ? 'Uploading…' : 'Start import'}
      </button>
    </form>
  );
}

function ImportRun({ id, onAnother }: { id: string; onAnother(): void }) {
  const progress = useQuery({
    queryKey: ['import-progress', id],
    queryFn: () => get<ImportProgress>(`/seqflow/v1/imports/${id}/progress`),
    refetchInterval: (query) => (query.state.data && FINISHED.includes(query.state.data.state) ? false : 500),
  });
  const p = progress.data;
  const finished = !!p && FINISHED.includes(p.state);
  const errors = useQuery({
    queryKey: ['import-errors', id],
    enabled: finished && (p?.errorRows ?? 0) > 0,
    queryFn: () => get<{ results: ImportError[] }>(`/crm/v3/imports/${id}/errors${q({ limit: 100, includeErrorMessage: true, includeRowData: true })}`),
  });
  const percent = p ? Math.round((100 * p.bytesRead) / Math.max(1, p.fileBytes)) : 0;
  return (
    <section aria-label="Import progress">
      <ErrorMessage error={progress.error} title="Could not read the import's progress" />
      {!p && <Loading what="the import" />}
      {p && (
        <>
          <h2>
            {p.name}: {finished ? (p.state === 'DONE' ? 'Done' : p.state === 'CANCELED' ? 'Canceled' : 'Failed') : 'Importing…'}
          </h2>
          <progress max={100} value={finished && p.state === 'DONE' ? 100 : percent} aria-label="Import progress" style={{ width: '100%', maxWidth: '40rem' }}>
            {percent}%
          </progress>
          <p aria-live="polite">
            {p.totalRows} rows: {p.createdObjects} created, {p.updatedObjects} updated, {p.errorRows} with errors
          </p>
          {p.failure && <p role="alert">{p.failure}</p>}
        </>
      )}
      {finished && p.errorRows === 0 && <Empty>Every row was imported.</Empty>}
      {errors.data && (
        <>
          <h2>Rows not imported</h2>
          <div className="table-wrap">
            <table aria-label="Rows not imported">
              <thead>
                <tr>
                  <th scope="col">Line</th>
                  <th scope="col">Error</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Row</th>
                </tr>
              </thead>
              <tbody>
                {errors.data.results.map((e) => (
                  <tr key={e.id}>
                    <td>{e.sourceData.lineNumber}</td>
                    <td>
                      <code>{e.errorType}</code>
                    </td>
                    <td>{e.errorMessage}</td>
                    <td>{e.sourceData.rowData.join(', ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {p && p.errorRows > errors.data.results.length && <p>Showing the first {errors.data.results.length} of {p.errorRows}.</p>}
        </>
      )}
      {finished && (
        <p>
          <Link to="/contacts">See contacts</Link>{' '}
          <button type="button" onClick={onAnother}>
            Import another file
          </button>
        </p>
      )}
    </section>
  );
}
