/** pipelines.remote.*: configure a KFP installation and hand a pipeline over to it. */
import path from 'node:path';
import type Database from 'better-sqlite3';
import { ApiError } from '../../api/api-error.js';
import type { Handlers } from '../../api/dispatch.js';
import type { KfpRemote } from '../../api/schemas/pipelines.js';
import { loadPipeline } from '../load-pipeline.js';
import type { PipelineService } from '../pipeline-service.js';
import { parseParameterText, ParameterValueError, resolveRunParameters } from '../run/values.js';
import { handOff } from './kfp-client.js';
import { readRemotePrefs, readToken, writeRemotePrefs, writeToken } from './remote-settings.js';

type RemoteMethods = 'pipelines.remote.get' | 'pipelines.remote.configure' | 'pipelines.remote.submit';

export function remoteHandlers(d: { db: Database.Database; dataDir: string; env: NodeJS.ProcessEnv; pipelines: PipelineService; fetch?: typeof fetch }): Pick<Handlers, RemoteMethods> {
  const current = async (): Promise<KfpRemote> => ({ ...readRemotePrefs(d.db), tokenSource: (await readToken(d.dataDir, d.env)).source });
  return {
    'pipelines.remote.get': () => current(),
    'pipelines.remote.configure': async (input) => {
      const prefs = readRemotePrefs(d.db);
      writeRemotePrefs(d.db, { endpoint: input.endpoint?.trim() ?? prefs.endpoint, namespace: input.namespace?.trim() ?? prefs.namespace });
      if (input.token !== undefined) await writeToken(d.dataDir, input.token);
      return current();
    },
    'pipelines.remote.submit': async (input) => {
      const prefs = readRemotePrefs(d.db);
      if (!prefs.endpoint) throw new ApiError('bad_request', 'No Kubeflow Pipelines endpoint is set; set it in Settings → Kubeflow Pipelines (or pipelines.remote.configure).');
      const { token } = await readToken(d.dataDir, d.env);
      let yaml: string;
      let name: string;
      let displayName: string;
      let description: string | undefined;
      let parameters: Record<string, unknown>;
      if (input.runId) {
        const run = d.pipelines.find(input.runId);
        const spec = d.pipelines.specOf(run);
        ({ name } = spec.pipelineInfo);
        displayName = spec.pipelineInfo.displayName ?? name;
        description = spec.pipelineInfo.description;
        yaml = run.spec;
        parameters = { ...run.parameters, ...(input.parameters ?? {}) };
      } else {
        const loaded = await loadPipeline(input.path!, { ...d.pipelines.kfpOptions(), pipeline: input.pipeline, compiledDir: path.join(d.dataDir, 'pipelines', 'compiled') });
        const defs = loaded.spec.root.inputDefinitions?.parameters ?? {};
        try {
          const given = Object.fromEntries(Object.entries(input.parameters ?? {}).map(([k, v]) => [k, typeof v === 'string' && defs[k] ? parseParameterText(k, v, defs[k].parameterType) : v]));
          parameters = resolveRunParameters(defs, given);
        } catch (err) {
          if (err instanceof ParameterValueError) throw new ApiError('bad_request', `${loaded.file}: ${err.message}`);
          throw err;
        }
        ({ name } = loaded.spec.pipelineInfo);
        displayName = loaded.spec.pipelineInfo.displayName ?? name;
        description = loaded.spec.pipelineInfo.description;
        yaml = loaded.text;
      }
      return handOff(
        { endpoint: prefs.endpoint, token, namespace: prefs.namespace || undefined, ...(d.fetch ? { fetch: d.fetch } : {}) },
        { name, displayName, description, yaml, runName: `${displayName} ${new Date().toISOString().slice(0, 19).replace('T', ' ')}`, parameters, experimentId: input.experimentId },
      );
    },
  };
}
