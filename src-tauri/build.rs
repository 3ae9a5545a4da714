//! Tauri's build step: the app's configuration and capabilities.

fn main() {
    tauri_build::build();
}
