/**
 * The sequence being edited and what saving or deleting it does: a new sequence is created and
 * opened under its id; a saved one is updated in place (contacts already enrolled keep their
 * steps); deleting one with active enrollments asks again before it unenrolls them.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { ApiError, del, post, put } from '../../api';
import { useInboxes, useUsers } from '../../lib/data';
import { useRouter } from '../../router';
import type { Sequence } from '../../types';
import { newDraft, toBody, toDraft, withStep, withStepMoved, type Draft, type StepDraft } from './sequence-draft';

/** The delete dialog: a plain confirmation, or the server's warning when contacts are still active. */
export type Deleting = { active: boolean; message?: string } | null;

export function useSequenceDraft(sequence: Sequence | null) {
  const { navigate } = useRouter();
  const queryClient = useQueryClient();
  const users = useUsers();
  const [draft, setDraft] = useState<Draft>(() => (sequence ? toDraft(sequence) : newDraft()));
  const [dirty, setDirty] = useState(!sequence);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [deleting, setDeleting] = useState<Deleting>(null);
  const inboxes = useInboxes(sequence ? undefined : users.data);
  // A new sequence belongs to the first user who can send (a connected inbox) until someone picks another owner.
  useEffect(() => {
    if (sequence || draft.userId || !users.data?.length || !inboxes.data) return;
    const sender = users.data.find((u) => inboxes.data[u.id]?.some((i) => i.status === 'connected')) ?? users.data[0];
    setDraft((d) => ({ ...d, userId: sender.id }));
  }, [users.data, inboxes.data, sequence, draft.userId]);

  const change = (f: (d: Draft) => Draft) => {
    setDraft(f);
    setDirty(true);
    setSaved(null);
  };

  const save = async (e?: FormEvent) => {
    e?.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (!draft.name.trim()) throw new Error('Give the sequence a name.');
      if (!sequence) {
        const created = await post<Sequence>('/seqflow/v1/sequences', toBody(draft, true));
        await queryClient.invalidateQueries({ queryKey: ['sequences'] });
        navigate(`/sequences/${created.id}`, { replace: true });
        return;
      }
      const updated = await put<Sequence>(`/seqflow/v1/sequences/${sequence.id}`, toBody(draft, false));
      queryClient.setQueryData(['sequence', sequence.id], updated);
      await queryClient.invalidateQueries({ queryKey: ['sequences'] });
      setDirty(false);
      setSaved('Sequence saved. Contacts already enrolled keep the steps they started with.');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  /** `override` unenrolls the active contacts; without it the server refuses (409) while any are active. */
  const remove = async (override: boolean) => {
    if (!sequence) return;
    try {
      await del(`/seqflow/v1/sequences/${sequence.id}${override ? '?overrideActiveEnrollment=true' : ''}`);
      await queryClient.invalidateQueries({ queryKey: ['sequences'] });
      navigate('/sequences');
    } catch (err) {
      if (err instanceof ApiError && err.status === 409 && !override) setDeleting({ active: true, message: err.message });
      else {
        setDeleting(null);
        setError(err);
      }
    }
  };

  return {
    draft,
    dirty,
    error,
    saved,
    busy,
    deleting,
    setDeleting,
    change,
    setStep: (i: number, patch: Partial<StepDraft>) => change((d) => withStep(d, i, patch)),
    moveStep: (i: number, by: number) => change((d) => withStepMoved(d, i, by)),
    save,
    remove,
  };
}
