/** The web-mode access token: taken from `?token=` once, then kept in sessionStorage. Pure helpers. */

export const TOKEN_STORAGE_KEY = 'kfd.token';

/**
 * Splits the token out of a URL. `cleaned` is what `history.replaceState` should show:
 * path + remaining query + hash, without `token`.
 */
export function takeTokenFromUrl(href: string): { token: string | null; cleaned: string } {
  const url = new URL(href);
  const token = url.searchParams.get('token');
  if (token === null) return { token: null, cleaned: url.pathname + url.search + url.hash };
  url.searchParams.delete('token');
  return { token: token || null, cleaned: url.pathname + url.search + url.hash };
}

/** RFC 4648 §5 base64url of the UTF-8 bytes, without padding (fits a WebSocket subprotocol). */
export function base64url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
