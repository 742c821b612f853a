import { useState } from 'react';
import { ErrorDetails } from '../../components/ui';
import type { SequenceStats } from '../../lib/data';
import type { Sequence } from '../../types';
import { DeleteSequenceDialog } from './DeleteSequenceDialog';
import { EnrollDialog } from './EnrollDialog';
import { EnrollmentsTab } from './EnrollmentsTab';
import { PerformanceTab } from './PerformanceTab';
import { PreviewTab } from './PreviewTab';
import { SequenceHeader } from './SequenceHeader';
import { SettingsTab } from './SettingsTab';
import { StepsTab } from './StepsTab';
import { TAB_LABELS, TABS, type Tab } from './tabs';
import { useSequenceDraft } from './useSequenceDraft';

/**
 * A sequence with its tabs, or (`sequence` null) a new one: no tabs then, the steps and settings
 * on one page, since preview, enrollments and performance need a saved sequence.
 */
export function SequenceEditor({ sequence, stats, tab, onTab }: { sequence: Sequence | null; stats?: SequenceStats; tab: Tab; onTab?(t: Tab): void }) {
  const editor = useSequenceDraft(sequence);
  const { draft, error, saved, deleting, setDeleting } = editor;
  const [enrolling, setEnrolling] = useState(false);

  return (
    <main className="page">
      <SequenceHeader
        name={draft.name}
        isNew={!sequence}
        canSave={!editor.busy && editor.dirty}
        onRename={(name) => editor.change((d) => ({ ...d, name }))}
        onEnroll={() => setEnrolling(true)}
        onDelete={() => setDeleting({ active: false })}
        onSave={() => editor.save()}
      />
      {error !== null && (
        <div className="message error" role="alert">
          {error instanceof Error ? error.message : String(error)}
          <ErrorDetails error={error} />
        </div>
      )}
      {saved && (
        <p className="message ok" role="status">
          {saved}
        </p>
      )}
      {sequence && (
        <div className="tabs" role="tablist" aria-label="Sequence">
          {TABS.map((t) => (
            <button key={t} type="button" role="tab" id={`tab-${t}`} aria-selected={tab === t} aria-controls={`panel-${t}`} onClick={() => onTab?.(t)}>
              {TAB_LABELS[t]}
            </button>
          ))}
        </div>
      )}
      <div role={sequence ? 'tabpanel' : undefined} id={`panel-${tab}`} aria-labelledby={sequence ? `tab-${tab}` : undefined}>
        {(tab === 'steps' || !sequence) && <StepsTab draft={draft} setStep={editor.setStep} moveStep={editor.moveStep} change={editor.change} />}
        {(tab === 'settings' || !sequence) && <SettingsTab draft={draft} change={editor.change} isNew={!sequence} />}
        {sequence && tab === 'preview' && <PreviewTab sequence={sequence} dirty={editor.dirty} />}
        {sequence && tab === 'enrollments' && <EnrollmentsTab sequence={sequence} />}
        {sequence && tab === 'performance' && <PerformanceTab sequence={sequence} stats={stats} />}
      </div>
      {deleting && <DeleteSequenceDialog deleting={deleting} onCancel={() => setDeleting(null)} onDelete={editor.remove} />}
      {enrolling && sequence && <EnrollDialog sequence={sequence} onClose={() => setEnrolling(false)} />}
    </main>
  );
}
