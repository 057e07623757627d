/**
 * One MIME bundle (display_data / execute_result): the first representation we can render wins,
 * one small component per type, inside an error boundary so one bad output never takes the
 * notebook down (as nteract's rich-media does).
 */
import DOMPurify from 'dompurify';
import { Component, useMemo, type ReactNode } from 'react';
import { MarkdownView } from './MarkdownView';
import { imageSize, imageSrc, mimeText, pickMime, type RenderableMime } from './mime';
import { textKey } from './frame-messages';
import { SandboxedFrame } from './SandboxedFrame';
import { FoldedText } from './FoldedText';

type Props = { value: unknown; metadata: unknown; mime: RenderableMime };

function ImageOutput({ value, metadata, mime }: Props) {
  return <img className="nb-image" alt="Image output" src={imageSrc(mime, value)} {...imageSize(metadata, mime)} data-testid="output-image" data-mime={mime} />;
}

/** SVG is sanitized (no scripts, handlers or foreign objects) and then shown as an image. */
function SvgOutput({ value, metadata }: Props) {
  const src = useMemo(() => {
    const clean = DOMPurify.sanitize(mimeText(value), { USE_PROFILES: { svg: true, svgFilters: true } });
    return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(clean)}`;
  }, [value]);
  return <img className="nb-image" alt="SVG output" src={src} {...imageSize(metadata, 'image/svg+xml')} data-testid="output-image" data-mime="image/svg+xml" />;
}

/** A frame renders once; new content (update_display_data) gets a fresh frame. */
function FrameOutput({ mime, text }: { mime: 'text/html' | 'application/javascript'; text: string }) {
  return <SandboxedFrame key={textKey(text)} mime={mime} text={text} />;
}

function JsonOutput({ value }: Props) {
  const text = useMemo(() => (typeof value === 'string' ? value : JSON.stringify(value, null, 2)), [value]);
  return <FoldedText text={text} className="nb-json" />;
}

const RENDERERS: Record<RenderableMime, (p: Props) => ReactNode> = {
  'text/html': ({ value }) => <FrameOutput mime="text/html" text={mimeText(value)} />,
  'application/javascript': ({ value }) => <FrameOutput mime="application/javascript" text={mimeText(value)} />,
  'image/svg+xml': SvgOutput,
  'image/png': ImageOutput,
  'image/jpeg': ImageOutput,
  'image/gif': ImageOutput,
  'text/markdown': ({ value }) => <MarkdownView text={mimeText(value)} className="nb-output-markdown" />,
  'application/json': JsonOutput,
  'text/plain': ({ value }) => <FoldedText text={mimeText(value)} ansi />,
};

class OutputBoundary extends Component<{ fallback: string; children: ReactNode }, { error: string | null }> {
  override state = { error: null as string | null };
  static getDerivedStateFromError(error: unknown) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="nb-output-broken" role="note">
        <p className="muted">This output could not be shown ({this.state.error}).</p>
        {this.props.fallback ? <pre className="nb-pre">{this.props.fallback}</pre> : null}
      </div>
    );
  }
}

export function MimeOutput({ data, metadata }: { data: Record<string, unknown>; metadata: unknown }) {
  const mime = pickMime(data);
  if (!mime) return <p className="muted">Output in a format the app does not show ({Object.keys(data).join(', ') || 'empty'}).</p>;
  const Renderer = RENDERERS[mime];
  return (
    <div className="nb-mime" data-mime={mime}>
      <OutputBoundary fallback={mimeText(data['text/plain'])}>
        <Renderer value={data[mime]} metadata={metadata} mime={mime} />
      </OutputBoundary>
    </div>
  );
}
