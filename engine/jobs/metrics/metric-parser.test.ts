import { describe, expect, it } from 'vitest';
import { MAX_VALUES_PER_LINE, MetricSteps, parseMetricLine, parseNumber } from './metric-parser.js';

describe('parseMetricLine: key=value', () => {
  it.each([
    ['step=10 loss=0.31 acc=97.5%', 10, { loss: 0.31, acc: 97.5 }],
    ['epoch=3 step=120 loss=0.4123 lr=1e-3', 120, { epoch: 3, loss: 0.4123, lr: 0.001 }],
    ['[rank0]: step=7 grad=-0.5 loss = 0.25', 7, { grad: -0.5, loss: 0.25 }],
    ['INFO:root:step=1 loss=0.5', 1, { loss: 0.5 }],
    ['2024-05-01 12:00:00,123 - train - INFO - iter=50, loss=0.1, lr=+2.5E-4', 50, { loss: 0.1, lr: 0.00025 }],
    ['Iteration=9 Loss=0.7', 9, { Loss: 0.7 }],
    ['train/loss=0.5 trainer/global_step=100 val/acc=0.9', 100, { 'train/loss': 0.5, 'val/acc': 0.9 }],
    ['loss=0.31,acc=0.9;f1=.75|bleu=12', null, { loss: 0.31, acc: 0.9, f1: 0.75, bleu: 12 }],
    // Lightning's tqdm progress bar; v_num is its logger version, not a metric
    [
      'Epoch 0:  45%|████▌     | 45/100 [00:02<00:00, 20.1it/s, loss=0.31, v_num=0]',
      null,
      { loss: 0.31 },
    ],
    ['Epoch 2: 100%|██████████| 100/100 [00:03<00:00, 30.2it/s, loss=0.0812, val_loss=0.102, val_acc=0.968]', null, {
      loss: 0.0812,
      val_loss: 0.102,
      val_acc: 0.968,
    }],
    ['step=3 loss=nan grad_norm=inf neg=-inf', 3, { loss: NaN, grad_norm: Infinity, neg: -Infinity }],
    ['epoch=1.5 loss=0.2', null, { epoch: 1.5, loss: 0.2 }],
    ['step=1.0 loss=0.2', null, { step: 1, loss: 0.2 }], // 1.0 is a float: not an x value
    ['step=-1 loss=0.2', null, { step: -1, loss: 0.2 }],
  ])('%s', (line, step, values) => {
    expect(parseMetricLine(line)).toEqual({ step, values });
  });

  it('strips ANSI escapes first', () => {
    expect(parseMetricLine('\x1b[32mstep=3\x1b[0m loss=\x1b[1m0.5\x1b[0m')).toEqual({ step: 3, values: { loss: 0.5 } });
  });

  it.each([
    'Starting training',
    '',
    'step=5', // a step and nothing to plot
    'Running: python train.py --lr=0.1 --epochs=3 -b=4',
    "Namespace(batch_size=64, epochs=14, lr=1.0, gamma=0.7, seed=1)",
    'Downloading https://example.com/data.tar.gz?version=2&part=1 to /data',
    'started at time=12:30:05 eta=1.2s ratio=1/2 level=info',
    'x==1 and y=="2"',
    'path=/tmp/run-1 name=exp_3 commit=3f2a9c',
    'Loading checkpoint shards: 100%|██████████| 2/2 [00:01<00:00,  1.02it/s]',
    // Known limitation: colon-separated forms (Keras, Lightning rich bar) are not parsed.
    '1875/1875 [==============================] - 5s 3ms/step - loss: 0.2950 - accuracy: 0.9141',
    '{0: "a", 1: "b"}',
  ])('finds no metrics in %j', (line) => {
    expect(parseMetricLine(line)).toBeNull();
  });
});

describe('parseMetricLine: JSON and Python dicts', () => {
  it.each([
    // HF Trainer: fractional epoch stays a value; no integer step on the line
    ["{'loss': 0.5, 'grad_norm': 1.2345, 'learning_rate': 5e-05, 'epoch': 0.01}", null, {
      loss: 0.5,
      grad_norm: 1.2345,
      learning_rate: 5e-5,
      epoch: 0.01,
    }],
    // …including at a whole epoch, so the loss series does not jump to x = 1
    ["{'loss': 0.3, 'learning_rate': 0.0, 'epoch': 1.0}", null, { loss: 0.3, learning_rate: 0, epoch: 1 }],
    [
      "{'eval_loss': 0.41, 'eval_accuracy': 0.88, 'eval_runtime': 12.3, 'eval_samples_per_second': 81.2, 'epoch': 2.0}",
      null,
      { eval_loss: 0.41, eval_accuracy: 0.88, eval_runtime: 12.3, eval_samples_per_second: 81.2, epoch: 2 },
    ],
    // tqdm bar and print() sharing one line
    [" 10%|█         | 50/500 [00:10<01:30,  4.98it/s]{'loss': 0.6931, 'learning_rate': 4.5e-05, 'epoch': 0.1}", null, {
      loss: 0.6931,
      learning_rate: 4.5e-5,
      epoch: 0.1,
    }],
    ['{"step": 10, "loss": 0.31, "tag": "x,y}", "nested": {"a": 1}, "list": [1, 2], "ok": true, "none": null}', 10, {
      loss: 0.31,
    }],
    ['{"step": 3, "loss": NaN, "grad": Infinity, "neg": -Infinity}', 3, { loss: NaN, grad: Infinity, neg: -Infinity }],
    ["{'loss': nan, 'global_step': 200, 'epoch': 1}", 200, { loss: NaN, epoch: 1 }],
    ["{'epoch': 4, 'val_acc': 0.97}", 4, { val_acc: 0.97 }],
    // numpy 2 and torch reprs
    ["{'loss': np.float64(0.25), 'acc': np.float32(0.5), 'step': np.int64(12)}", 12, { loss: 0.25, acc: 0.5 }],
    ["{'train_loss': tensor(0.5432, device='cuda:0'), 'step': 5}", 5, { train_loss: 0.5432 }],
    ["{'x': float('nan'), 'y': 'str with \\' quote', 'z': 2}", null, { x: NaN, z: 2 }],
    ['INFO:__main__:{"metric/train_loss": 1.5e-2, "trainer/global_step": 42}', 42, { 'metric/train_loss': 0.015 }],
    // a record cut at 64 KiB: keep what is complete
    ["{'loss': 0.5, 'acc': 0.9, 'lon", null, { loss: 0.5, acc: 0.9 }],
    // the dict has no numbers: fall back to key=value on the same line
    ["config={'name': 'run'} step=2 loss=0.1", 2, { loss: 0.1 }],
  ])('%s', (line, step, values) => {
    expect(parseMetricLine(line)).toEqual({ step, values });
  });

  it('caps the number of values per line', () => {
    const dict = `{${Array.from({ length: 200 }, (_, i) => `'k${i}': ${i}`).join(', ')}}`;
    expect(Object.keys(parseMetricLine(dict)!.values)).toHaveLength(MAX_VALUES_PER_LINE);
  });
});

describe('parseNumber', () => {
  it.each([
    ['1', 1], ['-0.5', -0.5], ['+3', 3], ['.5', 0.5], ['1.', 1], ['1e-3', 0.001], ['2E+2', 200],
    ['NaN', NaN], ['-nan', NaN], ['inf', Infinity], ['-Infinity', -Infinity], [' 4 ', 4], ['np.float64(1.5)', 1.5],
  ])('%s → %d', (token, value) => expect(parseNumber(token)).toBe(value));

  it.each(['', 'abc', '1.2.3', '0x10', 'True', 'None', '1e', '--1', '1_000'])('%j is not a number', (token) => {
    expect(parseNumber(token)).toBeUndefined();
  });
});

describe('MetricSteps', () => {
  it('uses the line step, else numbers each metric on its own', () => {
    const steps = new MetricSteps();
    const at = (line: string) => steps.points(parseMetricLine(line)!).map((p) => [p.name, p.step, p.value]);
    expect(at("{'loss': 0.9, 'epoch': 0.1}")).toEqual([['loss', 0, 0.9], ['epoch', 0, 0.1]]);
    expect(at("{'loss': 0.8, 'epoch': 0.2}")).toEqual([['loss', 1, 0.8], ['epoch', 1, 0.2]]);
    expect(at("{'eval_loss': 0.85, 'epoch': 0.2}")).toEqual([['eval_loss', 0, 0.85], ['epoch', 2, 0.2]]);
    expect(at('loss=0.7')).toEqual([['loss', 2, 0.7]]);
    expect(at('step=100 loss=0.6')).toEqual([['loss', 100, 0.6]]);
    expect(at('loss=0.5')).toEqual([['loss', 3, 0.5]]);
  });
});
