import { describe, expect, it } from 'vitest';
import { KfdApiError } from '../api/envelope';
import { currentPromotes, dismissPromote, trackPromote } from './pending-promotes';

describe('promotes that outlive the dialog', () => {
  it('is listed while the submit is under way and gone once the job exists', async () => {
    let finish!: (id: string) => void;
    const submitted = trackPromote({ jobId: 'new-1', sourceJobId: 'src', where: 'prod/ml' }, () => new Promise<string>((r) => (finish = r)));
    expect(currentPromotes()).toEqual([{ jobId: 'new-1', sourceJobId: 'src', where: 'prod/ml', error: null }]);
    finish('new-1');
    await expect(submitted).resolves.toBe('new-1');
    expect(currentPromotes()).toEqual([]);
  });

  it("a refused submit stays listed with the engine's message until dismissed", async () => {
    const refused = trackPromote({ jobId: 'new-2', sourceJobId: 'src', where: 'prod/ml' }, () => Promise.reject(new KfdApiError('bad_request', 'Namespace ml does not exist on prod.')));
    await expect(refused).rejects.toThrow('Namespace ml does not exist on prod.');
    expect(currentPromotes()).toEqual([{ jobId: 'new-2', sourceJobId: 'src', where: 'prod/ml', error: 'Namespace ml does not exist on prod.' }]);
    dismissPromote('new-2');
    expect(currentPromotes()).toEqual([]);
  });
});
