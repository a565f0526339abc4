//! `cargo xtask`: build, test and benchmark automation, so that no tool must be
//! installed by hand.
//!
//! - `cargo xtask serve [--port N] [--static] [--dir DIR]`: build the web app in release mode and
//!   run the collection server on 127.0.0.1 (port 8080 by default) with it, on a SQLite file
//!   under `target/dti-demo` seeded with the demo (its accounts are printed); `--static`
//!   serves the app alone, as a static host would; `--dir` serves that folder as it is (a
//!   publication).
//! - `cargo xtask dist [--out DIR]`: write the static site (default `target/dist`).
//! - `cargo xtask e2e`: the end-to-end tests of the web app in headless Chromium.
//! - `cargo xtask test`: formatting, clippy (native and wasm32), docs, every test (under
//!   `pg_virtualenv`, so that the server's tests run on PostgreSQL too), end-to-end tests
//!   included.
//! - `cargo xtask schema`: regenerate `indicators/schema.json` from the types.
//! - `cargo xtask sample`: regenerate the synthetic sample data in `indicators/`.
//! - `cargo xtask bench-data [--units N] [--out FILE]`: write ASEM-shaped data for benchmarks.
//! - `cargo xtask bench`: generate 100,000 units and time `dti evaluate` end to end.
//! - `cargo xtask bench-publish`: time `dti publish` on 3,300 units x 8 periods and the
//!   rendering of its rankings in Chromium.
//! - `cargo xtask fuzz [TARGET ...] [--time SECONDS] [--merge]`: run the fuzz targets of
//!   `fuzz/` (60 s each by default); `--merge` adds what they found to the committed corpus.

mod fuzz;
#[path = "../../core/benches/generated/mod.rs"]
#[allow(missing_docs)]
mod generated;
mod publish_bench;
mod sample;
mod web;

use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = args.first().map(String::as_str).unwrap_or("help");
    match command {
        "test" => test(),
        "serve" => {
            let port =
                flag(&args, "--port").map(str::parse).transpose().context("--port takes a number")?.unwrap_or(8080);
            // `--dir` serves a folder as it is (a publication, say); by default the app, built.
            if let Some(dir) = flag(&args, "--dir") {
                return web::serve(&workspace().join(dir), port);
            }
            let out = workspace().join("target/dist");
            web::dist(&out)?;
            // `--static` serves the built app alone, as any static host would.
            if args.iter().any(|arg| arg == "--static") {
                return web::serve(&out, port);
            }
            serve_with_server(&out, port)
        }
        "dist" => {
            let out = flag(&args, "--out").map(PathBuf::from).unwrap_or_else(|| workspace().join("target/dist"));
            web::dist(&out)
        }
        "e2e" => web::e2e(),
        "schema" => schema(),
        "sample" => sample::write_samples(&workspace().join("indicators")),
        "bench-data" => {
            let units = flag(&args, "--units")
                .map(|n| n.parse())
                .transpose()
                .context("--units takes a number")?
                .unwrap_or(100_000);
            let out = flag(&args, "--out")
                .map(PathBuf::from)
                .unwrap_or_else(|| workspace().join("target/bench/asem-100k.csv"));
            sample::write_bench_data(&out, units)?;
            println!("wrote {units} units to {}", out.display());
            Ok(())
        }
        "bench" => bench(),
        "bench-publish" => publish_bench::bench_publish(),
        "fuzz" => fuzz::fuzz(&args[1..]),
        _ => {
            println!(
                "usage: cargo xtask <serve [--port N] [--dir DIR] | dist [--out DIR] | e2e | test | schema | sample | bench-data [--units N] [--out FILE] | bench | bench-publish | fuzz [TARGET ...] [--time SECONDS] [--merge]>"
            );
            if command == "help" || command == "--help" { Ok(()) } else { bail!("unknown command `{command}`") }
        }
    }
}

fn flag<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    args.iter().position(|arg| arg == name).and_then(|i| args.get(i + 1)).map(String::as_str)
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask is inside the workspace").to_path_buf()
}

/// Where cargo puts what it builds: `CARGO_TARGET_DIR` when set (relative to the
/// workspace), else `target/`. Folders this tool writes itself (dist, bench data) stay in
/// the workspace's `target/`.
fn build_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => workspace().join(dir),
        _ => workspace().join("target"),
    }
}

fn cargo(args: &[&str], env: &[(&str, &str)]) -> Result<()> {
    println!("\n==> cargo {}", args.join(" "));
    let started = Instant::now();
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command.args(args).current_dir(workspace());
    for (key, value) in env {
        command.env(key, value);
    }
    let status = command.status().with_context(|| format!("running cargo {}", args.join(" ")))?;
    println!("    ({:.1} s)", started.elapsed().as_secs_f64());
    if !status.success() {
        bail!("cargo {} failed ({status})", args.join(" "));
    }
    Ok(())
}

/// Runs the collection server (`dti serve`) on a SQLite file under `target/dti-demo`,
/// serving the built app at `app`, seeded with the demo on first start (it prints the
/// demo's accounts and passwords).
fn serve_with_server(app: &Path, port: u16) -> Result<()> {
    let folder = workspace().join("target/dti-demo");
    std::fs::create_dir_all(&folder).with_context(|| format!("creating {}", folder.display()))?;
    let database = format!("sqlite:{}", folder.join("dti.db").display());
    let data = folder.join("data");
    let port = port.to_string();
    let args = [
        "run",
        "-p",
        "dti-cli",
        "--",
        "serve",
        "--demo",
        "--database",
        &database,
        "--data-dir",
        data.to_str().unwrap_or_default(),
        "--web",
        app.to_str().unwrap_or_default(),
        "--port",
        &port,
    ];
    cargo(&args, &[])
}

/// Runs `cargo args` under `pg_virtualenv` (a throwaway PostgreSQL cluster whose address
/// the tests read from PGHOST...), so that the server's tests run on PostgreSQL as well as
/// SQLite. Without `pg_virtualenv` the PostgreSQL halves are skipped with a note, except
/// under CI, where that is an error.
fn cargo_with_postgres(args: &[&str]) -> Result<()> {
    // `pg_virtualenv true` starts and drops a cluster: it proves the whole set-up works.
    let available = Command::new("pg_virtualenv").arg("true").output().is_ok_and(|output| output.status.success());
    if !available {
        if std::env::var_os("CI").is_some() {
            bail!("pg_virtualenv is missing: install Debian's postgresql package (.ci/run does)");
        }
        println!(
            "\nnote: pg_virtualenv is missing (Debian's postgresql package): the PostgreSQL halves of the server's tests are skipped"
        );
        return cargo(args, &[]);
    }
    println!("\n==> pg_virtualenv cargo {}", args.join(" "));
    let started = Instant::now();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new("pg_virtualenv")
        .arg(&cargo)
        .args(args)
        .current_dir(workspace())
        .env("DTI_REQUIRE_POSTGRES", "1")
        .status()
        .context("running pg_virtualenv")?;
    println!("    ({:.1} s)", started.elapsed().as_secs_f64());
    if !status.success() {
        bail!("cargo {} failed under pg_virtualenv ({status})", args.join(" "));
    }
    Ok(())
}

/// How long `cargo xtask test` fuzzes each target.
const FUZZ_SECONDS_IN_TESTS: u32 = 10;

/// Everything CI checks, in the order that fails fastest.
fn test() -> Result<()> {
    cargo(&["fmt", "--all", "--check"], &[])?;
    cargo(&["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"], &[])?;
    web::ensure_wasm_target()?;
    let wasm = ["clippy", "-p", "dti-core", "-p", "dti-site", "-p", "dti-web", "--target", "wasm32-unknown-unknown"];
    cargo(&[&wasm[..], &["--", "-D", "warnings"]].concat(), &[])?;
    // The ministry's page is its own build of the web crate.
    cargo(&[&wasm[..], &["--features", "dti-web/ministry", "--", "-D", "warnings"]].concat(), &[])?;
    cargo(&["doc", "--workspace", "--no-deps"], &[("RUSTDOCFLAGS", "-D warnings")])?;
    cargo_with_postgres(&["test", "--workspace"])?;
    // Every fuzz target briefly: the corpus still passes, and a few minutes' new inputs.
    fuzz::fuzz(&["--time".into(), FUZZ_SECONDS_IN_TESTS.to_string()])?;
    web::e2e()
}

/// Regenerates the committed JSON Schema of the indicator file.
fn schema() -> Result<()> {
    let schema = schemars::schema_for!(dti_core::framework::raw::RawFramework);
    let text = serde_json::to_string_pretty(&schema)? + "\n";
    let path = workspace().join("indicators/schema.json");
    std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    println!("wrote {}", path.display());
    Ok(())
}

/// Generates 100,000 ASEM-shaped units and times `dti evaluate` on them, with peak memory.
fn bench() -> Result<()> {
    let data = workspace().join("target/bench/asem-100k.csv");
    if !data.exists() {
        sample::write_bench_data(&data, 100_000)?;
    }
    cargo(&["bench", "-p", "dti-core", "--bench", "pipeline"], &[])?;
    cargo(&["build", "--release", "-p", "dti-cli", "-p", "dti-core", "--example", "profile_pipeline"], &[])?;
    let dti = build_dir().join("release/dti");
    let framework = data.with_file_name("asem-like-iMeta.csv");
    // Criterion's loop may run on memory that glibc kept from the previous iteration; the
    // example frees every result before the next run, so each run pays the page faults of
    // fresh memory, as a one-shot `dti evaluate` does.
    for (label, mode) in [("min-max + arithmetic mean", "simple"), ("full pipeline", "full")] {
        let output = Command::new(build_dir().join("release/examples/profile_pipeline"))
            .args([framework.as_os_str(), data.as_os_str(), "20".as_ref(), mode.as_ref()])
            .output()
            .context("running the profile_pipeline example")?;
        let text = String::from_utf8_lossy(&output.stdout);
        let summary = text.lines().last().unwrap_or_default();
        println!("in memory, {label}, fresh memory every run: {summary}");
    }
    let out = workspace().join("target/bench/out.csv");
    for (label, extra) in [
        ("min-max + arithmetic mean", vec![]),
        (
            "full pipeline (denominate, group-mean impute, screen, winsorise)",
            vec!["--denominate", "--impute", "group-mean:EurAsia_group", "--screen", "0.9", "--winsorise", "5"],
        ),
    ] {
        let mut args = vec![
            "evaluate",
            "--framework",
            framework.to_str().unwrap_or_default(),
            "--data",
            data.to_str().unwrap_or_default(),
            "--format",
            "csv",
            "--out",
            out.to_str().unwrap_or_default(),
        ];
        args.extend(extra);
        let started = Instant::now();
        let output = Command::new("/usr/bin/time").arg("-f").arg("%M").arg(&dti).args(&args).output();
        let elapsed = started.elapsed().as_secs_f64();
        let peak = match &output {
            Ok(output) => String::from_utf8_lossy(&output.stderr)
                .lines()
                .last()
                .and_then(|l| l.trim().parse::<u64>().ok())
                .map(|kb| format!("{:.0} MB", kb as f64 / 1024.0)),
            Err(_) => None,
        };
        let output = match output {
            Ok(output) => output,
            Err(_) => Command::new(&dti).args(&args).output().context("running dti")?,
        };
        if !output.status.success() {
            bail!("dti evaluate failed: {}", String::from_utf8_lossy(&output.stderr));
        }
        println!(
            "{label}: {elapsed:.2} s end to end, peak memory {}",
            peak.unwrap_or_else(|| "unknown (no /usr/bin/time)".into())
        );
    }
    println!("in-memory pipeline: cargo bench -p dti-core --bench pipeline");
    Ok(())
}
