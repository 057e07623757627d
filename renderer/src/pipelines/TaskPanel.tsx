/** The selected task: state, why, where it ran, inputs, outputs with artifact previews, and its job's logs. */
import { useState } from 'react';
import type { PipelineArtifact, PipelineTask } from '../../../engine/api/contract';
import { LogView } from '../jobs/LogView';
import { jobHref } from '../routes';
import { ArtifactView } from './ArtifactView';
import { PipelineStatusBadge } from './PipelineStatusBadge';

const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

export function TaskPanel({ runId, task }: { runId: string; task: PipelineTask }) {
  const [open, setOpen] = useState<{ side: 'inputs' | 'outputs'; name: string; index: number } | null>(null);
  const artifacts = (side: 'inputs' | 'outputs') =>
    Object.entries(task[side].artifacts).flatMap(([name, list]) => (list as PipelineArtifact[]).map((a, index) => ({ side, name, index, a })));
  const all = [...artifacts('inputs'), ...artifacts('outputs')];
  return (
    <section className="panel pl-task" data-testid="task-panel" data-path={task.path} aria-label={`Task ${task.path}`}>
      <header className="pl-task-head">
        <h3>{task.name}</h3>
        <PipelineStatusBadge status={task.status} cached={task.cached} />
        {task.jobId ? <a href={jobHref(task.jobId)} className="muted">job {task.jobId}</a> : null}
      </header>
      <p className="muted mono pl-task-path">{task.path} · {task.component}{task.attempt ? ` · attempt ${task.attempt + 1}` : ''}</p>
      {task.message ? <p className="pl-task-message" data-testid="task-message">{task.message}</p> : null}
      {task.notes.length ? <ul className="pl-notes">{task.notes.map((n) => <li key={n}>{n}</li>)}</ul> : null}
      <div className="pl-io">
        <ParamTable title="Input parameters" values={task.inputs.parameters} />
        <ParamTable title="Output parameters" values={task.outputs.parameters} />
      </div>
      {all.length ? (
        <div className="pl-artifacts">
          <h4>Artifacts</h4>
          <ul>
            {all.map(({ side, name, index, a }) => {
              const active = open?.side === side && open.name === name && open.index === index;
              return (
                <li key={`${side}/${name}/${index}`}>
                  <button type="button" className={`btn btn-small${active ? ' btn-primary' : ''}`} aria-expanded={active} data-testid="artifact-button" onClick={() => setOpen(active ? null : { side, name, index })}>
                    {side === 'inputs' ? 'in' : 'out'}: {name}{index ? `[${index}]` : ''}
                  </button>
                  <span className="muted"> {a.type.schemaTitle}</span>
                </li>
              );
            })}
          </ul>
          {open ? <ArtifactView runId={runId} task={task.path} name={open.name} index={open.index} side={open.side} /> : null}
        </div>
      ) : null}
      {task.jobId ? (
        <div className="pl-logs">
          <h4>Logs</h4>
          <LogView key={task.jobId} jobId={task.jobId} live={task.status === 'Running' || task.status === 'Pending'} ranks={[0]} />
        </div>
      ) : null}
    </section>
  );
}

function ParamTable({ title, values }: { title: string; values: Record<string, unknown> }) {
  const rows = Object.entries(values);
  return (
    <div>
      <h4>{title}</h4>
      {rows.length ? (
        <table className="pl-table">
          <tbody>{rows.map(([k, v]) => <tr key={k}><th scope="row">{k}</th><td className="mono">{show(v)}</td></tr>)}</tbody>
        </table>
      ) : <p className="muted">None.</p>}
    </div>
  );
}
