const UNITS = ["KB", "MB", "GB", "TB"] as const;

/**
 * A size for people, in binary units with at most one decimal: `512 B`, `64 KB`, `3.4 MB`, `2 GB`.
 *
 * @example formatBytes(65_536) // "64 KB"
 */
export function formatBytes(bytes: number): string {
  if (!(bytes >= 1024)) return `${Math.max(0, Math.round(bytes || 0))} B`;
  let value = bytes;
  let unit = 0;
  for (value /= 1024; value >= 1023.95 && unit < UNITS.length - 1; unit++) value /= 1024;
  return `${Number(value.toFixed(1))} ${UNITS[unit]}`;
}
