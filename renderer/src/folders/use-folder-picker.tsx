/**
 * Asking for a folder: the desktop app's native dialog when there is one, else (web mode, or a
 * native dialog that fails) the in-app folder browser. Render `dialog` where the caller lives.
 */
import { useCallback, useRef, useState, type ReactNode } from 'react';
import { useApi } from '../api/ApiProvider';
import { FolderBrowser } from './FolderBrowser';
import { pickFolderWith } from './folder-nav';

interface Ask {
  title: string;
  action: string;
  start: string | undefined;
}

export function useFolderPicker(): { pick(ask: { title: string; action?: string; start?: string }): Promise<string | null>; dialog: ReactNode } {
  const api = useApi();
  const [asking, setAsking] = useState<Ask | null>(null);
  const resolve = useRef<((path: string | null) => void) | null>(null);

  const pick = useCallback(
    async (ask: { title: string; action?: string; start?: string }): Promise<string | null> => {
      const native = api.desktop?.pickFolder;
      return pickFolderWith(
        native ? () => native() : undefined,
        () =>
          new Promise<string | null>((done) => {
            resolve.current = done;
            setAsking({ title: ask.title, action: ask.action ?? 'Choose', start: ask.start?.startsWith('/') ? ask.start : undefined });
          }),
      );
    },
    [api],
  );

  const finish = (path: string | null) => {
    setAsking(null);
    resolve.current?.(path);
    resolve.current = null;
  };

  const dialog = asking ? <FolderBrowser title={asking.title} action={asking.action} start={asking.start} onPick={(p) => finish(p)} onCancel={() => finish(null)} /> : null;
  return { pick, dialog };
}
