import { defineConfig } from "vite";
import pkg from "./package.json" with { type: "json" };

// Preact through esbuild's automatic JSX runtime: no framework plugin needed.
export default defineConfig({
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  define: { __APP_VERSION__: JSON.stringify(pkg.version) },
  server: { fs: { allow: [".."] } },
  build: { outDir: "dist", emptyOutDir: true, target: "es2022" },
});
