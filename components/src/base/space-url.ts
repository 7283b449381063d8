let base: URL | undefined;

/**
 * Sets where the Space is (its base URL, ending in `/`): `<sc-app src="https://SPACE/">` on a
 * page of another site sets it, so config, WebSocket, uploads and files go to the Space.
 */
export function setSpaceBase(url: URL): void {
  base = url;
}

/** A URL of the Space: `path` relative to its base (the page's own unless embedded). */
export function spaceUrl(path: string): URL {
  return new URL(path, base ?? document.baseURI);
}

/** True when the Space is on another origin than the page (the page embeds it). */
export function embedded(): boolean {
  return base !== undefined && base.origin !== location.origin;
}
