/**
 * How the Jupyter server is started, as pure functions: argv (never the token), the environment
 * (the token, and config/data/runtime dirs of our own so the user's Jupyter config and
 * extensions cannot change how it behaves), and the bounded restart rule.
 */
import path from 'node:path';
import { userCodeEnv } from '../jobs/user-code-env.js';

export interface JupyterDirs {
  config: string;
  data: string;
  runtime: string;
}

export function jupyterDirs(stateDir: string): JupyterDirs {
  return { config: path.join(stateDir, 'config'), data: path.join(stateDir, 'data'), runtime: path.join(stateDir, 'runtime') };
}

/**
 * Runs jupyter_server under a watcher thread that stops it when its parent (the engine) is gone,
 * so a killed app never leaves a server and its kernels behind. `-c` keeps it one process.
 */
export const LAUNCHER = `
import os, signal, sys, threading, time
# The token reaches the server as configuration, not environment, so kernels (which inherit the
# server's environment) never see it.
token = os.environ.pop("JUPYTER_TOKEN", "")
if not token:
    sys.exit("kfd: the Jupyter server needs a token in JUPYTER_TOKEN")
parent = os.getppid()
def watch():
    while True:
        time.sleep(1)
        if os.getppid() != parent:
            os.kill(os.getpid(), signal.SIGTERM)
            return
threading.Thread(target=watch, name="kfd-parent-watch", daemon=True).start()
sys.argv = ["jupyter-server"] + sys.argv[1:]
import jupyter_server
from jupyter_server.serverapp import ServerApp
from traitlets.config import Config
config = Config()
if int(jupyter_server.__version__.split(".")[0]) >= 2:
    config.IdentityProvider.token = token
else:
    config.ServerApp.token = token
sys.exit(ServerApp.launch_instance(config=config))
`;

export interface LaunchOptions {
  port: number;
  /** The filesystem root: kernels start in a notebook's folder, given as a path under it. */
  rootDir: string;
  /** jupyter_server refuses to run as root without this. */
  runningAsRoot: boolean;
}

export function serverArgs(o: LaunchOptions): string[] {
  const args = [
    '-c',
    LAUNCHER,
    '--ServerApp.ip=127.0.0.1',
    `--ServerApp.port=${o.port}`,
    // We picked a free port; if someone takes it first we restart on another, never drift.
    '--ServerApp.port_retries=0',
    '--ServerApp.open_browser=False',
    `--ServerApp.root_dir=${o.rootDir}`,
  ];
  if (o.runningAsRoot) args.push('--ServerApp.allow_root=True');
  return args;
}

/** The server's environment: the user's (PATH, proxies, CUDA_*), our dirs, the token. */
export function serverEnv(base: NodeJS.ProcessEnv, dirs: JupyterDirs, token: string, home: string): NodeJS.ProcessEnv {
  // Kernels inherit this: the user's environment without the app's secrets (user-code-env.ts).
  const env: NodeJS.ProcessEnv = userCodeEnv(base);
  // Variables that would point Jupyter back at the user's own config.
  for (const key of ['JUPYTER_CONFIG_PATH', 'JUPYTER_PREFER_ENV_PATH', 'JUPYTER_TOKEN_FILE', 'JPY_SESSION_NAME']) delete env[key];
  // Read once by the launcher, which removes it before any kernel starts (LAUNCHER).
  env.JUPYTER_TOKEN = token;
  env.JUPYTER_CONFIG_DIR = dirs.config;
  env.JUPYTER_DATA_DIR = dirs.data;
  env.JUPYTER_RUNTIME_DIR = dirs.runtime;
  // Kernel specs the user registered (`ipykernel install --user`) stay visible to the picker.
  const userData = path.join(home, '.local', 'share', 'jupyter');
  env.JUPYTER_PATH = [base.JUPYTER_PATH, userData].filter(Boolean).join(path.delimiter);
  env.PYTHONUNBUFFERED = '1';
  return env;
}

/** Token-shaped secrets never reach a log line or an error message. */
export function redact(text: string, token: string): string {
  return token ? text.split(token).join('<token>') : text;
}

export interface RestartPolicy {
  /** At most this many restarts… */
  maxRestarts: number;
  /** …within this window; older crashes are forgiven. */
  windowMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = { maxRestarts: 3, windowMs: 5 * 60_000 };

/** Whether to restart after a crash at `now`, given earlier crash times (also pruned in place). */
export function shouldRestart(crashes: number[], now: number, policy: RestartPolicy = DEFAULT_RESTART_POLICY): boolean {
  while (crashes.length && now - crashes[0]! > policy.windowMs) crashes.shift();
  if (crashes.length >= policy.maxRestarts) return false;
  crashes.push(now);
  return true;
}

/** The session path for a notebook: relative to the server root, '/'-separated. */
export function sessionPath(rootDir: string, notebookAbs: string): string {
  return path.relative(rootDir, notebookAbs).split(path.sep).join('/');
}
