// Serves a Space in a process of its own, so that the bench driving the browser does not share its
// event loop: `tsx bench/serve-app.ts <module>` prints the port, then serves until killed or until
// its standard input closes (its parent is gone).
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Space } from "spacecraft";
import { serve } from "spacecraft/server";

const module = process.argv[2];
if (!module) {
  console.error("Usage: tsx bench/serve-app.ts <app module>");
  process.exit(2);
}
const space = ((await import(pathToFileURL(resolve(module)).href)) as { default: Space }).default;
const server = await serve(space, { port: 0 });
console.log(server.port);
process.stdin.on("end", () => process.exit());
process.stdin.resume();
