/**
 * The one page notebook HTML/JavaScript outputs render in: `output-frame.html` of the renderer
 * build, shown in `<iframe sandbox="allow-scripts">` (no allow-same-origin, so an opaque origin
 * that can reach neither the app's DOM, storage nor API token).
 *
 * It needs its own Content-Security-Policy: `srcdoc` and `blob:` frames inherit the app's
 * policy (`script-src 'self'`), which blocks every inline script an output carries (checked in
 * Chromium). This policy lets scripts run inside the frame but gives it no network at all
 * (offline app; a notebook opened from elsewhere cannot beacon out), no forms, no nested
 * frames, and only this app as its parent. Both web mode and Electron serve the file with it.
 */
export const OUTPUT_FRAME_PATH = '/output-frame.html';

export const OUTPUT_FRAME_CSP = [
  "default-src 'none'",
  "script-src 'unsafe-inline' 'unsafe-eval' data: blob:",
  "style-src 'unsafe-inline' data:",
  "img-src data: blob:",
  "font-src data:",
  "media-src data: blob:",
  "connect-src 'none'",
  "frame-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'self'",
].join('; ');

/** The policy for a renderer file: the frame's for the output frame, `appCsp` for everything else. */
export function cspForRendererPath(pathname: string, appCsp: string): string {
  return pathname === OUTPUT_FRAME_PATH ? OUTPUT_FRAME_CSP : appCsp;
}
