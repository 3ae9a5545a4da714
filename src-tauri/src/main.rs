//! Volant's tablet app: the Tauri shell. It opens the core's store off the
//! main thread, runs the sync engine in the background, and exposes the
//! core to the UI through thin async commands (`commands.rs`).
//!
//! Architecture invariant: no business logic and no SQL here; every command
//! is one call into `volant-core`, errors cross IPC as `{code, message}`.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

#[macro_use]
mod ipc;
mod commands;
mod core;

/// Forms, lists and a few charts need no GPU compositing: without it the
/// WebKit web process holds about 80 MiB less, and typing stays as fast.
#[cfg(target_os = "linux")]
fn lean_webview(app: &tauri::App) -> tauri::Result<()> {
    use tauri::Manager;
    use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
    for window in app.webview_windows().values() {
        window.with_webview(|webview| {
            if let Some(settings) = webview.inner().settings() {
                settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
            }
        })?;
    }
    Ok(())
}

fn main() {
    let state = core::Shared::default();
    let app = tauri::Builder::default()
        .manage(state.clone())
        .setup(move |app| {
            #[cfg(target_os = "linux")]
            lean_webview(app)?;
            tauri::async_runtime::spawn(async move { state.start().await });
            Ok(())
        })
        .invoke_handler(commands::handler())
        .run(tauri::generate_context!());
    if let Err(e) = app {
        eprintln!("volant-app : {e}");
        std::process::exit(1);
    }
}
