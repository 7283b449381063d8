// What the browser tests of a Space's own element share: the Space served by `serve` in the file's
// Chromium, and static builds of it served by a plain static server (tests/static/static-site.ts
// builds them). `customElementSuite()` registers its own `beforeAll`/`afterAll`: call it at the top
// of a file.
import type { Space } from "spacecraft";
import { afterAll, beforeAll, expect } from "vitest";
import { serveFolders } from "../static/static-server.js";
import { staticSites } from "../static/static-site.js";
import type { SpacePage, SpaceServer } from "./harness.js";
import { openSpacePage, serveSpace } from "./harness.js";

/** The file's served Space and its static builds; see the file's header. */
export interface CustomElementSuite {
  /** The Space served by `serve` (started in `beforeAll`). */
  readonly space: SpaceServer;
  /** Builds `app` (relative to the repository) with `spacecraft build --static`; the build's folder. */
  buildStatic(app: string): Promise<string>;
  /** Serves a static build under `prefix` and opens it once its `<sc-app>` is ready. */
  openStatic(dir: string, prefix?: string): Promise<SpacePage>;
}

/** Sets up the file's browser, serves `space` on it and closes both (and the static servers) after its tests. */
export function customElementSuite(name: string, space: Space): CustomElementSuite {
  const sites = staticSites(name);
  const closers: (() => Promise<void>)[] = [];
  let served: SpaceServer | undefined;
  beforeAll(async () => {
    served = await serveSpace(sites.browser, space);
    // The first visit renders the page on the server: done here, not inside a page's load deadline.
    expect((await fetch(served.server.url)).status).toBe(200);
  });
  afterAll(async () => {
    await Promise.all(closers.map((close) => close()));
    await served?.close();
  });
  return {
    get space() {
      if (!served) throw new Error("The Space is served in beforeAll: use it inside a test.");
      return served;
    },
    async buildStatic(app) {
      return (await sites.build(app, "static")).dir;
    },
    async openStatic(dir, prefix = "/") {
      const server = await serveFolders({ [prefix]: dir });
      closers.push(server.close);
      return openSpacePage(sites.browser.context, `${server.url}${prefix}`);
    },
  };
}
