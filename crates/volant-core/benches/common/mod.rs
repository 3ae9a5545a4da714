//! Helpers shared by the benchmarks: timing and percentiles.

use std::time::{Duration, Instant};

/// Runs `f` once and returns how long it took.
pub fn time<T>(f: impl FnOnce() -> T) -> (Duration, T) {
    let start = Instant::now();
    let out = f();
    (start.elapsed(), out)
}

/// The `p`-th percentile (0–100) of `samples`, in microseconds.
pub fn percentile(samples: &mut [Duration], p: f64) -> f64 {
    samples.sort_unstable();
    if samples.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * (samples.len() - 1) as f64).round() as usize;
    samples[rank].as_secs_f64() * 1e6
}

/// Prints one line: name, count, p50 and p95 in microseconds.
pub fn report(name: &str, samples: &mut [Duration]) -> (f64, f64) {
    let (p50, p95) = (percentile(samples, 50.0), percentile(samples, 95.0));
    println!(
        "{name:<44} n={:<6} p50={p50:>9.1} µs  p95={p95:>9.1} µs",
        samples.len()
    );
    (p50, p95)
}
