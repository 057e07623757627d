import { describe, expect, it } from 'vitest';
import { portBindings, publishedPorts, PUBLISH_PORTS_ANNOTATION } from './published-ports.js';

describe('publishedPorts', () => {
  it('reads host:container pairs and binds them to loopback only', () => {
    const ports = publishedPorts({ [PUBLISH_PORTS_ANNOTATION]: '18080:8080, 18081:8081' });
    expect(ports).toEqual([{ host: 18080, container: 8080 }, { host: 18081, container: 8081 }]);
    expect(portBindings(ports)).toEqual({
      ExposedPorts: { '8080/tcp': {}, '8081/tcp': {} },
      PortBindings: { '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: '18080' }], '8081/tcp': [{ HostIp: '127.0.0.1', HostPort: '18081' }] },
    });
  });

  it('publishes nothing without the annotation', () => {
    expect(publishedPorts(undefined)).toEqual([]);
    expect(portBindings([])).toEqual({});
  });

  it('refuses a value that is not host:container, naming the annotation', () => {
    expect(() => publishedPorts({ [PUBLISH_PORTS_ANNOTATION]: '0.0.0.0:80:8080' })).toThrow(/publish-ports.*"0.0.0.0:80:8080" is not host:container/);
    expect(() => publishedPorts({ [PUBLISH_PORTS_ANNOTATION]: '99999:8080' })).toThrow(/not host:container/);
  });
});
