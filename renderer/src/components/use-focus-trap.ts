/**
 * Keeps Tab and Shift+Tab inside a modal dialog, and gives focus back to what had it when the
 * dialog closes. Tab is handled here, in the capture phase, rather than left to the browser:
 * widgets inside (Monaco's editors) take Tab for themselves, and focus must still move on.
 */
import { useEffect, type RefObject } from 'react';

const TABBABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** The focusable elements of `root` in tab order (visible ones only). Pure DOM reading, no side effects. */
export function tabbables(root: HTMLElement): HTMLElement[] {
  const all = [...root.querySelectorAll<HTMLElement>(TABBABLE)].filter((el) => el.tabIndex >= 0 && el.getClientRects().length > 0 && !el.closest('[inert]'));
  // Positive tabindex first (in its order), then document order: the browser's rule.
  return [...all.filter((el) => el.tabIndex > 0).sort((a, b) => a.tabIndex - b.tabIndex), ...all.filter((el) => el.tabIndex === 0)];
}

/** The element focus moves to from `current` (an element inside `list`, or inside one of them). */
export function nextTabbable(list: readonly HTMLElement[], current: Element | null, back: boolean): HTMLElement | null {
  if (list.length === 0) return null;
  const at = current ? list.findIndex((el) => el === current || el.contains(current)) : -1;
  if (at < 0) return back ? list[list.length - 1]! : list[0]!;
  return list[(at + (back ? list.length - 1 : 1)) % list.length]!;
}

export function useFocusTrap(ref: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const root = ref.current;
    if (!root) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Tab' || e.altKey || e.ctrlKey || e.metaKey) return;
      const next = nextTabbable(tabbables(root), document.activeElement, e.shiftKey);
      if (!next) return;
      e.preventDefault();
      e.stopPropagation();
      next.focus();
    };
    // Focus that lands outside (a click on the backdrop's page, a script) is brought back in.
    const onFocusIn = (e: FocusEvent) => {
      if (!(e.target instanceof Element) || root.contains(e.target)) return;
      if (e.target.closest('.context-view, .monaco-menu-container')) return; // Monaco's menus live on <body>
      nextTabbable(tabbables(root), null, false)?.focus();
    };
    root.addEventListener('keydown', onKey, true);
    document.addEventListener('focusin', onFocusIn);
    return () => {
      root.removeEventListener('keydown', onKey, true);
      document.removeEventListener('focusin', onFocusIn);
      if (opener?.isConnected) opener.focus();
    };
  }, [ref]);
}
