/**
 * `kfd images save <image…> -o file | load <file> | pull <image> | ls`: carry container images to
 * an offline machine, through the same API contract (images.*) the app uses.
 */
import path from 'node:path';
import type { Command } from 'commander';
import type { EventName, ImageInfo, PullProgress } from '../../engine/api/contract.js';
import { callApi, guardCommand, type Dispatch } from './api-call.js';
import { formatBytes, formatPull } from '../../engine/backends/container/pull-progress.js';

export interface ImagesCommandDeps {
  dispatch: Dispatch;
  subscribe?: (listener: (event: EventName, payload: unknown) => void) => () => void;
  stdout?: { write(text: string): unknown; isTTY?: boolean };
  stderr?: { write(text: string): unknown; isTTY?: boolean };
}

const call = <T>(deps: ImagesCommandDeps, method: string, input: unknown) => callApi<T>(deps.dispatch, method, input);
const guard = (deps: ImagesCommandDeps, fn: () => Promise<number>) => guardCommand(deps.stderr ?? process.stderr, fn);

export function imagesSaveCommand(images: string[], opts: { output: string }, deps: ImagesCommandDeps): Promise<number> {
  return guard(deps, async () => {
    const file = path.resolve(opts.output);
    const saved = await call<{ file: string; bytes: number; images: string[] }>(deps, 'images.save', { images, output: file });
    (deps.stdout ?? process.stdout).write(`Saved ${saved.images.join(', ')} to ${saved.file} (${formatBytes(saved.bytes)}); on the other machine run \`kfd images load ${path.basename(saved.file)}\`.\n`);
    return 0;
  });
}

export function imagesLoadCommand(file: string, deps: ImagesCommandDeps): Promise<number> {
  return guard(deps, async () => {
    const { images } = await call<{ images: string[] }>(deps, 'images.load', { file: path.resolve(file) });
    (deps.stdout ?? process.stdout).write(images.length ? `Loaded ${images.join(', ')}\n` : 'Loaded (the file named no images)\n');
    return 0;
  });
}

export function imagesPullCommand(image: string, deps: ImagesCommandDeps): Promise<number> {
  return guard(deps, async () => {
    const stderr = deps.stderr ?? process.stderr;
    // A terminal gets one line redrawn in place; a log gets a line per report.
    const off = deps.subscribe?.((event, payload) => {
      const p = payload as PullProgress;
      if (event === 'images.pullProgress' && p.image === image) stderr.write(stderr.isTTY ? `\r\x1b[2K${formatPull(p)}` : `${formatPull(p)}\n`);
    });
    try {
      const result = await call<{ pulled: boolean }>(deps, 'images.pull', { image });
      if (stderr.isTTY && result.pulled) stderr.write('\n');
      (deps.stdout ?? process.stdout).write(result.pulled ? `Pulled ${image}\n` : `${image} is already on this machine\n`);
      return 0;
    } finally {
      off?.();
    }
  });
}

export function imagesListCommand(opts: { json?: boolean }, deps: ImagesCommandDeps): Promise<number> {
  return guard(deps, async () => {
    const { engine, images } = await call<{ engine: string; images: ImageInfo[] }>(deps, 'images.list', {});
    const out = deps.stdout ?? process.stdout;
    if (opts.json) {
      out.write(JSON.stringify(images, null, 2) + '\n');
      return 0;
    }
    out.write(`${engine}\n`);
    for (const i of images) out.write(`${(i.tags.join(', ') || i.id.slice(7, 19)).padEnd(48)} ${formatBytes(i.sizeBytes)}\n`);
    return 0;
  });
}

/** Adds `kfd images …`; `run` gives each action an engine's deps and sets the exit code. */
export function registerImagesCommands(program: Command, run: (fn: (deps: ImagesCommandDeps) => Promise<number>) => Promise<void>): void {
  const images = program.command('images').description('container images for the container backend: carry them to an offline machine');
  images
    .command('save')
    .description('write images to one file (gzip-compressed when it ends in .gz), like `docker save`')
    .argument('<image...>', 'image references, e.g. pytorch/pytorch:2.7.1-cuda12.8-cudnn9-runtime')
    .requiredOption('-o, --output <file>', 'the file to write, e.g. images.tar.gz')
    .action((list: string[], opts: { output: string }) => run((deps) => imagesSaveCommand(list, opts, deps)));
  images
    .command('load')
    .description('load images from a file written by `kfd images save` or `docker save`')
    .argument('<file>', 'the saved file (.tar, .tar.gz)')
    .action((file: string) => run((deps) => imagesLoadCommand(file, deps)));
  images
    .command('pull')
    .description('pull an image now (jobs pull theirs when they start), with progress')
    .argument('<image>', 'image reference')
    .action((image: string) => run((deps) => imagesPullCommand(image, deps)));
  images
    .command('ls')
    .description('list the images on the container engine')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) => run((deps) => imagesListCommand(opts, deps)));
}
