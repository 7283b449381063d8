// Starts `serve-app.ts` in a child process, for the benches that drive a browser.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const script = fileURLToPath(new URL("./serve-app.ts", import.meta.url));

/** A Space served by `serve-app.ts` in a child process: its URL, and how to stop it. */
export async function spawnServer(module: string): Promise<{ url: string; close(): void }> {
  const child = spawn(process.execPath, ["--import", "tsx", script, module], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.once("data", (chunk) => resolve(Number(String(chunk).trim())));
    child.once("exit", (code) => reject(new Error(`the server of ${module} exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, close: () => child.kill() };
}
