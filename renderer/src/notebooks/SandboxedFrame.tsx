/**
 * An HTML or JavaScript output, run inside `<iframe sandbox="allow-scripts">` without
 * allow-same-origin: an opaque origin that cannot touch the app, its storage or its API. The
 * frame page (public/output-frame.html) is served with its own CSP (scripts yes, network no)
 * because srcdoc/blob frames would inherit the app's and block every inline script.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
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
  const portRef = useRef<MessagePort | null>(null);

  // A layout effect: the listener is in place in the same task that puts the iframe in the page,
  // so a frame that loads quickly (cached) cannot say "ready" before anyone listens and stay blank.
  useLayoutEffect(() => {
    function onMessage(e: MessageEvent): void {
      const frame = ref.current;
      // Only our own frame's "ready" (its origin is opaque: "null"); everything after goes over a port.
      if (!frame || e.source !== frame.contentWindow || readFrameMessage(e.data)?.type !== 'ready') return;
      portRef.current?.close();
      const channel = new MessageChannel();
      channel.port1.onmessage = (m) => {
        const msg = readFrameMessage(m.data);
        if (msg?.type === 'height') setHeight(msg.height);
      };
      portRef.current = channel.port1;
      // An opaque origin cannot be named, so this one message goes to '*'; it is sent only to the
      // window that just said "ready" from our frame, which cannot navigate away (CSP frame-src).
      frame.contentWindow?.postMessage(renderMessage(mime, text, { dark: darkRef.current, color: textColor() }), '*', [channel.port2]);
      setReady(true);
    }
    window.addEventListener('message', onMessage);
    return () => {
      window.removeEventListener('message', onMessage);
      portRef.current?.close();
      portRef.current = null;
    };
  }, [mime, text]);

  // The page's colours change in the theme provider's effect, which runs after this one: read
  // the text colour a frame later, or the frame gets the old theme's.
  useEffect(() => {
    if (!ready) return;
    const raf = requestAnimationFrame(() => portRef.current?.postMessage(themeMessage({ dark, color: textColor() })));
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
