/**
 * Makes a reconnected kernel report its status again.
 *
 * Why this exists: after Jupyter autorestarts a dead kernel, @jupyterlab/services reconnects and
 * sends ONE kernel_info_request; the kernel's status only reaches us as IOPub busy/idle
 * messages for it. jupyter_server normally "nudges" a new websocket until its IOPub subscription
 * is live, but skips that when its activity tracker still says "busy" — the state of the kernel
 * that died mid-cell (jupyter_server issues #481, #1395). The busy/idle for our one request are
 * then lost to ZMQ's slow-joiner (the server's IOPub socket reconnects to the new kernel a little
 * after its shell socket), and the connection stays "unknown" forever. So, like the server's
 * nudge, we repeat kernel_info_request until a status arrives. We wait for each shell reply
 * only — `requestKernelInfo()` would also wait for the IOPub idle that never comes — and send one
 * request at a time, so a busy kernel does not pile requests up behind a running cell.
 */
import { KernelMessage, type Kernel } from '@jupyterlab/services';

export interface NudgeOptions {
  /** Pause between a reply and the next request. */
  intervalMs?: number;
  /** Give up after this many requests (the kernel answers, but IOPub never does). */
  maxAttempts?: number;
  /** How long to wait for one shell reply before asking again. */
  replyTimeoutMs?: number;
}

/** Sends one kernel_info_request; resolves when its shell reply arrives or after `timeoutMs`. */
async function askOnce(kernel: Kernel.IKernelConnection, timeoutMs: number): Promise<void> {
  const msg = KernelMessage.createMessage({ msgType: 'kernel_info_request', channel: 'shell', session: kernel.clientId, username: kernel.username, content: {} });
  const future = kernel.sendShellMessage(msg, true, true);
  let timer: NodeJS.Timeout | undefined;
  try {
    await new Promise<void>((resolve) => {
      future.onReply = () => resolve();
      timer = setTimeout(resolve, timeoutMs);
    });
  } finally {
    clearTimeout(timer);
    // The idle for it may never come; a status that does still updates the kernel (it is
    // read from every IOPub status message, not only from futures).
    future.dispose();
  }
}

/** Starts nudging after every reconnect; returns a function that stops it. */
export function nudgeAfterReconnect(kernel: Kernel.IKernelConnection, options: NudgeOptions = {}): () => void {
  const intervalMs = options.intervalMs ?? 250;
  const maxAttempts = options.maxAttempts ?? 40;
  const replyTimeoutMs = options.replyTimeoutMs ?? 2000;
  let round = 0; // a newer (re)connect ends an older loop
  let stopped = false;
  const unknown = () => kernel.status === 'unknown';
  const live = (mine: number) => !stopped && mine === round && !kernel.isDisposed && kernel.connectionStatus === 'connected';

  const loop = async (mine: number) => {
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      await new Promise((r) => setTimeout(r, intervalMs));
      if (!live(mine) || !unknown()) return;
      try {
        await askOnce(kernel, replyTimeoutMs);
      } catch {
        return; // disposed by a restart, or dead: the next reconnect starts again
      }
    }
  };

  const onConnection = (_: unknown, state: Kernel.ConnectionStatus) => {
    round++;
    if (state === 'connected') void loop(round);
  };
  kernel.connectionStatusChanged.connect(onConnection);
  return () => {
    stopped = true;
    kernel.connectionStatusChanged.disconnect(onConnection);
  };
}
