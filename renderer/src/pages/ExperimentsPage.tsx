/** `#/experiments` the list; `#/experiments/<id>` one experiment; `#/experiments/tune/<workspace>` Tune…. */
import { ExperimentDetail } from '../experiments/ExperimentDetail';
import { ExperimentsList } from '../experiments/ExperimentsList';
import { TuneView } from '../experiments/TuneView';
import '../experiments/experiments.css';
import { useHashLocation } from '../use-hash-route';

export function ExperimentsPage() {
  const { path } = useHashLocation();
  if (path[0] === 'tune' && path[1]) return <TuneView key={path[1]} workspace={path[1]} />;
  return path[0] ? <ExperimentDetail key={path[0]} id={path[0]} /> : <ExperimentsList />;
}
