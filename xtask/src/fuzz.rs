//! `cargo xtask fuzz`: builds the libFuzzer targets of `fuzz/` with coverage
//! instrumentation (stable Rust, no `cargo fuzz` needed) and runs each for a while.
//!
//! The committed corpus (`fuzz/corpus/TARGET`) is read, never written: what a run finds
//! goes to `target/fuzz/corpus/TARGET`, and `--merge` adds to the committed corpus only the
//! inputs that reach code (edges) it does not reach yet. A crash stops the run with the input saved under
//! `target/fuzz/artifacts/TARGET/`; copy it to `fuzz/regressions/TARGET/` once fixed, and
//! `tests/fuzz_corpus.rs` runs it with every test run from then on.

use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// The targets, as `fuzz/Cargo.toml` names its binaries.
const TARGETS: &[&str] =
    &["framework", "coinr", "data_csv", "data_json", "data_xlsx", "submission", "evaluate", "merge"];

/// The instrumentation `cargo fuzz` would add (debug assertions and overflow checks are
/// set in `fuzz/Cargo.toml`'s profile, crate by crate).
const RUSTFLAGS: &str = "-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
    -Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
    -Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing";

/// The largest input tried: the largest seed (an indicator file with its data) fits.
const MAX_LEN: usize = 64 * 1024;

/// What one target's run did.
struct Run {
    target: String,
    executions: u64,
    seconds: f64,
    corpus: usize,
}

/// `cargo xtask fuzz [TARGET ...] [--time SECONDS] [--merge]`.
pub fn fuzz(args: &[String]) -> Result<()> {
    let seconds: u64 =
        super::flag(args, "--time").map(str::parse).transpose().context("--time takes seconds")?.unwrap_or(60);
    let merge = args.iter().any(|arg| arg == "--merge");
    let chosen: Vec<&str> = args
        .iter()
        .enumerate()
        .filter(|(index, arg)| !(arg.starts_with("--") || *index > 0 && args[index - 1] == "--time"))
        .map(|(_, arg)| arg.as_str())
        .collect();
    for target in &chosen {
        if !TARGETS.contains(target) {
            bail!("no fuzz target `{target}`; the targets are {}", TARGETS.join(", "));
        }
    }
    let targets = if chosen.is_empty() { TARGETS.to_vec() } else { chosen };
    let binaries = build()?;
    let mut runs = Vec::new();
    for target in targets {
        let run = if merge { merge_corpus(&binaries, target)? } else { run(&binaries, target, seconds)? };
        runs.push(run);
    }
    println!("\n{:<12} {:>14} {:>10} {:>12} {:>8}", "target", "executions", "seconds", "per second", "corpus");
    for run in &runs {
        let rate = run.executions as f64 / run.seconds.max(1e-9);
        println!("{:<12} {:>14} {:>10.0} {:>12.0} {:>8}", run.target, run.executions, run.seconds, rate, run.corpus);
    }
    Ok(())
}

/// Builds every target; gives the folder holding the binaries.
fn build() -> Result<PathBuf> {
    let host = host_triple()?;
    let target_dir = super::build_dir().join("fuzz");
    let manifest = super::workspace().join("fuzz/Cargo.toml");
    let target_dir_text = target_dir.to_string_lossy().into_owned();
    let manifest_text = manifest.to_string_lossy().into_owned();
    super::cargo(
        &["build", "--release", "--manifest-path", &manifest_text, "--target", &host, "--target-dir", &target_dir_text],
        &[("RUSTFLAGS", RUSTFLAGS)],
    )?;
    Ok(target_dir.join(host).join("release"))
}

/// The host's target triple (the instrumentation must not reach build scripts, so the
/// build names its target explicitly).
fn host_triple() -> Result<String> {
    let output = Command::new("rustc").arg("-vV").output().context("running rustc -vV")?;
    let text = String::from_utf8_lossy(&output.stdout);
    text.lines().find_map(|line| line.strip_prefix("host: ")).map(str::to_owned).context("rustc -vV names no host")
}

/// Fuzzes one target for `seconds`, starting from the committed corpus.
fn run(binaries: &Path, target: &str, seconds: u64) -> Result<Run> {
    let committed = super::workspace().join("fuzz/corpus").join(target);
    let work = super::build_dir().join("fuzz/corpus").join(target);
    let artifacts = super::build_dir().join("fuzz/artifacts").join(target);
    for folder in [&work, &artifacts] {
        std::fs::create_dir_all(folder).with_context(|| format!("creating {}", folder.display()))?;
    }
    println!("\n==> fuzz {target} for {seconds} s");
    let started = Instant::now();
    let output = Command::new(binaries.join(target))
        .arg(&work)
        .arg(&committed)
        .arg(format!("-max_total_time={seconds}"))
        .arg(format!("-max_len={MAX_LEN}"))
        .arg("-timeout=20")
        .arg("-rss_limit_mb=2048")
        .arg("-print_final_stats=1")
        .arg(format!("-artifact_prefix={}/", artifacts.display()))
        .output()
        .with_context(|| format!("running the fuzz target {target}"))?;
    let elapsed = started.elapsed().as_secs_f64();
    let log = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        let tail: Vec<&str> = log.lines().rev().take(40).collect();
        for line in tail.into_iter().rev() {
            eprintln!("{line}");
        }
        bail!(
            "fuzz target {target} failed ({}); the input is in {} — fix it, then copy it to fuzz/regressions/{target}/",
            output.status,
            artifacts.display()
        );
    }
    let executions = stat(&log, "stat::number_of_executed_units").unwrap_or(0);
    let corpus = files_in(&work) + files_in(&committed);
    println!("    {executions} executions in {elapsed:.0} s, no crash; corpus {corpus} inputs");
    Ok(Run { target: target.to_owned(), executions, seconds: elapsed, corpus })
}

/// Adds to the committed corpus the inputs of the work corpus that reach new code.
fn merge_corpus(binaries: &Path, target: &str) -> Result<Run> {
    let committed = super::workspace().join("fuzz/corpus").join(target);
    let work = super::build_dir().join("fuzz/corpus").join(target);
    std::fs::create_dir_all(&work)?;
    let before = files_in(&committed);
    println!("\n==> merge {} into {}", work.display(), committed.display());
    let started = Instant::now();
    // Edges only, not how often each runs: every edge the runs reached is kept, in a
    // tenth of the inputs (submission: 672 files of 108 KB instead of 2,485 of 1.4 MB).
    let status = Command::new(binaries.join(target))
        .arg("-merge=1")
        .arg("-use_counters=0")
        .arg(format!("-max_len={MAX_LEN}"))
        .arg(&committed)
        .arg(&work)
        .status()
        .with_context(|| format!("running the fuzz target {target}"))?;
    if !status.success() {
        bail!("merging the corpus of {target} failed ({status})");
    }
    let after = files_in(&committed);
    println!("    {} inputs added ({before} -> {after})", after - before);
    Ok(Run { target: target.to_owned(), executions: 0, seconds: started.elapsed().as_secs_f64(), corpus: after })
}

/// A number libFuzzer prints at the end as `name: N`.
fn stat(log: &str, name: &str) -> Option<u64> {
    log.lines().find_map(|line| line.strip_prefix(name)?.trim_start_matches(':').trim().parse().ok())
}

fn files_in(folder: &Path) -> usize {
    std::fs::read_dir(folder).map(|entries| entries.filter_map(Result::ok).count()).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_final_statistics_are_read_from_the_log() {
        let log = "Done 68330 runs in 21 second(s)\nstat::number_of_executed_units: 68330\nstat::peak_rss_mb: 61\n";
        assert_eq!(super::stat(log, "stat::number_of_executed_units"), Some(68330));
        assert_eq!(super::stat(log, "stat::peak_rss_mb"), Some(61));
        assert_eq!(super::stat(log, "stat::missing"), None);
    }

    #[test]
    fn every_target_has_its_binary_and_a_seed_corpus() {
        let workspace = super::super::workspace();
        let manifest = std::fs::read_to_string(workspace.join("fuzz/Cargo.toml")).unwrap();
        for target in super::TARGETS {
            assert!(manifest.contains(&format!("name = \"{target}\"")), "fuzz/Cargo.toml lacks the binary {target}");
            assert!(super::files_in(&workspace.join("fuzz/corpus").join(target)) > 0, "no seeds for {target}");
        }
    }
}
