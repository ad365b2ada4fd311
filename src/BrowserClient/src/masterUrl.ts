import { EnslavismError, EnslavismErrorReason } from './errors.js';

/** The path of the client endpoint, appended to the master base URL as Enslavism 0.9 did. */
export const CLIENT_ENDPOINT_PATH = '/enslavism/clients';

/**
 * Turns a master base URL into the client WebSocket URL: `ws://host:port` → `ws://host:port/enslavism/clients`.
 * `http:`/`https:` become `ws:`/`wss:`; a URL that already ends with the endpoint is kept; a relative URL is resolved
 * against the page.
 */
export function toClientEndpointUrl(masterUrl: string | URL): string {
  let url: URL;
  try {
    const base = (globalThis as { location?: { href: string } }).location?.href;
    url = base === undefined ? new URL(masterUrl) : new URL(masterUrl, base);
  } catch (e) {
    throw new EnslavismError(EnslavismErrorReason.InvalidArgument, `Not a URL: ${String(masterUrl)}`, { cause: e });
  }
  const scheme = ({ 'ws:': 'ws:', 'wss:': 'wss:', 'http:': 'ws:', 'https:': 'wss:' } as Record<string, string>)[url.protocol];
  if (scheme === undefined) {
    throw new EnslavismError(EnslavismErrorReason.InvalidArgument, `The master URL must be ws:, wss:, http: or https:, got ${url.protocol}`);
  }
  url.protocol = scheme;
  url.hash = '';
  const path = url.pathname.replace(/\/+$/, '');
  url.pathname = path.endsWith(CLIENT_ENDPOINT_PATH) ? path : path + CLIENT_ENDPOINT_PATH;
  return url.toString();
}
