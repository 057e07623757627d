/**
 * Asks the engine what promote would apply, again each time the form settles. An answer for an
 * input that is no longer the form's is dropped, so the diff on screen is always the one Submit
 * would apply (`key` says which input it belongs to).
 */
import { useEffect, useState } from 'react';
import type { MethodInput, PromotePreview } from '../../../engine/api/contract';
import { useApi } from '../api/ApiProvider';
import { errorText } from '../api/client';
import { useDebounced } from '../jobs/use-now';
import { inputKey } from './promote-form';

export interface PreviewState {
  preview: PromotePreview | null;
  /** inputKey of the input `preview` answers. */
  key: string | null;
  loading: boolean;
  error: string | null;
}

export function usePromotePreview(input: MethodInput<'promote.preview'> | null, delayMs = 350): PreviewState & { retry(): void } {
  const api = useApi();
  const wanted = input ? inputKey(input) : null;
  const settled = useDebounced(wanted, delayMs);
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<PreviewState>({ preview: null, key: null, loading: false, error: null });

  useEffect(() => {
    if (settled === null || settled !== wanted) return;
    let current = true;
    setState((s) => ({ ...s, loading: true, error: null }));
    api.call('promote.preview', JSON.parse(settled) as MethodInput<'promote.preview'>).then(
      (preview) => current && setState({ preview, key: settled, loading: false, error: null }),
      (err: unknown) => current && setState({ preview: null, key: settled, loading: false, error: errorText(err) }),
    );
    return () => {
      current = false;
    };
  }, [api, settled, attempt]);

  return { ...state, loading: state.loading || (wanted !== null && wanted !== state.key), retry: () => setAttempt((n) => n + 1) };
}
