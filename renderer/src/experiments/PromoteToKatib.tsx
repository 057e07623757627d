/**
 * "Promote to Katib": the same Experiment to a cluster target. Dry run asks the cluster to check
 * it (nothing applied); Apply applies it with our field manager; then Katib's status is read back
 * from the cluster (conditions, trials, currentOptimalTrial) and can be refreshed.
 */
import { useEffect, useState } from 'react';
import type { KubeTarget, PromoteExperimentResult } from '../../../engine/api/contract';
import { useApi } from '../api/ApiProvider';
import { errorText } from '../api/client';
import { Spinner } from '../components/Icons';
import { InlineError } from '../components/MessageText';

export function PromoteToKatib({ experimentId }: { experimentId: string }) {
  const api = useApi();
  const [open, setOpen] = useState(false);
  const [targets, setTargets] = useState<KubeTarget[] | null>(null);
  const [target, setTarget] = useState('');
  const [namespace, setNamespace] = useState('');
  const [busy, setBusy] = useState<'dry' | 'apply' | 'status' | null>(null);
  const [result, setResult] = useState<PromoteExperimentResult | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!open || targets) return;
    api
      .call('targets.list', { probe: false })
      .then((r) => {
        setTargets(r.targets);
        const first = r.targets.find((t) => t.current) ?? r.targets[0];
        if (first) setTarget(first.id);
      })
      .catch((err: unknown) => setError(errorText(err)));
  }, [api, open, targets]);

  const go = async (mode: 'dry' | 'apply' | 'status') => {
    setBusy(mode);
    setError(null);
    try {
      const ns = namespace.trim() ? { namespace: namespace.trim() } : {};
      const r =
        mode === 'status' && result
          ? await api.call('experiments.clusterStatus', { target, name: result.name, ...ns })
          : await api.call('experiments.promote', { source: experimentId, target, dryRun: mode === 'dry', ...ns });
      setResult(r);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(null);
    }
  };

  return (
    <details className="exp-promote" open={open} onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)} data-testid="promote-katib">
      <summary>Promote to Katib…</summary>
      <p className="muted small">The same Experiment on a cluster with Katib (v0.19+ runs TrainJob trials). The trials run the trial spec's image there.</p>
      <div className="tune-grid exp-promote-form">
        <label>
          Target
          <select className="input" value={target} onChange={(e) => setTarget(e.target.value)} disabled={!targets?.length}>
            {(targets ?? []).map((t) => (
              <option key={t.id} value={t.id}>{t.label}</option>
            ))}
          </select>
        </label>
        <label>
          Namespace
          <input className="input" value={namespace} onChange={(e) => setNamespace(e.target.value)} placeholder="the target's" />
        </label>
      </div>
      {targets && targets.length === 0 ? <p className="muted small">No kubeconfig context or local cluster was found.</p> : null}
      <div className="tune-actions">
        <button type="button" className="btn" disabled={!target || busy !== null} onClick={() => void go('dry')}>
          {busy === 'dry' ? <Spinner size={13} /> : null} Dry run
        </button>
        <button type="button" className="btn btn-primary" disabled={!target || busy !== null} onClick={() => void go('apply')}>
          {busy === 'apply' ? <Spinner size={13} /> : null} Apply
        </button>
        {result && !result.dryRun ? (
          <button type="button" className="btn" disabled={busy !== null} onClick={() => void go('status')}>
            {busy === 'status' ? <Spinner size={13} /> : null} Refresh status
          </button>
        ) : null}
      </div>
      {error ? <InlineError prefix="Promote failed" message={error} /> : null}
      {result ? (
        <div className="exp-promote-result" data-testid="promote-result">
          <p>
            {result.dryRun ? 'Dry run: the cluster accepted' : 'Applied'} <span className="mono">{result.namespace}/{result.name}</span> on {result.target}.
          </p>
          {result.warnings.map((w) => <p key={w} className="muted small">⚠ {w}</p>)}
          {result.conditions.length ? (
            <p className="small">Katib: {result.conditions.filter((c) => c.status === 'True').map((c) => `${c.type}${c.reason ? ` (${c.reason})` : ''}`).join(', ')}</p>
          ) : null}
          {result.currentOptimalTrial ? (
            <p className="small">
              currentOptimalTrial <span className="mono">{result.currentOptimalTrial.bestTrialName}</span>:{' '}
              {result.currentOptimalTrial.metrics.map((m) => `${m.name}=${m.latest}`).join(' ')} ·{' '}
              {result.currentOptimalTrial.parameterAssignments.map((p) => `${p.name}=${p.value}`).join(' ')}
            </p>
          ) : null}
          {result.trials.length ? <p className="small">Trials: {result.trials.map((t) => `${t.name} ${t.status}`).join(', ')}</p> : null}
          <details>
            <summary className="small">The Experiment as applied</summary>
            <pre className="mono small exp-manifest">{result.manifest}</pre>
          </details>
        </div>
      ) : null}
    </details>
  );
}
