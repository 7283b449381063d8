import { execFile } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { promisify } from "node:util";
import { UsageError } from "./errors.js";

const run = promisify(execFile);

/** What a project needs to know of the spacecraft package it depends on. */
export interface SpacecraftPackage {
  version: string;
  /** Versions of the optional peers a template with a model lists (`@huggingface/transformers`). */
  peerDependencies: Record<string, string>;
  /** Copies or packs `spacecraft-<version>.tgz` into `dir` and returns its file name. */
  packInto(dir: string): Promise<string>;
}

interface Manifest {
  name: string;
  version: string;
  peerDependencies?: Record<string, string>;
}

/**
 * Finds the spacecraft package a new project depends on. Until spacecraft is on the public
 * registry, a project depends on a tarball in its own `vendor/` folder (a Docker Space then builds
 * from its own files). The tarball comes from create-space's `vendor/` (put there by
 * `scripts/bundle.mjs` when create-space is packed), or is packed with `npm pack` from the
 * monorepo's `framework/` beside create-space.
 */
export function findSpacecraft(createSpaceRoot: string): SpacecraftPackage {
  const bundled = join(createSpaceRoot, "vendor");
  const bundledManifest = join(bundled, "spacecraft-package.json");
  if (existsSync(bundledManifest)) {
    const manifest = JSON.parse(readFileSync(bundledManifest, "utf8")) as Manifest;
    const tarball = `spacecraft-${manifest.version}.tgz`;
    return {
      version: manifest.version,
      peerDependencies: manifest.peerDependencies ?? {},
      async packInto(dir) {
        mkdirSync(dir, { recursive: true });
        copyFileSync(join(bundled, tarball), join(dir, tarball));
        return tarball;
      },
    };
  }
  const framework = join(createSpaceRoot, "..", "framework");
  const manifestPath = join(framework, "package.json");
  const manifest = existsSync(manifestPath)
    ? (JSON.parse(readFileSync(manifestPath, "utf8")) as Manifest)
    : undefined;
  if (manifest?.name !== "spacecraft") {
    throw new UsageError(
      `create-space can't find the spacecraft package (no ${bundledManifest}, no ${manifestPath}). Reinstall create-space.`,
    );
  }
  return {
    version: manifest.version,
    peerDependencies: manifest.peerDependencies ?? {},
    async packInto(dir) {
      // Packed once per process (a test makes many projects), then copied.
      let packed = packedOnce[framework];
      if (!packed) {
        const cache = mkdtempSync(join(tmpdir(), "create-space-pack-"));
        packed = packFramework(framework, cache).then((name) => join(cache, name));
        packedOnce[framework] = packed;
      }
      const tarball = await packed.catch((error: unknown) => {
        delete packedOnce[framework];
        throw error;
      });
      const name = basename(tarball);
      mkdirSync(dir, { recursive: true });
      copyFileSync(tarball, join(dir, name));
      return name;
    },
  };
}

const packedOnce: Record<string, Promise<string>> = {};

/** `npm pack` of the monorepo's framework into `dir`; it must be built (dist/, dist/node/ and ui/). */
export async function packFramework(framework: string, dir: string): Promise<string> {
  for (const built of ["dist/index.js", "dist/node/main.js", "ui/index.html"]) {
    if (!existsSync(join(framework, built))) {
      throw new UsageError(
        `spacecraft is not built (${join(framework, built)} is missing). Run "npm run build" at the root of the Spacecraft repo, then try again.`,
      );
    }
  }
  mkdirSync(dir, { recursive: true });
  const { stdout } = await run(
    "npm",
    ["pack", "--pack-destination", dir, "--ignore-scripts", "--json", "--loglevel", "error"],
    { cwd: framework, shell: process.platform === "win32", maxBuffer: 16 * 1024 * 1024 },
  );
  const [packed] = JSON.parse(stdout) as { filename: string }[];
  const tarball = packed?.filename.replace(/^@.*\//, "") ?? "";
  if (!tarball || !readdirSync(dir).includes(tarball)) {
    throw new Error(`npm pack of ${framework} did not produce a tarball in ${dir}.`);
  }
  return tarball;
}
