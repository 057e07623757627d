import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  APP_ORIGIN,
  contentSecurityPolicy,
  decideFrameNavigation,
  decideNavigation,
  decidePermission,
  decideWindowOpen,
  devServerOrigin,
  externalUrl,
  isAppUrl,
  isTrustedSender,
  secureWebPreferences,
} from './window-policy.js';

const rendererDir = path.resolve('/opt/kfd/dist/renderer');
const fileOrigin = pathToFileURL(rendererDir + path.sep).href;
const devOrigin = 'http://127.0.0.1:5173';

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp.split(';').map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name!, values];
    }),
  );
}

describe('secureWebPreferences', () => {
  it('turns every hardening switch on and keeps the preload', () => {
    expect(secureWebPreferences('/app/preload.cjs')).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: false,
    });
  });

  it('never enables risky options that are off by default', () => {
    const prefs = secureWebPreferences('/p.cjs') as Record<string, unknown>;
    for (const key of ['enableBlinkFeatures', 'additionalArguments', 'plugins', 'enableRemoteModule']) {
      expect(prefs[key]).toBeUndefined();
    }
  });
});

describe('contentSecurityPolicy', () => {
  it('is strict in production', () => {
    const d = directives(contentSecurityPolicy({ dev: false }));
    expect(d.get('default-src')).toEqual(["'self'"]);
    expect(d.get('script-src')).toEqual(["'self'"]);
    expect(d.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(d.get('img-src')).toEqual(["'self'", 'data:', 'blob:']);
    expect(d.get('font-src')).toEqual(["'self'", 'data:']);
    expect(d.get('connect-src')).toEqual(["'self'"]);
    expect(d.get('worker-src')).toEqual(["'self'", 'blob:']);
    expect(d.get('frame-src')).toEqual(["'self'", 'blob:']);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('base-uri')).toEqual(["'none'"]);
    expect(d.get('form-action')).toEqual(["'none'"]);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('never allows inline or eval scripts, even in dev', () => {
    for (const dev of [false, true]) {
      const csp = contentSecurityPolicy({ dev, devServerUrl: devOrigin });
      expect(directives(csp).get('script-src')).toEqual(["'self'"]);
      expect(csp).not.toContain('unsafe-eval');
      const sources = [...directives(csp).values()].flat();
      expect(sources.filter((s) => s === '*' || s.startsWith('*.') || s === 'http:' || s === 'https:')).toEqual([]);
    }
  });

  it('adds the loopback HMR socket and dev server only in dev', () => {
    const connect = directives(contentSecurityPolicy({ dev: true, devServerUrl: devOrigin })).get('connect-src');
    expect(connect).toEqual(["'self'", 'ws://127.0.0.1:*', 'ws://localhost:*', devOrigin, 'ws://127.0.0.1:5173']);
    expect(contentSecurityPolicy({ dev: false, devServerUrl: devOrigin })).not.toContain('5173');
  });

  it('ignores a dev server URL that is not http(s)', () => {
    const connect = directives(contentSecurityPolicy({ dev: true, devServerUrl: 'javascript:alert(1)' })).get('connect-src');
    expect(connect).toEqual(["'self'", 'ws://127.0.0.1:*', 'ws://localhost:*']);
  });
});

describe('decideFrameNavigation', () => {
  it('lets frames show app pages (the output frame) and empty/srcdoc documents, nothing else', () => {
    expect(decideFrameNavigation(`${APP_ORIGIN}/output-frame.html`, APP_ORIGIN, false)).toBe('allow');
    expect(decideFrameNavigation('about:srcdoc', APP_ORIGIN, false)).toBe('allow');
    expect(decideFrameNavigation('about:blank', APP_ORIGIN, false)).toBe('allow');
    expect(decideFrameNavigation('about:blank', APP_ORIGIN, true)).toBe('deny');
    for (const url of ['http://127.0.0.1:9/', 'https://evil.example/?q=secret', 'data:text/html,x', 'blob:app://kfd/1', 'file:///etc/passwd', 'javascript:1']) {
      expect(decideFrameNavigation(url, APP_ORIGIN, false), url).toBe('deny');
    }
  });
});

describe('decideNavigation', () => {
  it.each([
    `${APP_ORIGIN}/index.html`,
    `${APP_ORIGIN}/`,
    'APP://KFD/index.html',
    `${APP_ORIGIN}/assets/x.js?v=1#top`,
  ])('allows the app origin: %s', (url) => {
    expect(decideNavigation(url, APP_ORIGIN)).toBe('allow');
  });

  it.each([
    'https://example.com/',
    'http://127.0.0.1@evil.com/',
    'app://kfd@evil.com/',
    'app://evil@kfd/',
    'app://user:pass@kfd/',
    'app://kfd.evil.com/',
    'app://kfd:8080/',
    'app://other/',
    'app:kfd/index.html',
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'blob:app://kfd/1234',
    'file:///etc/passwd',
    'about:blank',
    'chrome://gpu',
    'devtools://devtools/bundled/inspector.html',
    '',
    'not a url',
  ])('denies %s', (url) => {
    expect(decideNavigation(url, APP_ORIGIN)).toBe('deny');
  });

  it('matches the dev server by exact origin', () => {
    expect(decideNavigation('http://127.0.0.1:5173/src/main.tsx', devOrigin)).toBe('allow');
    expect(decideNavigation('HTTP://127.0.0.1:5173/', devOrigin)).toBe('allow');
    expect(decideNavigation('http://127.0.0.1:5174/', devOrigin)).toBe('deny');
    expect(decideNavigation('https://127.0.0.1:5173/', devOrigin)).toBe('deny');
    expect(decideNavigation('http://localhost:5173/', devOrigin)).toBe('deny');
    expect(decideNavigation('http://127.0.0.1:5173@evil.com/', devOrigin)).toBe('deny');
    expect(decideNavigation('http://evil.com#@127.0.0.1:5173/', devOrigin)).toBe('deny');
  });

  describe('file: renderer folder', () => {
    const inside = (rel: string) => pathToFileURL(path.join(rendererDir, rel)).href;

    it('allows files inside the folder', () => {
      expect(decideNavigation(inside('index.html'), fileOrigin)).toBe('allow');
      expect(decideNavigation(inside('assets/app.js'), fileOrigin)).toBe('allow');
      expect(decideNavigation('FILE://' + inside('index.html').slice('file://'.length), fileOrigin)).toBe('allow');
    });

    it('denies files outside the folder and traversal tricks', () => {
      expect(decideNavigation('file:///etc/passwd', fileOrigin)).toBe('deny');
      expect(decideNavigation(`${fileOrigin}../index.html`, fileOrigin)).toBe('deny');
      expect(decideNavigation(`${fileOrigin}%2e%2e/secret.html`, fileOrigin)).toBe('deny');
      expect(decideNavigation(`${fileOrigin}..%2fsecret.html`, fileOrigin)).toBe('deny');
      expect(decideNavigation(pathToFileURL(rendererDir + '-evil/index.html').href, fileOrigin)).toBe('deny');
      expect(decideNavigation(fileOrigin, fileOrigin)).toBe('deny'); // the folder itself is not a page
      expect(decideNavigation('file://otherhost/opt/kfd/dist/renderer/index.html', fileOrigin)).toBe('deny');
    });

    it('does not let file: URLs match an app: origin or the reverse', () => {
      expect(decideNavigation(inside('index.html'), APP_ORIGIN)).toBe('deny');
      expect(decideNavigation(`${APP_ORIGIN}/index.html`, fileOrigin)).toBe('deny');
    });
  });

  it('denies everything when the app origin itself is malformed', () => {
    expect(isAppUrl(`${APP_ORIGIN}/`, 'nonsense')).toBe(false);
  });
});

describe('decideWindowOpen', () => {
  it('always denies, offering http(s) links to the system browser', () => {
    expect(decideWindowOpen('https://www.kubeflow.org/docs/')).toEqual({
      action: 'deny',
      openExternal: 'https://www.kubeflow.org/docs/',
    });
    expect(decideWindowOpen('HTTP://Example.COM/a b')).toEqual({ action: 'deny', openExternal: 'http://example.com/a%20b' });
  });

  it.each([
    'file:///etc/passwd',
    'javascript:alert(1)',
    'jAvAsCrIpT:alert(1)',
    ' javascript:alert(1)',
    'data:text/html,hi',
    'blob:app://kfd/1',
    'vbscript:msgbox',
    'smb://server/share',
    'ms-settings:privacy',
    'vscode://file/etc/passwd',
    `${APP_ORIGIN}/index.html`,
    'https://google.com@evil.com/',
    'https://user:pw@example.com/',
    'http://',
    'about:blank',
    '',
  ])('denies without an external candidate: %s', (url) => {
    expect(decideWindowOpen(url)).toEqual({ action: 'deny' });
  });

  it('externalUrl trims whitespace but keeps only http(s)', () => {
    expect(externalUrl('  https://example.com  ')).toBe('https://example.com/');
    expect(externalUrl('ftp://example.com/')).toBeNull();
  });
});

describe('decidePermission', () => {
  it.each(['media', 'geolocation', 'notifications', 'clipboard-read', 'fullscreen', 'openExternal', 'unknown', 'made-up'])(
    'denies %s with a reason',
    (permission) => {
      const decision = decidePermission(permission, APP_ORIGIN);
      expect(decision.allow).toBe(false);
      expect(decision.reason).toContain(permission);
      expect(decision.reason).toContain(APP_ORIGIN);
      expect(decision.reason.length).toBeGreaterThan(permission.length + APP_ORIGIN.length + 10);
    },
  );

  it('denies the app origin too, and tolerates an empty origin', () => {
    expect(decidePermission('media', '').reason).toContain('unknown origin');
  });

  it('is not fooled by prototype keys', () => {
    expect(decidePermission('__proto__', APP_ORIGIN).reason).toContain('requests no browser permissions');
    expect(decidePermission('constructor', APP_ORIGIN).allow).toBe(false);
  });
});

describe('isTrustedSender', () => {
  it('trusts only the app itself', () => {
    expect(isTrustedSender(`${APP_ORIGIN}/index.html`, APP_ORIGIN)).toBe(true);
    expect(isTrustedSender(`${APP_ORIGIN}/index.html#/jobs`, APP_ORIGIN)).toBe(true);
  });

  it.each([null, undefined, '', 'about:blank', 'about:srcdoc', 'blob:app://kfd/abc', 'https://evil.com/', 'app://kfd@evil.com/', 'file:///tmp/x.html'])(
    'rejects %s',
    (url) => {
      expect(isTrustedSender(url, APP_ORIGIN)).toBe(false);
    },
  );
});

describe('devServerOrigin', () => {
  it('accepts loopback http only', () => {
    expect(devServerOrigin('http://127.0.0.1:5173/')).toBe('http://127.0.0.1:5173');
    expect(devServerOrigin('http://localhost:5173')).toBe('http://localhost:5173');
    expect(devServerOrigin('http://[::1]:5173')).toBe('http://[::1]:5173');
  });

  it.each([undefined, '', 'https://127.0.0.1:5173', 'http://192.168.1.2:5173', 'http://127.0.0.1@evil.com:5173', 'http://localhost.evil.com/', 'file:///tmp/index.html', 'app://kfd/'])(
    'rejects %s',
    (url) => {
      expect(devServerOrigin(url)).toBeNull();
    },
  );
});
