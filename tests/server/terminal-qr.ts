import jsQRModule from "jsqr";

// A CommonJS module whose exports are the function, with itself as `default` too.
const jsQR = jsQRModule.default;

const ESCAPES = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");

/**
 * Reads the QR codes `qrcode` drew in a terminal (`small: true`: each character is two rows of
 * modules, dark on a light background) out of `output`, and decodes each with jsQR, as a phone's
 * camera would read the screen. Returns the decoded texts in order.
 */
export function decodeTerminalQrCodes(output: string): string[] {
  const found: string[] = [];
  let block: string[] = [];
  const flush = () => {
    if (block.length > 0) {
      const text = decode(block);
      if (text !== undefined) found.push(text);
    }
    block = [];
  };
  for (const line of output.split("\n")) {
    // Each row of the code starts with the light background escape (47m).
    if (line.includes("\u001b[47m")) block.push(line);
    else flush();
  }
  flush();
  return found;
}

function decode(lines: string[]): string | undefined {
  // The last line draws only the top half of its characters (the bottom is the quiet zone).
  const rows: boolean[][] = [];
  for (const line of lines) {
    const plain = line.replace(ESCAPES, "");
    const lastRow = line.includes("\u001b[37m");
    const top = [...plain].map((char) => !lastRow && (char === "█" || char === "▀"));
    const bottom = [...plain].map((char) => !lastRow && (char === "█" || char === "▄"));
    rows.push(top, bottom);
  }
  const width = Math.max(...rows.map((row) => row.length));
  const scale = 6;
  const margin = 4;
  const size = { width: (width + 2 * margin) * scale, height: (rows.length + 2 * margin) * scale };
  const pixels = new Uint8ClampedArray(size.width * size.height * 4).fill(255);
  rows.forEach((row, y) => {
    row.forEach((dark, x) => {
      if (!dark) return;
      for (let dy = 0; dy < scale; dy++) {
        for (let dx = 0; dx < scale; dx++) {
          const offset = (((y + margin) * scale + dy) * size.width + (x + margin) * scale + dx) * 4;
          pixels.fill(0, offset, offset + 3);
        }
      }
    });
  });
  return jsQR(pixels, size.width, size.height)?.data;
}
