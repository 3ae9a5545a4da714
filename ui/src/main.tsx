// Entry point: the app on the in-memory backend until the Tauri shell
// provides the real one.
import { render } from "preact";
import "@fontsource/atkinson-hyperlegible/400.css";
import "@fontsource/atkinson-hyperlegible/700.css";
import "./style.css";
import { App } from "./app";
import { FakeBackend } from "./fake";

const root = document.getElementById("app");
if (root) render(<App backend={new FakeBackend()} />, root);
