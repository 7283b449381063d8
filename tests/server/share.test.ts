import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { get } from "node:http";
import { networkInterfaces, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@gradio/client";
import * as sc from "spacecraft";
import { serve } from "spacecraft/server";
import type { Dispatcher } from "undici";
import { getGlobalDispatcher, setGlobalDispatcher } from "undici";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { CliRun } from "./share-helpers.js";
import {
  isRunning,
  PATH_WITH_STAND_IN,
  PATH_WITHOUT_TUNNEL,
  poll,
  runCli,
  standInStarts,
  tunnelDispatcher,
} from "./share-helpers.js";
import { decodeTerminalQrCodes } from "./terminal-qr.js";
import { connect } from "./ws-client.js";

const app = fileURLToPath(new URL("./fixtures/share-app.ts", import.meta.url));
const SHARED = /shared at (https:\/\/[a-z0-9-]+\.trycloudflare\.com)/;
const RUNNING = /running at (http:\/\/\S+)/;

const tunnels = tunnelDispatcher();
let previousDispatcher: Dispatcher;
beforeAll(() => {
  // Node's fetch (and so @gradio/client) reaches *.trycloudflare.com at the stand-in's port.
  previousDispatcher = getGlobalDispatcher();
  setGlobalDispatcher(tunnels.dispatcher);
});
afterAll(() => setGlobalDispatcher(previousDispatcher));

let runs: CliRun[] = [];
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "spacecraft-share-"));
});
afterEach(async () => {
  for (const run of runs) run.child.kill("SIGKILL");
  await Promise.all(runs.map((run) => run.exited));
  for (const start of standInStarts(join(dir, "stand-in.log"))) {
    if (isRunning(start.pid)) process.kill(start.pid, "SIGKILL");
  }
  rmSync(join(dir, "stand-in.log"), { force: true });
  runs = [];
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts the CLI with the stand-in on the PATH; resolves once it printed its public URL. */
async function startShared(args: string[], env: NodeJS.ProcessEnv = {}) {
  const log = join(dir, "stand-in.log");
  const run = runCli(args, { PATH: PATH_WITH_STAND_IN, CLOUDFLARED_STANDIN_LOG: log, ...env });
  runs.push(run);
  const local = (await run.waitFor(RUNNING, "the local URL"))[1] as string;
  const url = (await run.waitFor(SHARED, "the public URL"))[1] as string;
  const start = await poll("the stand-in's log of its start", () =>
    standInStarts(log).find((entry) => entry.url === url),
  );
  tunnels.map.set(new URL(url).hostname, start.port);
  return { run, local, url, start, log };
}

/** The same URL reached as the stand-in serves it locally (plain HTTP; the real one is HTTPS). */
function plain(url: string): string {
  return url.replace(/^https:/, "http:");
}

describe("spacecraft start --share (through a stand-in cloudflared)", () => {
  it("prints the public URL with its QR code, lifetime and warnings; the page's routes and WebSocket work through it; the tunnel ends with the server", async () => {
    const { run, local, url, start } = await startShared(["start", app, "--port", "0", "--share"]);
    const output = run.output();
    expect(decodeTerminalQrCodes(output), "the QR code printed should read as the public URL").toContain(url);
    expect(output).toContain("The link lives as long as this process runs");
    expect(output).toContain(
      "Anyone with the link can use this demo. To require sign-in, pass --auth user:password.",
    );
    expect(output).toContain("To share the Gradio API, use --share=ngrok.");

    const host = new URL(url).hostname;
    const config = await fetch(`${plain(url)}/config`);
    expect(config.status, "GET /config through the tunnel").toBe(200);
    expect(((await config.json()) as { title: string }).title).toBe("Shared echo");

    // A browser on the public page sends Origin https://<name> and Host <name>: the WebSocket is same-origin.
    const client = await connect(`http://127.0.0.1:${start.port}`, { host, origin: url });
    client.send({ type: "predict", id: "1", endpoint: 0, data: ["hello"] });
    expect(await client.end("1")).toMatchObject({ type: "complete", data: ["HELLO"] });
    await client.close();

    // Only that exact name is let in, not every trycloudflare.com name.
    expect(await statusFor(`${local}/config`, "someone-else.trycloudflare.com")).toBe(403);

    run.child.kill("SIGINT");
    expect(await run.exited).toBe(0);
    await poll("the stand-in cloudflared to exit with the server", () =>
      isRunning(start.pid) ? undefined : true,
    );
  });

  it("@gradio/client predict gets its result through the tunnel, but streamed output is held back until the run ends", async () => {
    const gate = join(dir, "gate");
    const { local, url } = await startShared(["start", app, "--port", "0", "--share"], { SHARE_GATE: gate });

    // Through the tunnel, a plain predict finishes: the server closes the event stream once idle.
    const tunnelled = await Client.connect(plain(url));
    expect((await tunnelled.predict("/predict", ["through"])).data).toEqual(["THROUGH"]);

    /** Submits "gated", waits until fn has yielded "first", and returns the data seen so far. */
    const runGated = async (base: string) => {
      rmSync(gate, { force: true });
      rmSync(`${gate}.reached`, { force: true });
      const client = await Client.connect(base, { events: ["data", "status"] });
      const data: unknown[] = [];
      const done = (async () => {
        for await (const event of client.submit("/predict", ["gated"])) {
          if (event.type === "data") data.push(event.data[0]);
        }
      })();
      await poll("fn to yield its first step", () => existsSync(`${gate}.reached`) || undefined);
      return { data, done };
    };

    // Directly, the first step arrives while the run is still going.
    const direct = await runGated(local);
    await poll("the first step to arrive directly", () => (direct.data.includes("first") ? true : undefined));
    writeFileSync(gate, "");
    await direct.done;

    // Through the tunnel, nothing arrives while the run is going (the stand-in holds the
    // text/event-stream body, as Cloudflare's quick tunnels do); all of it comes at the end.
    const shared = await runGated(plain(url));
    // A fixed wait for something that must not happen; the gate holds the run, so slowness cannot
    // fail this, though it could let a leak go unseen here (it is seen on a quick machine).
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(shared.data, "no streamed step should pass the tunnel before the stream ends").toEqual([]);
    writeFileSync(gate, "");
    await shared.done;
    expect(shared.data, "everything arrives in the end, as it did directly").toEqual(direct.data);
    expect(shared.data.at(-1)).toBe("first second");
  });

  it("restarts a tunnel that dies once, with a new URL; after a second death it stops sharing and keeps serving", async () => {
    const { run, local, url, start, log } = await startShared(["start", app, "--port", "0", "--share"]);
    process.kill(start.pid, "SIGKILL");
    await run.waitFor(/tunnel stopped \(killed by SIGKILL\)\. Starting it once more/, "the restart message");
    const second = await poll("a second stand-in start", () => standInStarts(log)[1]);
    await run.waitFor(new RegExp(`shared at ${second.url.replace(/\./g, "\\.")}`), "the new URL");
    expect(second.url).not.toBe(url);
    tunnels.map.set(new URL(second.url).hostname, second.port);
    expect((await fetch(`${plain(second.url)}/config`)).status, "the new URL serves").toBe(200);
    expect(
      await statusFor(`${local}/config`, new URL(url).hostname),
      "the dead tunnel's name is no longer let in",
    ).toBe(403);

    process.kill(second.pid, "SIGKILL");
    await run.waitFor(
      /tunnel stopped again \(killed by SIGKILL\)\. Sharing has stopped\./,
      "the give-up message",
    );
    expect(run.output()).toContain(`The demo is served locally only, at ${local}.`);
    expect((await fetch(`${local}/config`)).status, "the server still serves locally").toBe(200);
    expect(standInStarts(log)).toHaveLength(2);
  });

  it("says how to get a tunnel when there is none, and keeps serving locally", async () => {
    // A bare --share before the app path.
    const run = runCli(["start", "--share", app, "--port", "0"], { PATH: PATH_WITHOUT_TUNNEL });
    runs.push(run);
    const local = (await run.waitFor(RUNNING, "the local URL"))[1] as string;
    await run.waitFor(/served locally only/, "the no-tunnel message");
    const output = run.output();
    expect(output).toContain("--share found no tunnel to share through.");
    expect(output).toContain(
      "https://developers.cloudflare.com/cloudflare-one/connections/connect-networks/downloads/",
    );
    expect(output).toContain("NGROK_AUTHTOKEN (https://dashboard.ngrok.com/get-started/your-authtoken)");
    expect((await fetch(`${local}/config`)).status).toBe(200);
  });

  it("says why cloudflared could not open a tunnel, with its own words, and keeps serving locally", async () => {
    const run = runCli(["start", app, "--port", "0", "--share=cloudflared"], {
      PATH: PATH_WITH_STAND_IN,
      CLOUDFLARED_STANDIN_OFFLINE: "1",
    });
    runs.push(run);
    const local = (await run.waitFor(RUNNING, "the local URL"))[1] as string;
    await run.waitFor(/served locally only/, "the failure message");
    const output = run.output();
    expect(output).toContain(
      "could not share through cloudflared: cloudflared exited with code 1 before it printed its URL.",
    );
    expect(output).toContain("lookup api.trycloudflare.com: no such host");
    expect((await fetch(`${local}/config`)).status).toBe(200);
  });

  it("asks for @ngrok/ngrok when --share=ngrok has a token but not the package", async () => {
    const run = runCli(["start", app, "--port", "0", "--share=ngrok"], {
      PATH: PATH_WITHOUT_TUNNEL,
      NGROK_AUTHTOKEN: "test-token",
    });
    runs.push(run);
    const local = (await run.waitFor(RUNNING, "the local URL"))[1] as string;
    await run.waitFor(/served locally only/, "the ngrok message");
    expect(run.output()).toContain("Run npm install @ngrok/ngrok");
    expect((await fetch(`${local}/config`)).status).toBe(200);
  });

  it("refuses an unknown provider", async () => {
    const run = runCli(["start", app, "--share=frp"], { PATH: PATH_WITHOUT_TUNNEL });
    runs.push(run);
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain('--share takes cloudflared or ngrok, not "frp"');
  });
});

describe("serve's allowHost", () => {
  it("lets one exact host name in, takes it back, and refuses anything but a host name", async () => {
    const server = await serve(
      sc.Interface({ fn: (text) => text, inputs: [sc.Textbox()], outputs: [sc.Textbox()] }),
      {
        port: 0,
        logError: () => {},
      },
    );
    try {
      const name = "amber-basin-cedar-delta.trycloudflare.com";
      expect(await statusFor(`${server.url}/config`, name)).toBe(403);
      const disallow = server.allowHost(name);
      expect(await statusFor(`${server.url}/config`, name)).toBe(200);
      expect(await statusFor(`${server.url}/config`, `x.${name}`)).toBe(403);
      // A tunnel that rewrites Host to the local address: the page at the public name is still ours.
      expect(await upgradeFrom(server.url, `https://${name}`), "WebSocket from the tunnel's page").toBe(
        "open",
      );
      disallow();
      expect(await statusFor(`${server.url}/config`, name)).toBe(403);
      expect(await upgradeFrom(server.url, `https://${name}`), "after the tunnel ended").toBe(403);
      for (const bad of [
        ".trycloudflare.com",
        "*.trycloudflare.com",
        "https://a.example",
        "a.example:443",
        "",
      ]) {
        expect(() => server.allowHost(bad), bad).toThrow("is not a host name");
      }
    } finally {
      await server.close({ timeoutMs: 100 });
    }
  });
});

/** A WebSocket upgrade to `/ws` with this Origin (Host stays the local address): "open", or the refusal's status. */
function upgradeFrom(url: string, origin: string): Promise<"open" | number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${url.replace(/^http/, "ws")}/ws`, { origin });
    socket.on("open", () => {
      socket.close();
      resolve("open");
    });
    socket.on("unexpected-response", (_request, response) => resolve(response.statusCode ?? 0));
    socket.on("error", reject);
  });
}

describe("spacecraft dev --share", () => {
  it("keeps one tunnel and its URL across restarts, and ends it with the server", async () => {
    const appDir = mkdtempSync(join(fileURLToPath(new URL("./fixtures/", import.meta.url)), ".share-"));
    try {
      const devApp = join(appDir, "app.ts");
      writeFileSync(devApp, appSource("First"));
      const { run, url, start, log } = await startShared(["dev", devApp, "--port", "0", "--share"]);
      const title = async () => {
        const response = await fetch(`${plain(url)}/config`);
        return response.ok ? ((await response.json()) as { title: string }).title : `HTTP ${response.status}`;
      };
      expect(await title()).toBe("First");
      writeFileSync(devApp, appSource("Second"));
      await poll("the restarted server to answer through the same URL", async () =>
        (await title().catch(() => "")) === "Second" ? true : undefined,
      );
      expect(standInStarts(log), "one tunnel for both servers").toHaveLength(1);
      run.child.kill("SIGTERM");
      await run.exited;
      await poll("the stand-in to exit with spacecraft dev", () => (isRunning(start.pid) ? undefined : true));
    } finally {
      rmSync(appDir, { recursive: true, force: true });
    }
  });
});

describe("spacecraft start --host", () => {
  it("listens on every interface and prints the Local URL, each Network URL and a QR code of the first", async () => {
    const run = runCli(["start", "--host", app, "--port", "0"], { PATH: PATH_WITHOUT_TUNNEL });
    runs.push(run);
    const port = new URL((await run.waitFor(RUNNING, "the local URL"))[1] as string).port;
    const addresses = Object.values(networkInterfaces())
      .flatMap((list) => list ?? [])
      .filter((entry) => entry.family === "IPv4" && !entry.internal)
      .map((entry) => entry.address);
    expect(addresses.length, "this test needs a machine with a network interface").toBeGreaterThan(0);
    await run.waitFor(/Local: +http:\/\/localhost:\d+/, "the Local line");
    const first = `http://${addresses[0]}:${port}`;
    await run.waitFor(new RegExp(`Scan to open ${first.replace(/\./g, "\\.")}`), "the QR code's caption");
    for (const address of addresses) expect(run.output()).toContain(`Network: http://${address}:${port}`);
    await poll("the QR code to be printed in full", () =>
      decodeTerminalQrCodes(run.output()).includes(first) ? true : undefined,
    );
    expect((await fetch(`${first}/config`)).status, "reachable at the Network URL").toBe(200);
  });

  it("still takes an address: --host 127.0.0.1 prints no Network URL", async () => {
    const run = runCli(["start", app, "--host", "127.0.0.1", "--port", "0"], { PATH: PATH_WITHOUT_TUNNEL });
    runs.push(run);
    const local = (await run.waitFor(/Local: +(http:\/\/\S+)/, "the Local line"))[1] as string;
    expect(local).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(run.output()).not.toContain("Network:");
  });
});

/** The status of a GET sent with this Host header (fetch would not send it). */
function statusFor(url: string, host: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    get(url, { headers: { host } }, (response) => {
      response.resume();
      resolve(response.statusCode);
    }).on("error", reject);
  });
}

function appSource(title: string): string {
  return `import * as sc from "spacecraft";

export default sc.Interface({
  title: ${JSON.stringify(title)},
  fn: (text) => text,
  inputs: [sc.Textbox()],
  outputs: [sc.Textbox()],
});
`;
}
