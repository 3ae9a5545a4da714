// Entry point. Served by the mairie server at /guichet or /ecran: the counter
// desk or the call display, over HTTP. Otherwise the tablet: the real core
// through the Tauri shell or, in a plain browser (tests, demos), the
// in-memory backend. Each is loaded only where it runs.
import { render } from "preact";
import "@fontsource/atkinson-hyperlegible/400.css";
import "@fontsource/atkinson-hyperlegible/700.css";
import "./style.css";
import type { Backend } from "./backend";
import { inTauri, tauriBackend } from "./tauri";

async function tablet(root: HTMLElement) {
  const { App } = await import("./app");
  const backend: Backend = inTauri() ? tauriBackend() : new (await import("./fake")).FakeBackend();
  render(<App backend={backend} />, root);
}

async function screen(root: HTMLElement, path: string) {
  const { HttpBackend } = await import("./http");
  const backend = new HttpBackend();
  if (path.startsWith("/ecran")) {
    const { CallDisplay } = await import("./desk/display");
    render(<CallDisplay backend={backend} />, root);
  } else {
    const { CounterDesk } = await import("./desk/counter");
    render(<CounterDesk backend={backend} />, root);
  }
}

const root = document.getElementById("app");
const path = location.pathname;
if (root) void (path.startsWith("/guichet") || path.startsWith("/ecran") ? screen(root, path) : tablet(root));
