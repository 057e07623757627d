/**
 * The models area, assembled: the local registry, model servers, "Try it", pushes to a remote
 * Model Registry and promotes of InferenceServices, and the API handlers over them. The engine
 * makes one and calls `resume()` once on start (servers left running are watched again).
 */
import { ApiError } from '../api/api-error.js';
import type { Settings } from '../api/contract.js';
import type { Handlers } from '../api/dispatch.js';
import type { modelMethods } from '../api/schemas/models.js';
import type { KubernetesTargets } from '../backends/kubernetes/kubernetes-targets.js';
import { IsvcPromoter } from './isvc-promote.js';
import { ModelRegistry } from './model-registry.js';
import { ModelServers } from './model-servers.js';
import { ModelSettingsStore } from './model-settings.js';
import { pushVersion, remoteUri } from './registry-push.js';
import { checkEndpoint } from './model-settings.js';
import { TryIt } from './try-it.js';
import { connectEngine } from '../backends/container/engine-connection.js';
import { checkImageRef, pushModelcar } from './oci-artifact.js';
import type { OrchestratorDeps } from '../orchestrators.js';

export interface ModelsAreaDeps extends OrchestratorDeps {
  targets: KubernetesTargets;
}

export class ModelsArea {
  readonly registry: ModelRegistry;
  readonly servers: ModelServers;
  readonly settings: ModelSettingsStore;
  readonly tryIt: TryIt;
  readonly promoter: IsvcPromoter;

  constructor(private readonly deps: ModelsAreaDeps) {
    this.registry = new ModelRegistry(deps);
    this.settings = new ModelSettingsStore(deps.db, deps.dataDir, deps.env);
    this.servers = new ModelServers({ ...deps, registry: this.registry, servingImage: () => this.settings.servingImage() });
    this.tryIt = new TryIt({ get: (id) => this.servers.get(id), events: deps.events });
    this.promoter = new IsvcPromoter({
      targets: deps.targets,
      registry: this.registry,
      inferenceService: (ref) => this.servers.inferenceService(ref),
      getDeployment: (id) => this.servers.get(id),
      changed: (d) => deps.events.emit('models.changed', { modelName: d.modelName, deploymentId: d.id }),
    });
  }

  /** Once per engine start (the capture-lease owner): servers and preparations left by an earlier engine. */
  resume(): Promise<void> {
    return this.servers.resume();
  }

  async push(input: { model: string; registry?: string | undefined; uri?: string | undefined; oci?: string | undefined; ociBase?: string | undefined }) {
    const { model, version } = this.registry.resolve(input.model);
    const artifact = this.registry.repo.artifacts(version.id)[0];
    if (!artifact) throw new ApiError('not_found', `${model.name}:${version.name} has no model artifact to push.`);
    const s = await this.settings.get();
    const registry = checkEndpoint(input.registry ?? s.registryEndpoint);
    if (!registry) throw new ApiError('bad_request', 'No Model Registry endpoint: give --registry <url>, or set it in Settings → Models.');
    if (input.uri && input.oci) throw new ApiError('bad_request', 'Give either --uri (where you uploaded the model) or --oci (an image to build and push), not both.');
    const ref = `${model.name}:${version.name}`;
    const say = (message: string) => this.deps.events.emit('models.pushProgress', { model: ref, message });
    let uri: string;
    if (input.oci) {
      let image: string;
      try {
        image = checkImageRef(input.oci);
      } catch (err) {
        throw new ApiError('bad_request', `--oci: ${(err as Error).message}`);
      }
      const docker = (await connectEngine(this.deps.env, this.deps.settings())).docker;
      uri = await pushModelcar(docker, artifact, { image, ...(input.ociBase ? { base: input.ociBase } : {}), env: this.deps.env, onMessage: say, onProgress: (p) => this.deps.events.emit('images.pullProgress', p) }).catch((err: unknown) => {
        throw new ApiError('unavailable', `Building or pushing the model image ${image} failed: ${(err as Error).message}`);
      });
    } else uri = remoteUri(input.uri, artifact);
    say(`Registering ${ref} in ${registry}`);
    const token = (await this.settings.token()).value;
    const result = await pushVersion({ registry, token, model, version, artifact, uri, uploaded: Boolean(input.oci) });
    this.registry.repo.recordPush({ versionId: version.id, registry, registeredModelId: result.registeredModelId, modelVersionId: result.modelVersionId, artifactId: result.artifactId, uri }, Date.now());
    this.deps.events.emit('models.changed', { modelName: model.name, deploymentId: null });
    return result;
  }

  handlers(): Pick<Handlers, keyof typeof modelMethods> {
    return {
      'models.list': () => this.registry.list(),
      'models.get': (i) => this.registry.get(i.model),
      'models.version': (i) => this.registry.versionDetail(i.model),
      'models.ofJob': async (i) => {
        const job = await this.deps.jobs.detail(i.jobId);
        return this.registry.repo.versionsOfJob(job.id).map((v) => ({
          model: this.registry.repo.models().find((m) => m.id === v.registeredModelId)?.name ?? '?',
          version: v.name,
          state: v.state,
          deployments: this.registry.repo.deployments({ versionId: v.id }).length,
        }));
      },
      'models.register': (i) => this.registry.register(i),
      'models.setState': (i) => this.registry.setState(i.model, i.state),
      'models.inferenceService': (i) => ({ manifest: this.servers.inferenceService(i.model, i.backend).yaml }),
      'models.serve': (i) => this.servers.serve(i),
      'models.servers.list': (i) => this.servers.list(i.active),
      'models.servers.get': (i) => this.servers.get(i.id),
      'models.servers.stop': (i) => this.servers.stop(i.id),
      'models.servers.restart': (i) => this.servers.restart(i.id),
      'models.servers.metadata': (i) => this.tryIt.metadata(i.id),
      'models.servers.infer': (i) => this.tryIt.infer(i.id, i.request),
      'models.servers.loadTest': (i) => this.tryIt.loadTest(i.id, i),
      'models.loadTest.cancel': (i) => this.tryIt.cancel(i.id),
      'models.settings.get': () => this.settings.get(),
      'models.settings.set': (i) => this.settings.set(i),
      'models.push': (i) => this.push(i),
      'models.promote.preview': async (i) => {
        const { object: _o, client: _c, ...preview } = await this.promoter.preview(i);
        return preview;
      },
      'models.promote.apply': (i) => this.promoter.promote(i),
      'models.deployments.refresh': (i) => this.promoter.refresh(i.id),
    };
  }

  close(): void {
    this.servers.close();
  }
}
