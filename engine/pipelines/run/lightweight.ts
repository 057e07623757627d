/**
 * Recognises a lightweight Python component (`@dsl.component`) in the command kfp compiled for it:
 * `sh -c "<pip install kfp==X packages…>" sh -ec "<write ephemeral_component.py; python3 -m
 * kfp.dsl.executor_main …>" <source> --executor_input {{$}} --function_to_execute <fn>`.
 * The orchestrator then runs kfp's own `kfp.dsl.executor_main` on that source in the task's
 * environment (as kfp.local's SubprocessRunner does), with the packages installed once in a
 * managed environment instead of by pip on every run. Pure.
 */
import { splitShellWords } from '../../jobs/trainjob/shell-words.js';

export const EXECUTOR_MODULE = 'kfp.dsl.executor_main';
const PROGRAM_MARK = '"$program_path/ephemeral_component.py"';

export interface LightweightComponent {
  /** The kfp release the component was compiled for (its runtime is installed without dependencies, as kfp does). */
  kfpVersion: string | null;
  /** packages_to_install, in order (requirement specifiers). */
  packages: string[];
  /** pip_index_urls; locally the user's pip configuration (PIP_INDEX_URL …) applies instead. */
  indexUrls: string[];
  /** Requirements with environment markers kfp adds for old Pythons, left out. */
  dropped: string[];
  /** The component's Python source (ephemeral_component.py). */
  source: string;
  /** Arguments to kfp.dsl.executor_main after --component_module_path, placeholders unresolved. */
  executorArgs: string[];
}

const PIP_OPTIONS_WITH_VALUE = new Set(['--index-url', '-i', '--extra-index-url', '--trusted-host', '--find-links', '-f']);

export function parseLightweight(command: readonly string[], args: readonly string[]): LightweightComponent | null {
  const all = [...command, ...args];
  const programAt = all.findIndex((part) => part.includes(PROGRAM_MARK) && part.includes(EXECUTOR_MODULE));
  if (programAt < 0 || programAt + 1 >= all.length) return null;
  const source = all[programAt + 1]!;
  const executorArgs = all.slice(programAt + 2);
  const packages: string[] = [];
  const indexUrls: string[] = [];
  const dropped: string[] = [];
  let kfpVersion: string | null = null;
  for (const script of all.slice(0, programAt)) {
    if (!script.includes('pip install')) continue;
    for (const segment of script.split('&&')) {
      const words = splitShellWords(segment.replace(/\\\n/g, ' ').trim());
      if (!words) continue;
      const tokens = words.filter((w) => w.kind === 'word').map((w) => w.value);
      // `… -m pip install …` (an `apt-get install python3-pip` may come first in the same line).
      const at = tokens.findIndex((t, i) => t === 'install' && i > 0 && (tokens[i - 1] === 'pip' || tokens[i - 1]!.endsWith('/pip')));
      if (at < 0) continue;
      for (let i = at + 1; i < tokens.length; i++) {
        const t = tokens[i]!;
        if (PIP_OPTIONS_WITH_VALUE.has(t)) {
          if (t === '--index-url' || t === '-i' || t === '--extra-index-url') indexUrls.push(tokens[i + 1] ?? '');
          i++;
          continue;
        }
        if (t.startsWith('-')) continue;
        if (t === '"$0"' || t === '$0') break;
        if (t.includes(';')) { dropped.push(t); continue; }
        const kfp = /^kfp==([\w.+-]+)$/.exec(t);
        if (kfp) { kfpVersion = kfp[1]!; continue; }
        packages.push(t);
      }
    }
  }
  return { kfpVersion, packages, indexUrls, dropped, source, executorArgs };
}

/** A containerized Python component (`kfp component build`): the image has the code and kfp. */
export function isContainerizedPython(command: readonly string[]): boolean {
  return command.includes(EXECUTOR_MODULE) && !command.some((c) => c.includes(PROGRAM_MARK));
}
