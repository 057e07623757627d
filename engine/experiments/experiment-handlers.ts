/** The experiments.* API methods, mapped onto the experiment service and the Katib promote. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../api/api-error.js';
import type { Handlers } from '../api/dispatch.js';
import type { experimentMethods } from '../api/schemas/experiments.js';
import { JOB_FILE } from '../jobs/workspace-job.js';
import { draftExperiment } from './experiment-draft.js';
import { experimentJsonSchema } from './experiment-json-schema.js';
import type { ExperimentService } from './experiment-service.js';
import { parseExperiment } from './parse-experiment.js';
import type { KatibPromote } from './katib-promote.js';

export function experimentHandlers(experiments: ExperimentService, promote: KatibPromote): Pick<Handlers, keyof typeof experimentMethods> {
  return {
    'experiments.create': (input) => experiments.create(input),
    'experiments.validate': (input) => experiments.validate(input),
    'experiments.list': (input) => experiments.list(input.limit),
    'experiments.get': (input) => experiments.detail(input.id),
    'experiments.cancel': (input) => experiments.cancel(input.id),
    'experiments.draft': async (input) => {
      const file = path.join(path.resolve(input.workspace), JOB_FILE);
      const text = await readFile(file, 'utf8').catch(() => {
        throw new ApiError('not_found', `${input.workspace} has no ${JOB_FILE} to tune; Tune… builds the Experiment around it.`);
      });
      const yaml = draftExperiment(text, input);
      const r = parseExperiment(yaml, 'experiment.yaml');
      return { yaml, errors: r.ok ? [] : r.errors, warnings: r.warnings };
    },
    'experiments.jsonSchema': () => experimentJsonSchema(),
    'experiments.promote': (input) => promote.promote(input),
    'experiments.clusterStatus': (input) => promote.status(input),
  };
}
