// The visitor's slip for the hall's receipt printer: the take-away drawn on a
// canvas in the visitor's language — the webview's fonts draw every script,
// right to left where it reads so — with the ticket code large, then made the
// 1-bit raster the core sends to the printer as ESC/POS.
import type { Raster } from "./bindings";
import type { Takeaway } from "./takeaway";

/** 80 mm paper at 203 dpi. */
const WIDTH = 576;
const MARGIN = 16;
const FONT = `"Atkinson Hyperlegible", "WenQuanYi Micro Hei", sans-serif`;

type Run = { text: string; size: number; bold: boolean; gap: number };

/** `text` cut into lines that fit `max` pixels: at spaces, or anywhere in a word too long (as in Chinese). */
function wrap(context: CanvasRenderingContext2D, text: string, max: number): string[] {
  const out: string[] = [];
  let line = "";
  for (const token of text.split(/(\s+)/)) {
    if (context.measureText(line + token).width <= max) {
      line += token;
      continue;
    }
    if (line.trim()) out.push(line.trim());
    line = "";
    for (const c of token.trimStart()) {
      if (context.measureText(line + c).width > max && line) {
        out.push(line);
        line = "";
      }
      line += c;
    }
  }
  if (line.trim()) out.push(line.trim());
  return out;
}

export function drawSlip(t: Takeaway, dir: "ltr" | "rtl"): Raster {
  const runs: Run[] = [
    { text: t.title, size: 30, bold: true, gap: 12 },
    ...(t.ticket ? [{ text: t.ticketLabel, size: 26, bold: false, gap: 0 }, { text: t.ticket, size: 150, bold: true, gap: 16 }] : []),
    ...t.lines.map((text) => ({ text, size: 24, bold: false, gap: 6 })),
  ];
  const canvas = document.createElement("canvas");
  canvas.width = WIDTH;
  const measure = canvas.getContext("2d");
  if (!measure) throw new Error("dessin du ticket impossible");
  const laid = runs.flatMap((r) => {
    measure.font = `${r.bold ? "700 " : ""}${r.size}px ${FONT}`;
    const lines = wrap(measure, r.text, WIDTH - 2 * MARGIN);
    return lines.map((text, i) => ({ ...r, text, gap: i === lines.length - 1 ? r.gap : 0 }));
  });
  canvas.height = Math.ceil(laid.reduce((h, r) => h + r.size * 1.25 + r.gap, 2 * MARGIN));
  const context = canvas.getContext("2d");
  if (!context) throw new Error("dessin du ticket impossible");
  context.fillStyle = "#fff";
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.fillStyle = "#000";
  context.textBaseline = "top";
  context.direction = dir;
  let y = MARGIN;
  for (const r of laid) {
    context.font = `${r.bold ? "700 " : ""}${r.size}px ${FONT}`;
    const large = r.size > 100;
    context.textAlign = large ? "center" : "start";
    context.fillText(r.text, large ? WIDTH / 2 : dir === "rtl" ? WIDTH - MARGIN : MARGIN, y);
    y += r.size * 1.25 + r.gap;
  }
  const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
  const widthBytes = WIDTH / 8;
  const dots = new Array<number>(widthBytes * canvas.height).fill(0);
  for (let row = 0; row < canvas.height; row++) {
    for (let x = 0; x < WIDTH; x++) {
      const i = (row * WIDTH + x) * 4;
      if (data[i] + data[i + 1] + data[i + 2] < 384) dots[row * widthBytes + (x >> 3)] |= 0x80 >> (x & 7);
    }
  }
  return { width_bytes: widthBytes, height: canvas.height, dots };
}
