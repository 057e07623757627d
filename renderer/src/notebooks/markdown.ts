/**
 * Markdown (cells and text/markdown outputs) → HTML with GitHub-flavoured markdown. The HTML is
 * NOT safe yet: MarkdownView sanitizes it with DOMPurify before it touches the page.
 */
import { marked } from 'marked';

export function markdownToHtml(text: string): string {
  return marked.parse(text, { async: false, gfm: true, breaks: false }) as string;
}

/** http(s) and mailto links may open outside the app; everything else is ignored. */
export function externalHref(href: string | null | undefined): string | null {
  if (!href) return null;
  try {
    const url = new URL(href);
    return url.protocol === 'http:' || url.protocol === 'https:' || url.protocol === 'mailto:' ? url.href : null;
  } catch {
    return null;
  }
}
