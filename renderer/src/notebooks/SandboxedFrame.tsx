/**
 * An HTML or JavaScript output, run inside `<iframe sandbox="allow-scripts">` without
 * allow-same-origin: an opaque origin that cannot touch the app, its storage or its API. The
 * frame page (public/output-frame.html) is served with its own CSP (scripts yes, network no)
 * because srcdoc/blob frames would inherit the app's and block every inline script.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
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
  const theme = useMemo(() => ({ dark: resolved === 'dark', color: textColor() }), [resolved]);
  const themeRef = useRef(theme);
  themeRef.current = theme;

  useEffect(() => {
    function onMessage(e: MessageEvent): void {
      const frame = ref.current;
      // Only our own frame's messages, and only the two shapes it may send.
      if (!frame || e.source !== frame.contentWindow) return;
      const msg = readFrameMessage(e.data);
      if (msg?.type === 'ready') {
        frame.contentWindow?.postMessage(renderMessage(mime, text, themeRef.current), '*');
        setReady(true);
      } else if (msg?.type === 'height') setHeight(msg.height);
    }
    window.addEventListener('message', onMessage);
    return () => window.removeEventListener('message', onMessage);
  }, [mime, text]);

  useEffect(() => {
    if (ready) ref.current?.contentWindow?.postMessage(themeMessage(theme), '*');
  }, [ready, theme]);

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
