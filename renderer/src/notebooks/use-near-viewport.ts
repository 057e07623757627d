/**
 * Whether an element is on screen or close to it, inside its scrolling pane. One shared
 * IntersectionObserver per pane: a 500-cell notebook has 500 targets, not 500 observers.
 */
import { useEffect, useState, type RefObject } from 'react';

type Listener = (near: boolean) => void;

interface Shared {
  observer: IntersectionObserver;
  listeners: Map<Element, Listener>;
}

const shared = new WeakMap<Element | Document, Map<string, Shared>>();

/** The nearest ancestor that scrolls vertically (the content pane), else the document. */
function scrollRoot(el: Element): Element | Document {
  for (let p = el.parentElement; p; p = p.parentElement) {
    const overflow = getComputedStyle(p).overflowY;
    if (overflow === 'auto' || overflow === 'scroll') return p;
  }
  return document;
}

function observerFor(root: Element | Document, margin: string): Shared {
  let byMargin = shared.get(root);
  if (!byMargin) shared.set(root, (byMargin = new Map()));
  let s = byMargin.get(margin);
  if (!s) {
    const listeners = new Map<Element, Listener>();
    const observer = new IntersectionObserver(
      (entries) => {
        for (const e of entries) listeners.get(e.target)?.(e.isIntersecting);
      },
      // rootMargin only widens the root itself, so the root must be the pane that scrolls.
      { root, rootMargin: margin },
    );
    s = { observer, listeners };
    byMargin.set(margin, s);
  }
  return s;
}

/** True while `ref`'s element is within `margin` (CSS, e.g. "600px 0px") of the visible pane. */
export function useNearViewport(ref: RefObject<Element | null>, margin = '600px 0px'): boolean {
  const [near, setNear] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof IntersectionObserver === 'undefined') {
      setNear(true); // no observer (old engine, tests): behave as if everything is visible
      return;
    }
    const s = observerFor(scrollRoot(el), margin);
    s.listeners.set(el, setNear);
    s.observer.observe(el);
    return () => {
      s.observer.unobserve(el);
      s.listeners.delete(el);
    };
  }, [ref, margin]);
  return near;
}
