/**
 * The host ports the cluster maps are free. Docker only says "port is already allocated" after
 * kind has pulled the image and started creating nodes, so we find out first by listening briefly.
 */
import { createServer } from 'node:net';
import { createSocket } from 'node:dgram';
import { ok, type ClusterDiagnostic } from './diagnostic.js';

export interface PortToCheck {
  hostPort: number;
  protocol: 'TCP' | 'UDP' | 'SCTP';
  listenAddress: string;
}

/** Resolves '' when the port could be bound (then released), else the error code (EADDRINUSE, EACCES). */
export function tryListen(p: PortToCheck): Promise<string> {
  return new Promise((resolve) => {
    if (p.protocol === 'UDP') {
      const sock = createSocket(p.listenAddress.includes(':') ? 'udp6' : 'udp4');
      sock.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
      sock.bind(p.hostPort, p.listenAddress, () => sock.close(() => resolve('')));
      return;
    }
    // SCTP cannot be tried from Node; TCP is the best proxy for "something owns this port".
    const server = createServer();
    server.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    server.listen({ port: p.hostPort, host: p.listenAddress, exclusive: true }, () => server.close(() => resolve('')));
  });
}

export function portsOf(ctx: { cluster: { portMappings?: { hostPort: number; protocol?: PortToCheck['protocol']; listenAddress?: string }[] } }): PortToCheck[] {
  return (ctx.cluster.portMappings ?? []).map((p) => ({ hostPort: p.hostPort, protocol: p.protocol ?? 'TCP', listenAddress: p.listenAddress ?? '127.0.0.1' }));
}

function explain(code: string): string {
  if (code === 'EADDRINUSE') return 'in use by another program';
  if (code === 'EACCES') return 'needs root (ports below 1024)';
  if (code === 'EADDRNOTAVAIL') return 'that listen address is not on this machine';
  return code;
}

export const hostPorts: ClusterDiagnostic = {
  id: 'host-ports',
  title: 'Host ports',
  applicable: (ctx) => portsOf(ctx).length > 0,
  async run(ctx) {
    const ports = portsOf(ctx);
    const busy: string[] = [];
    for (const p of ports) {
      const code = await tryListen(p);
      if (code) busy.push(`${p.listenAddress}:${p.hostPort}/${p.protocol} (${explain(code)})`);
    }
    const list = ports.map((p) => `${p.hostPort}/${p.protocol}`).join(', ');
    if (!busy.length) return ok(`Ports ${list} are free.`);
    return {
      status: 'missing',
      detail: `Cannot map ${busy.join('; ')}.`,
      fix: 'Stop the program holding the port (`ss -ltnup | grep <port>`), or choose another host port in the cluster settings',
    };
  },
};
