/** The jobs.* API methods, mapped onto the job service. */
import type { Handlers } from '../api/dispatch.js';
import type { jobMethods } from '../api/schemas/jobs.js';
import type { JobService } from './job-service.js';

export function jobHandlers(jobs: JobService): Pick<Handlers, keyof typeof jobMethods> {
  return {
    'jobs.run': (input) => jobs.run(input),
    'jobs.validate': (input) => jobs.validate(input.path, input.backend),
    'jobs.list': async (input) => {
      await jobs.ready;
      return jobs.list(input);
    },
    'jobs.get': (input) => jobs.detail(input.id),
    'jobs.cancel': (input) => jobs.cancel(input.id),
    'jobs.rerun': (input) => jobs.rerun(input.id),
    'jobs.logs': (input) => jobs.logs(input.id, input),
    'jobs.metrics': (input) => jobs.metrics(input.id, input.maxPoints),
  };
}
