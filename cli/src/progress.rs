//! Progress bars for long work, on standard error when it is a terminal (never when
//! piped or redirected, so output files and logs stay clean).

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

/// Files smaller than this are read too fast for a bar to help.
const MIN_BYTES: u64 = 8 << 20;

/// A bar over the bytes of a file being read; hidden for small files and off a terminal.
pub fn bytes(total: u64, name: &str) -> ProgressBar {
    if total < MIN_BYTES || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template("{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec}, {eta}")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
    bar.set_style(style);
    bar.set_message(format!("reading {name}"));
    bar
}

/// A bar over steps (e.g. periods evaluated); hidden for fewer than `min` steps and off a terminal.
pub fn steps(total: usize, min: usize, what: &str) -> ProgressBar {
    if total < min || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len}")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
    bar.set_style(style);
    bar.set_message(what.to_owned());
    bar
}
