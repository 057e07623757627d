import { describe, expect, it } from 'vitest';
import { draftInput, emptyParam, type TuneForm } from './tune-form';

const form = (o: Partial<TuneForm> = {}): TuneForm => ({
  objectiveMetric: 'accuracy', objectiveType: 'maximize', goal: '', algorithm: 'random', randomState: '42', maxTrialCount: 12, parallelTrialCount: 2, pass: 'args',
  parameters: [emptyParam('lr', 'double', '0.001', '0.1', true), { ...emptyParam('opt', 'categorical', '', '', false), list: 'sgd, adam' }], ...o,
});

describe('Tune… form → experiments.draft', () => {
  it('turns the form into the draft request (log-uniform, lists split)', () => {
    const r = draftInput('/ws', form());
    expect(r).toMatchObject({ ok: true, input: { workspace: '/ws', randomState: 42, parameters: [{ name: 'lr', min: 0.001, max: 0.1, distribution: 'logUniform' }, { name: 'opt', list: ['sgd', 'adam'] }] } });
  });
  it('says what is wrong instead of drafting nonsense', () => {
    expect(draftInput('/ws', form({ parameters: [emptyParam('lr', 'double', '0', '1', true)] }))).toEqual({ ok: false, problem: 'lr: a log scale needs min > 0.' });
    expect(draftInput('/ws', form({ goal: 'high' }))).toMatchObject({ ok: false });
    expect(draftInput('/ws', form({ parameters: [emptyParam('a b', 'int', '1', '2', false)] }))).toMatchObject({ ok: false });
  });
});
