// Copies the built page (components/dist/app) into this package as ui/, and its server rendering
// (components/dist/ssr) as ui/ssr/, so installing `spacecraft` is enough to serve a Space.
import { cpSync, existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const from = fileURLToPath(new URL("../../components/dist/app/", import.meta.url));
const ssr = fileURLToPath(new URL("../../components/dist/ssr/", import.meta.url));
const to = fileURLToPath(new URL("../ui/", import.meta.url));
if (!existsSync(from) || !existsSync(ssr)) {
  console.error(`copy-ui: ${from} or ${ssr} is missing; build @spacecraft/components first.`);
  process.exit(1);
}
rmSync(to, { recursive: true, force: true });
cpSync(from, to, { recursive: true });
cpSync(ssr, join(to, "ssr"), { recursive: true });
