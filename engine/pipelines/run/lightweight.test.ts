import { describe, expect, it } from 'vitest';
import { parseLightweight } from './lightweight.js';

// The command kfp 2.17 compiles for @dsl.component(packages_to_install=['six', 'numpy<2']) (verbatim shape).
const command = [
  'sh',
  '-c',
  "\nif ! [ -x \"$(command -v pip)\" ]; then\n    python3 -m ensurepip || python3 -m ensurepip --user || apt-get install python3-pip\nfi\n\nPIP_DISABLE_PIP_VERSION_CHECK=1 python3 -m pip install --quiet --no-warn-script-location 'six' 'numpy<2'  &&  python3 -m pip install --quiet --no-warn-script-location 'kfp==2.17.3' '--no-deps' 'typing-extensions>=3.7.4,<5; python_version<\"3.9\"' && \"$0\" \"$@\"\n",
  'sh',
  '-ec',
  'program_path=$(mktemp -d)\n\nprintf "%s" "$0" > "$program_path/ephemeral_component.py"\n_KFP_RUNTIME=true python3 -m kfp.dsl.executor_main                         --component_module_path                         "$program_path/ephemeral_component.py"                         "$@"\n',
  '\nimport kfp\nfrom kfp import dsl\n\ndef add(a: float, b: float) -> float:\n    return a + b\n',
];
const args = ['--executor_input', '{{$}}', '--function_to_execute', 'add'];

describe('lightweight components', () => {
  it('finds the kfp release, packages_to_install, the source and the executor arguments', () => {
    const c = parseLightweight(command, args)!;
    expect(c.kfpVersion).toBe('2.17.3');
    expect(c.packages).toEqual(['six', 'numpy<2']);
    expect(c.dropped).toEqual(['typing-extensions>=3.7.4,<5; python_version<"3.9"']);
    expect(c.source).toContain('def add(a: float, b: float)');
    expect(c.executorArgs).toEqual(args);
  });
  it('is not fooled by a container component', () => {
    expect(parseLightweight(['sh', '-c'], ['echo hi'])).toBeNull();
  });
});
