/**
 * `kubeflow-desktop/publish-ports`: node 0's container ports published on the host's loopback,
 * e.g. "18080:8080" or "18080:8080,18081:8081" (host:container). A model server's V2 port is
 * reached this way; nothing is ever published beyond 127.0.0.1. Pure.
 */
export const PUBLISH_PORTS_ANNOTATION = 'kubeflow-desktop/publish-ports';

export interface PublishedPort {
  host: number;
  container: number;
}

const PORT = /^\d{1,5}$/;

/** Throws a message naming the annotation when a value cannot be used. */
export function publishedPorts(annotations: Record<string, string> | undefined): PublishedPort[] {
  const raw = annotations?.[PUBLISH_PORTS_ANNOTATION];
  if (raw === undefined || raw.trim() === '') return [];
  return raw.split(/[,\s]+/).filter(Boolean).map((pair) => {
    const [h, c, extra] = pair.split(':');
    const host = Number(h);
    const container = Number(c);
    if (extra !== undefined || !PORT.test(h ?? '') || !PORT.test(c ?? '') || host < 1 || host > 65535 || container < 1 || container > 65535) {
      throw new Error(`metadata.annotations["${PUBLISH_PORTS_ANNOTATION}"]: "${pair}" is not host:container ports such as "18080:8080"`);
    }
    return { host, container };
  });
}

/** The create request's parts for them (Docker and Podman take the same shape). */
export function portBindings(ports: PublishedPort[]): { ExposedPorts?: Record<string, object>; PortBindings?: Record<string, { HostIp: string; HostPort: string }[]> } {
  if (!ports.length) return {};
  return {
    ExposedPorts: Object.fromEntries(ports.map((p) => [`${p.container}/tcp`, {}])),
    PortBindings: Object.fromEntries(ports.map((p) => [`${p.container}/tcp`, [{ HostIp: '127.0.0.1', HostPort: String(p.host) }]])),
  };
}
