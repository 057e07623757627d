/** Models: `#/models[/<name>[/<version>]]` registered models; `#/models/servers/<id>` one server (local or on a cluster). */
import { ModelsHome } from '../models/ModelsHome';
import { ServerPage } from '../models/ServerPage';
import { useHashLocation } from '../use-hash-route';
import '../models/models.css';

export function ModelsPage() {
  const { path } = useHashLocation();
  if (path[0] === 'servers' && path[1]) return <ServerPage key={path[1]} id={path[1]} />;
  return <ModelsHome name={path[0]} version={path[1]} />;
}
