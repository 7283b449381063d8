/**
 * Part of `embed.js`: a page that embeds a Space with a plain `<iframe src="https://SPACE/">`
 * and loads `embed.js` gets its frames sized to the app inside (which posts its height). Frames
 * that `<sc-app>` makes size themselves; this is for the page's own. Not part of the Space's page.
 */
addEventListener("message", (event: MessageEvent) => {
  const data = event.data as { type?: unknown; height?: unknown } | null;
  if (data?.type !== "spacecraft:height" || typeof data.height !== "number" || !(data.height > 0)) return;
  for (const frame of document.querySelectorAll("iframe")) {
    if (frame.contentWindow === event.source) frame.style.height = `${Math.ceil(data.height)}px`;
  }
});
