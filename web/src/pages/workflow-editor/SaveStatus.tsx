import { ApiError, errorText } from '../../api';
import { ErrorDetails } from '../../components/ui';

/** What the last save did: its notice, "unsaved changes" while editing, or its error. */
export function SaveStatus({ notice, dirty, saveError, onReload }: { notice: string | null; dirty: boolean; saveError: unknown; onReload(): void }) {
  // Someone else saved the workflow since it was loaded: only a reload can make a save succeed.
  const stale = saveError instanceof ApiError && saveError.subCategory === 'STALE_REVISION';
  return (
    <>
      {notice && !dirty && (
        <p className="message ok" role="status">
          {notice}
        </p>
      )}
      {dirty && (
        <p className="message info" role="status">
          You have unsaved changes.
        </p>
      )}
      {saveError !== null && (
        <div className="message error" role="alert">
          {errorText(saveError)}
          <ErrorDetails error={saveError} />
          {stale && (
            <button type="button" onClick={onReload}>
              Reload the workflow
            </button>
          )}
        </div>
      )}
    </>
  );
}
