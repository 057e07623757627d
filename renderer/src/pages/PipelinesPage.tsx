/** Pipelines: `#/pipelines` (start a run, the runs), `#/pipelines/runs/<id>[/<task>]`, `#/pipelines/compare/<a>/<b>`. */
import { CompareRuns } from '../pipelines/CompareRuns';
import { RunPage } from '../pipelines/RunPage';
import { RunStarter } from '../pipelines/RunStarter';
import { RunsList } from '../pipelines/RunsList';
import { useHashLocation } from '../use-hash-route';
import '../pipelines/pipelines.css';

export function PipelinesPage() {
  const { path } = useHashLocation();
  if (path[0] === 'runs' && path[1]) return <RunPage key={path[1]} id={path[1]} task={path[2]} />;
  if (path[0] === 'compare') return <CompareRuns ids={path.slice(1)} />;
  return (
    <div className="page page-wide" data-testid="page-pipelines">
      <RunStarter />
      <RunsList />
    </div>
  );
}
