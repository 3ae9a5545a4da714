// Entry point: the real core through the Tauri shell, or, in a plain browser
// (tests, demos), the in-memory backend.
import { render } from "preact";
import "@fontsource/atkinson-hyperlegible/400.css";
import "@fontsource/atkinson-hyperlegible/700.css";
import "./style.css";
import { App } from "./app";
import { FakeBackend } from "./fake";
import { TauriBackend, inTauri } from "./tauri";

const root = document.getElementById("app");
if (root) render(<App backend={inTauri() ? new TauriBackend() : new FakeBackend()} />, root);
