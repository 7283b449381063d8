import type { NetworkInterfaceInfo } from "node:os";
import { describe, expect, it } from "vitest";
import { serverAddresses } from "./network.js";

const entry = (address: string, family: "IPv4" | "IPv6", internal = false) =>
  ({ address, family, internal, netmask: "", mac: "", cidr: null }) as NetworkInterfaceInfo;

const interfaces = {
  lo: [entry("127.0.0.1", "IPv4", true), entry("::1", "IPv6", true)],
  eth0: [entry("192.168.1.20", "IPv4"), entry("fe80::1", "IPv6")],
  wlan0: [entry("10.0.0.7", "IPv4")],
};

describe("serverAddresses", () => {
  it("lists the IPv4 address of every external interface for a wildcard bind", () => {
    expect(serverAddresses("0.0.0.0", 7860, interfaces)).toEqual({
      local: "http://localhost:7860",
      network: ["http://192.168.1.20:7860", "http://10.0.0.7:7860"],
    });
    expect(serverAddresses("::", 80, interfaces).network).toEqual([
      "http://192.168.1.20:80",
      "http://10.0.0.7:80",
    ]);
  });

  it("has no Network URL on loopback, and the address itself for any other bind", () => {
    expect(serverAddresses("127.0.0.1", 7860, interfaces)).toEqual({
      local: "http://127.0.0.1:7860",
      network: [],
    });
    expect(serverAddresses("10.0.0.7", 7860, interfaces)).toEqual({
      local: "http://10.0.0.7:7860",
      network: ["http://10.0.0.7:7860"],
    });
    expect(serverAddresses("fd00::2", 7860, interfaces).local).toBe("http://[fd00::2]:7860");
  });
});
