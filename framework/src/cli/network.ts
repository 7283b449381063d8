import { networkInterfaces } from "node:os";

/** Where a server can be reached: on this machine, and from other machines on the network. */
export interface ServerAddresses {
  local: string;
  network: string[];
}

/**
 * The Local URL and each Network URL of a server bound to `host` on `port`, as Vite prints
 * them: a wildcard bind (`0.0.0.0`, `::`) is reachable at the IPv4 address of every external
 * interface; a loopback bind at none; any other address at itself.
 */
export function serverAddresses(
  host: string,
  port: number,
  interfaces = networkInterfaces(),
): ServerAddresses {
  const url = (address: string) => `http://${address.includes(":") ? `[${address}]` : address}:${port}`;
  const bare = host.replace(/^\[|\]$/g, "");
  if (bare === "0.0.0.0" || bare === "::") {
    const network = Object.values(interfaces)
      .flatMap((list) => list ?? [])
      .filter((entry) => entry.family === "IPv4" && !entry.internal)
      .map((entry) => url(entry.address));
    return { local: url("localhost"), network: [...new Set(network)] };
  }
  if (bare === "localhost" || bare.startsWith("127.") || bare === "::1") {
    return { local: url(bare), network: [] };
  }
  return { local: url(bare), network: [url(bare)] };
}

/** A QR code of `text` drawn with half blocks, two rows of modules a line, for a terminal. */
export async function terminalQrCode(text: string): Promise<string> {
  // Loaded here: only --host and --share draw one, and every start should not pay for it.
  const { default: QRCode } = await import("qrcode");
  return QRCode.toString(text, { type: "terminal", small: true });
}

/** The lines that say where the server is: Local, each Network URL, and a QR code of the first. */
export async function addressLines(addresses: ServerAddresses): Promise<string> {
  const lines = [`  Local:   ${addresses.local}`];
  for (const url of addresses.network) lines.push(`  Network: ${url}`);
  const [first] = addresses.network;
  if (first === undefined) return lines.join("\n");
  lines.push("", `  Scan to open ${first} on a phone on the same network:`, "", await terminalQrCode(first));
  return lines.join("\n");
}
