// Entry point: the real core through the Tauri shell, or, in a plain browser
// (tests, demos), the in-memory backend — loaded only then, so the app does
// not carry the test backend and its copy of the catalogue.
import { render } from "preact";
import "@fontsource/atkinson-hyperlegible/400.css";
import "@fontsource/atkinson-hyperlegible/700.css";
import "./style.css";
import { App } from "./app";
import type { Backend } from "./backend";
import { TauriBackend, inTauri } from "./tauri";

async function backend(): Promise<Backend> {
  return inTauri() ? new TauriBackend() : new (await import("./fake")).FakeBackend();
}

const root = document.getElementById("app");
if (root) backend().then((b) => render(<App backend={b} />, root));
