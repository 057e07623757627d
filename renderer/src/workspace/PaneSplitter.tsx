/**
 * The handle between the editor and the run panel: drag it, or focus it and use the arrow keys
 * (Home: back to the default width). A separator in ARIA terms, with the run panel's width as its value.
 */
import { useRef, type KeyboardEvent, type PointerEvent } from 'react';
import { STEP } from './run-width';

export function PaneSplitter({ width, onChange, onDone }: { width: number; onChange(width: number | null): void; onDone(): void }) {
  const drag = useRef<{ startX: number; startWidth: number } | null>(null);

  function down(e: PointerEvent<HTMLDivElement>): void {
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { startX: e.clientX, startWidth: width };
  }
  function move(e: PointerEvent<HTMLDivElement>): void {
    if (!drag.current) return;
    // The run panel is on the right: moving left makes it wider.
    onChange(drag.current.startWidth + (drag.current.startX - e.clientX));
  }
  function up(): void {
    if (!drag.current) return;
    drag.current = null;
    onDone();
  }
  function key(e: KeyboardEvent<HTMLDivElement>): void {
    if (e.key === 'ArrowLeft') onChange(width + STEP);
    else if (e.key === 'ArrowRight') onChange(width - STEP);
    else if (e.key === 'Home') onChange(null);
    else return;
    e.preventDefault();
    onDone();
  }

  return (
    <div
      className="ws-splitter"
      role="separator"
      aria-orientation="vertical"
      aria-label="Resize the run panel"
      aria-valuenow={width}
      tabIndex={0}
      title="Drag to resize the run panel (arrow keys too; Home resets)"
      onPointerDown={down}
      onPointerMove={move}
      onPointerUp={up}
      onPointerCancel={up}
      onDoubleClick={() => (onChange(null), onDone())}
      onKeyDown={key}
    />
  );
}
