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

/// The web process inherits this process's environment, so JavaScriptCore's
/// options for it are set here. No JIT: the page's scripts are small and the
/// search runs in Rust, so typing is as fast without it, and the web process
/// holds about 30 MiB less after a morning's visits (the JIT's code and its
/// working memory); no writable executable memory either, as in Safari's
/// Lockdown Mode. An option already set from outside wins.
#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
fn lean_web_process() {
    if std::env::var_os("JSC_useJIT").is_none() {
        // SAFETY: called first in `main`, before any thread exists, so no
        // other code reads or writes the environment at the same time.
        unsafe { std::env::set_var("JSC_useJIT", "false") };
    }
}

fn main() {
    #[cfg(target_os = "linux")]
    lean_web_process();
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
