/**
 * An HTML or JavaScript output, run inside `<iframe sandbox="allow-scripts">` without
 * allow-same-origin: an opaque origin that cannot touch the app, its storage or its API. The
 * frame page (public/output-frame.html) is served with its own CSP (scripts yes, network no)
 * because srcdoc/blob frames would inherit the app's and block every inline script.
 */
import { useEffect, useRef, useState } from 'react';
import { useTheme } from '../theme/ThemeProvider';
import { readFrameMessage, renderMessage, themeMessage } from './frame-messages';

function textColor(): string {
  return getComputedStyle(document.documentElement).getPropertyValue('--text').trim() || 'inherit';
}

export function SandboxedFrame({ mime, text }: { mime: 'text/html' | 'application/javascript'; text: string }) {
  const ref = useRef<HTMLIFrameElement>(null);
  const [height, setHeight] = useState(mime === 'text/html' ? 40 : 24);
  const [ready, setReady] = useState(false);
  const { resolved } = useTheme();
  const dark = resolved === 'dark';
  const darkRef = useRef(dark);
  darkRef.current = dark;

  useEffect(() => {
    function onMessage(e: MessageEvent): void {
      const frame = ref.current;
      // Only our own frame's messages, and only the two shapes it may send.
      if (!frame || e.source !== frame.contentWindow) return;
      const msg = readFrameMessage(e.data);
      if (msg?.type === 'ready') {
        frame.contentWindow?.postMessage(renderMessage(mime, text, { dark: darkRef.current, color: textColor() }), '*');
        setReady(true);
      } else if (msg?.type === 'height') setHeight(msg.height);
    }
    window.addEventListener('message', onMessage);
    return () => window.removeEventListener('message', onMessage);
  }, [mime, text]);

  // The page's colours change in the theme provider's effect, which runs after this one: read
  // the text colour a frame later, or the frame gets the old theme's.
  useEffect(() => {
    if (!ready) return;
    const raf = requestAnimationFrame(() => ref.current?.contentWindow?.postMessage(themeMessage({ dark, color: textColor() }), '*'));
    return () => cancelAnimationFrame(raf);
  }, [ready, dark]);

  return (
    <iframe
      ref={ref}
      className="nb-frame"
      sandbox="allow-scripts"
      src="./output-frame.html"
      title={mime === 'text/html' ? 'HTML output' : 'JavaScript output'}
      style={{ height }}
      data-testid="output-frame"
      data-mime={mime}
    />
  );
}
