/**
 * Markdown (cells, text/markdown outputs) rendered with `marked` and sanitized with DOMPurify
 * before it reaches the page. Links open outside the app (http/https/mailto only).
 */
import DOMPurify from 'dompurify';
import { useMemo, type MouseEvent } from 'react';
import { useApi } from '../api/ApiProvider';
import { externalHref, markdownToHtml } from './markdown';

export function sanitizeHtml(html: string): string {
  return DOMPurify.sanitize(html, { USE_PROFILES: { html: true }, FORBID_TAGS: ['style', 'form', 'input'] });
}

export function MarkdownView({ text, className = '' }: { text: string; className?: string }) {
  const api = useApi();
  const html = useMemo(() => sanitizeHtml(markdownToHtml(text)), [text]);

  function onClick(e: MouseEvent<HTMLDivElement>): void {
    const link = (e.target as HTMLElement).closest('a');
    if (!link) return;
    e.preventDefault(); // never navigate the app itself
    const href = externalHref(link.getAttribute('href'));
    if (!href) return;
    if (api.desktop?.openExternal) void api.desktop.openExternal(href);
    else window.open(href, '_blank', 'noopener,noreferrer');
  }

  return <div className={`nb-markdown ${className}`} onClick={onClick} dangerouslySetInnerHTML={{ __html: html }} />;
}
