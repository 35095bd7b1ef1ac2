// Draws images/icon.png (128x128): a white "play" triangle between two braces on blue, the
// extension's icon. Run once with `node scripts/make-icon.mjs`; the PNG is committed.
import { mkdirSync, writeFileSync } from "node:fs";
import { deflateSync } from "node:zlib";

const size = 128;
const blue = [0x1f, 0x5f, 0xa8, 255];
const white = [255, 255, 255, 255];
const clear = [0, 0, 0, 0];

function inTriangle(x, y) {
  // Pointing right: from (50, 38) and (50, 90) to (88, 64).
  if (x < 50 || x > 88) return false;
  const half = ((88 - x) / 38) * 26;
  return Math.abs(y - 64) <= half;
}

function inBrace(x, y, left) {
  // A brace is a vertical bar with a notch at the middle, drawn from thick strokes.
  const cx = left ? 26 : 102;
  const dir = left ? 1 : -1;
  const bar = Math.abs(x - (cx + dir * 4)) <= 3 && y >= 30 && y <= 98 && Math.abs(y - 64) > 4;
  const tips = (y >= 27 && y <= 32) || (y >= 96 && y <= 101);
  const tip = tips && (x - cx) * dir >= 4 && (x - cx) * dir <= 12;
  const notch = Math.abs(y - 64) <= 3 && (cx - x) * dir >= -4 && (cx - x) * dir <= 3;
  return bar || tip || notch;
}

function pixel(x, y) {
  // A rounded square: corners of radius 20.
  const r = 20;
  const dx = Math.max(r - x, 0, x - (size - 1 - r));
  const dy = Math.max(r - y, 0, y - (size - 1 - r));
  if (dx * dx + dy * dy > r * r) return clear;
  if (inTriangle(x, y) || inBrace(x, y, true) || inBrace(x, y, false)) return white;
  return blue;
}

const raw = Buffer.alloc(size * (size * 4 + 1));
for (let y = 0; y < size; y++) {
  raw[y * (size * 4 + 1)] = 0; // filter: none
  for (let x = 0; x < size; x++) {
    Buffer.from(pixel(x, y)).copy(raw, y * (size * 4 + 1) + 1 + x * 4);
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
const header = Buffer.alloc(13);
header.writeUInt32BE(size, 0);
header.writeUInt32BE(size, 4);
header[8] = 8; // bit depth
header[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk("IHDR", header),
  chunk("IDAT", deflateSync(raw)),
  chunk("IEND", Buffer.alloc(0)),
]);
mkdirSync(new URL("../images/", import.meta.url), { recursive: true });
writeFileSync(new URL("../images/icon.png", import.meta.url), png);
