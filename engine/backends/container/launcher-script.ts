/**
 * The program each node container runs as PID 1: a POSIX sh script (images have /bin/sh, not
 * necessarily Node, and torchrun may be broken) that starts the node's ranks with the env
 * contract, as the local backend's wrappers do. A container has one stdout and one stderr, so
 * every output line is tagged with its local rank ("<localRank> <text>") and the launcher's own
 * reports are "K …" lines; the container's log (kept by the engine, timestamped) is the durable
 * record the backend turns into per-rank log files. Pure.
 *
 * Protocol (stdout):  K started <localRank> | K exit <localRank> <code> | K setup <code>
 *                     K stopping <cancel|rank-failed> | K killing
 *                     K oom <localRank>  (before its exit: killed, and the container's memory cgroup counted an OOM kill)
 */
import { shellQuote } from '../../jobs/trainjob/shell-words.js';

export interface LauncherRank {
  localRank: number;
  argv: string[];
  /** Variables that differ between the node's ranks (RANK, LOCAL_RANK, …); the rest is the container's Env. */
  env: Record<string, string>;
}

export interface LauncherInput {
  ranks: LauncherRank[];
  /** Node setup commands (the lines before torchrun in a `bash -c` script), run once before the ranks. */
  setup?: { argv: string[]; unset: string[] };
  /** SIGTERM → exit (which kills everything left in the container) after this many seconds. */
  graceSeconds: number;
}

const exportLine = (env: Record<string, string>) =>
  Object.keys(env).length ? `export ${Object.entries(env).map(([k, v]) => `${k}=${shellQuote(v)}`).join(' ')}; ` : '';

/** The script, run as `/bin/sh -c <script> kfd-launcher`. It holds the command line, never spec env values. */
export function launcherScript(input: LauncherInput): string {
  const lines = [
    '# kfd node launcher: starts this node\'s ranks, tags their output, reports their exits.',
    // fd 4: the container's stdout, for K lines; fd 6: its stderr. The shell's own stderr goes to
    // /dev/null so its job-control chatter ("Terminated") never reads as a rank's output.
    'exec 4>&1 6>&2 2>/dev/null',
    `G=${Math.max(1, Math.ceil(input.graceSeconds))}`,
    // A HOME the image has no folder for (ranks run as the workspace owner): made, so it can be written.
    '[ -n "${HOME:-}" ] && [ ! -d "$HOME" ] && mkdir -p "$HOME"',
    'stopping=; why=; pids=',
    // Written before the stop's SIGTERM: a process that ignored that signal while it started sees the stop here.
    'stopflag=/dev/shm/.kfd-stopping; [ -d /dev/shm ] && [ -w /dev/shm ] || stopflag=/tmp/.kfd-stopping; rm -f "$stopflag"',
    // sed -u tags a line as soon as it is complete; the read loop is the fallback for images without GNU/busybox sed -u.
    // Taggers ignore SIGTERM so a rank's last lines still get out while it is being stopped.
    "if sed -u '' </dev/null >/dev/null 2>&1; then",
    '  tag() { trap \'\' TERM INT; exec sed -u "s/^/$1 /"; }',
    'else',
    '  tag() { trap \'\' TERM INT; while IFS= read -r l || [ -n "$l" ]; do printf \'%s %s\\n\' "$1" "$l"; done; }',
    'fi',
    // stdout and stderr of the command go to two taggers, so the container keeps the two streams apart.
    // The command runs in a subshell that execs it: dash prints "Terminated" for a killed foreground
    // command to that command's own stderr redirection, which here would be the rank's log.
    // A stop that arrives before the command starts skips it (143, as if it had been stopped).
    // Every process of a rank is born ignoring TERM and INT (see below); the command's group takes
    // them itself, and the stop flag tells it of a stop that came while it still ignored them.
    // The container's memory cgroup counts OOM kills (v2: memory.events, v1: memory.oom_control).
    // Docker reports an OOM kill of any process in the container; Podman only one of PID 1.
    'oomkills() { for f in /sys/fs/cgroup/memory.events /sys/fs/cgroup/memory/memory.oom_control; do [ -r "$f" ] || continue; while read -r k v; do [ "$k" = oom_kill ] && { echo "$v"; return; }; done <"$f"; done; echo 0; }',
    'rank() {',
    '  r=$1; shift',
    '  { { t=; trap \'t=1\' TERM INT; [ -e "$stopflag" ] && t=1; echo "K started $r" >&4',
    '      if [ -z "$t" ]; then ( exec "$@" 2>&5 3>&- 4>&- 5>&- 6>&- ); c=$?; else c=143; fi',
    '      [ "$c" -eq 137 ] && [ "$(oomkills)" != 0 ] && echo "K oom $r" >&4',
    '      echo "K exit $r $c" >&4; [ "$c" -eq 0 ] || kill -USR1 $$',
    '    } 5>&1 1>&3 | tag "$r" >&6; } 3>&1 | tag "$r"',
    '}',
    // The whole process group gets SIGTERM (as kubelet does to a pod); after G seconds PID 1 exits,
    // and the kernel kills whatever is left in the container.
    'stop() {',
    '  [ -n "$stopping" ] && return',
    '  stopping=1; why=$1',
    '  echo "K stopping $1" >&4',
    '  : >"$stopflag"',
    '  kill -TERM 0 2>/dev/null',
    '  ( trap \'\' TERM INT; sleep "$G"; kill -ALRM $$ ) 2>/dev/null &',
    '}',
    "trap 'stop cancel' TERM INT",
    "trap 'stop rank-failed' USR1",
    'trap \'echo "K killing" >&4; exit 137\' ALRM',
  ];
  if (input.setup) {
    const setup = input.setup;
    const unset = setup.unset.length ? `unset ${setup.unset.join(' ')}; ` : '';
    // Its exit code comes back through fd 5 (a pipeline's status is its last command's); fd 7 carries its stderr.
    lines.push(
      // As for a rank (below): its taggers are born ignoring TERM; the setup command takes it back.
      `c=$( trap '' TERM INT; { { { ( trap - TERM INT; [ -e "$stopflag" ] && exit 143; ${unset}exec ${setup.argv.map(shellQuote).join(' ')} 2>&7 3>&- 4>&- 5>&- 6>&- 7>&- ); echo $? >&5; } 7>&1 1>&3 | tag 0 >&6; } 3>&1 | tag 0; } 5>&1 1>&4 )`,
      'echo "K setup $c" >&4',
      '[ "$c" = 0 ] || exit "${c:-1}"',
    );
  }
  // A rank's subshell ignores TERM and INT before it forks anything: an ignored signal stays ignored
  // across fork and exec, so its taggers can never be killed by a stop that comes before they have
  // run a trap of their own (the output of a command that failed at once would be lost with them).
  for (const r of input.ranks) {
    lines.push(`( trap '' TERM INT; ${exportLine(r.env)}rank ${r.localRank} ${r.argv.map(shellQuote).join(' ')} ) &`, 'pids="$pids $!"');
  }
  lines.push(
    // `wait` returns early whenever a trap runs: wait again until every rank's output is done.
    'alive() { for p in $pids; do kill -0 "$p" 2>/dev/null && return 0; done; return 1; }',
    'wait $pids; while alive; do wait $pids; done',
    '[ -z "$stopping" ] && exit 0',
    '[ "$why" = cancel ] && exit 143',
    'exit 1',
  );
  return lines.join('\n') + '\n';
}

export type LauncherLine =
  | { kind: 'output'; localRank: number; text: string }
  | { kind: 'started'; localRank: number }
  | { kind: 'exit'; localRank: number; code: number }
  | { kind: 'setup'; code: number }
  | { kind: 'stopping'; why: string }
  | { kind: 'killing' }
  | { kind: 'oom'; localRank: number }
  /** Anything untagged: the shell's own errors. */
  | { kind: 'other'; text: string };

const OUTPUT = /^(\d{1,5}) ([^]*)$/;

/** One line of a node container's log (timestamp already removed). */
export function parseLauncherLine(line: string): LauncherLine {
  const out = OUTPUT.exec(line);
  if (out) return { kind: 'output', localRank: Number(out[1]), text: out[2]! };
  if (/^\d{1,5}$/.test(line)) return { kind: 'output', localRank: Number(line), text: '' }; // an empty line via the read-loop tagger
  const k = /^K (\w+)(?: (.*))?$/.exec(line);
  if (k) {
    const args = (k[2] ?? '').split(' ');
    const int = (s: string | undefined) => (s !== undefined && /^\d+$/.test(s) ? Number(s) : null);
    switch (k[1]) {
      case 'started':
        if (int(args[0]) !== null) return { kind: 'started', localRank: int(args[0])! };
        break;
      case 'exit':
        if (int(args[0]) !== null && int(args[1]) !== null) return { kind: 'exit', localRank: int(args[0])!, code: int(args[1])! };
        break;
      case 'setup':
        // An empty code: the setup's shell died before reporting (killed while stopping).
        return { kind: 'setup', code: int(args[0]) ?? 143 };
      case 'stopping':
        return { kind: 'stopping', why: args[0] ?? '' };
      case 'killing':
        return { kind: 'killing' };
      case 'oom':
        if (int(args[0]) !== null) return { kind: 'oom', localRank: int(args[0])! };
        break;
    }
  }
  return { kind: 'other', text: line };
}
