// Copies the built page (components/dist/app) into this package as ui/, so installing
// `spacecraft` is enough to serve a Space.
import { cpSync, existsSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";

const from = fileURLToPath(new URL("../../components/dist/app/", import.meta.url));
const to = fileURLToPath(new URL("../ui/", import.meta.url));
if (!existsSync(from)) {
  console.error(`copy-ui: ${from} is missing; build @spacecraft/components first.`);
  process.exit(1);
}
rmSync(to, { recursive: true, force: true });
cpSync(from, to, { recursive: true });
