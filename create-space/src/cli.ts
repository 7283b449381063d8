import { run } from "./create.js";

process.exitCode = await run(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  isTTY: Boolean(process.stdin.isTTY && process.stdout.isTTY),
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
