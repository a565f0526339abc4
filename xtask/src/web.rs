//! Building, serving and testing the web app with nothing installed by hand: the wasm
//! build, the JS bindings (the `wasm-bindgen-cli-support` crate, pinned to the app's
//! `wasm-bindgen`), a small static server, and the end-to-end tests in Chromium.

use anyhow::{Context, Result, bail};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::process::Command;

use crate::{build_dir, cargo, workspace};

const TARGET: &str = "wasm32-unknown-unknown";

/// Installs the wasm32 target when it is missing, or says exactly what to run.
pub fn ensure_wasm_target() -> Result<()> {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map(|output| String::from_utf8_lossy(&output.stdout).lines().any(|line| line.trim() == TARGET))
        .unwrap_or(false);
    if installed {
        return Ok(());
    }
    println!("\n==> rustup target add {TARGET}");
    let status = Command::new("rustup").args(["target", "add", TARGET]).status();
    if !status.map(|s| s.success()).unwrap_or(false) {
        bail!("the {TARGET} target is missing and could not be installed: run `rustup target add {TARGET}`");
    }
    Ok(())
}

/// The two pages the web crate builds: the self-assessment (default features) and the
/// ministry's view (`--features ministry`), each its own wasm, so that the first stays small.
const BUNDLES: [(Option<&str>, &str); 2] = [(None, "dti_web"), (Some("ministry"), "dti_ministry")];

/// Flags that shorten the source paths a wasm build embeds (in panic locations): the
/// bundle is then the same, and smaller, wherever the project and the crates are.
fn short_source_paths() -> String {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
        .unwrap_or_default();
    [(workspace(), "/dti"), (cargo_home.join("registry/src"), "/crates"), (cargo_home.join("git/checkouts"), "/git")]
        .iter()
        .map(|(from, to)| format!("--remap-path-prefix={}={to}", from.display()))
        .collect::<Vec<_>>()
        .join("\u{1f}")
}

/// Builds the app in release mode and writes the static site to `out`.
pub fn dist(out: &Path) -> Result<()> {
    ensure_wasm_target()?;
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    for (features, name) in BUNDLES {
        let mut args = vec!["build", "-p", "dti-web", "--lib", "--target", TARGET, "--profile", "wasm-release"];
        if let Some(features) = features {
            args.extend(["--features", features]);
        }
        cargo(&args, &[("CARGO_ENCODED_RUSTFLAGS", &short_source_paths())])?;
        let wasm = build_dir().join(TARGET).join("wasm-release/dti_web.wasm");
        println!("\n==> bindings for {} as {name}", wasm.display());
        wasm_bindgen_cli_support::Bindgen::new()
            .input_path(&wasm)
            .out_name(name)
            .web(true)?
            // The library's default omits init()'s default module path: the page would stay blank.
            .omit_default_module_path(false)
            .remove_name_section(true)
            .remove_producers_section(true)
            .generate(out)
            .context("generating the JS bindings")?;
    }
    for file in [
        "index.html",
        "journal.js",
        "offline.js",
        "style.css",
        "ministry.html",
        "ministry.css",
        "workbench.html",
        "workbench.css",
        "workbench-worker.js",
        "xlsx-worker.js",
    ] {
        std::fs::copy(workspace().join("web/static").join(file), out.join(file))
            .with_context(|| format!("copying {file}"))?;
    }
    // The built-in sets' sample data, for the check that the browser computes them as the
    // native engine does (the self-assessment page does not carry them).
    let samples = out.join("samples");
    std::fs::create_dir_all(&samples).with_context(|| format!("creating {}", samples.display()))?;
    for set in dti_core::builtin::BUILTINS {
        std::fs::write(samples.join(set.data_name), set.data())
            .with_context(|| format!("writing {}", set.data_name))?;
    }
    for file in ["site.css", "site.js"] {
        std::fs::copy(workspace().join("site/assets").join(file), out.join(file))
            .with_context(|| format!("copying {file}"))?;
    }
    for (_, name) in BUNDLES {
        let size = std::fs::metadata(out.join(format!("{name}_bg.wasm"))).map(|m| m.len()).unwrap_or(0);
        println!("    {name}_bg.wasm: {} KB", size / 1024);
    }
    println!("    site in {}", out.display());
    Ok(())
}

/// Serves a folder on 127.0.0.1 until stopped.
pub fn serve(dir: &Path, port: u16) -> Result<()> {
    let listener = TcpListener::bind(("127.0.0.1", port)).with_context(|| format!("binding 127.0.0.1:{port}"))?;
    println!("\nserving {} on http://{}/ (Ctrl-C stops)", dir.display(), listener.local_addr()?);
    serve_on(listener, dir.to_path_buf());
    Ok(())
}

/// Serves `dir` on an already bound listener, one thread per connection.
pub fn serve_on(listener: TcpListener, dir: PathBuf) {
    for stream in listener.incoming().flatten() {
        let dir = dir.clone();
        std::thread::spawn(move || {
            if let Err(error) = respond(stream, &dir) {
                eprintln!("serve: {error:#}");
            }
        });
    }
}

fn respond(mut stream: TcpStream, dir: &Path) -> Result<()> {
    let mut request_line = String::new();
    let mut reader = BufReader::new(stream.try_clone()?);
    reader.read_line(&mut request_line)?;
    // Read the headers to the blank line, so the client is not reset.
    let mut header = String::new();
    while reader.read_line(&mut header)? > 2 {
        header.clear();
    }
    let path = request_line.split_whitespace().nth(1).unwrap_or("/");
    let path = path.split(['?', '#']).next().unwrap_or("/");
    let relative = if path.ends_with('/') { format!("{path}index.html") } else { path.to_owned() };
    let relative = Path::new(relative.trim_start_matches('/'));
    let safe = relative.components().all(|component| matches!(component, Component::Normal(_)));
    let file = dir.join(relative);
    match std::fs::read(&file) {
        Ok(body) if safe => {
            let header = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n",
                content_type(&file),
                body.len()
            );
            stream.write_all(header.as_bytes())?;
            stream.write_all(&body)?;
        }
        _ => {
            let body = b"not found";
            let header = format!(
                "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            stream.write_all(header.as_bytes())?;
            stream.write_all(body)?;
        }
    }
    Ok(())
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|extension| extension.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css; charset=utf-8",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        _ => "application/octet-stream",
    }
}

/// The Chromium to drive, installing Debian's package when missing and permitted.
pub fn chromium() -> Result<PathBuf> {
    let candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];
    if let Some(found) = candidates.iter().map(PathBuf::from).find(|path| path.exists()) {
        return Ok(found);
    }
    let root = Command::new("id").arg("-u").output().map(|o| o.stdout.starts_with(b"0")).unwrap_or(false);
    if root && Path::new("/usr/bin/apt-get").exists() {
        println!("\n==> apt-get install -y chromium (for the end-to-end tests)");
        let installed = Command::new("sh")
            .args(["-c", "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium"])
            .status()
            .map(|status| status.success())
            .unwrap_or(false);
        if installed && Path::new(candidates[0]).exists() {
            return Ok(PathBuf::from(candidates[0]));
        }
    }
    bail!("the end-to-end tests need Chromium: install it with `sudo apt-get install chromium` (Debian/Ubuntu)")
}

/// Installs the tests' one npm package (`playwright-core`, which downloads no browser).
fn npm_install(dir: &Path) -> Result<()> {
    if dir.join("node_modules/playwright-core").exists() {
        return Ok(());
    }
    println!("\n==> npm ci (tests/e2e)");
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(dir)
        .status()
        .context("running npm: the end-to-end tests need Node.js 18 or later with npm")?;
    if !status.success() {
        bail!("npm ci failed in {}", dir.display());
    }
    Ok(())
}

fn path(path: &Path) -> String {
    path.display().to_string()
}

/// Runs the `dti` command line (built as the tests are).
fn dti(args: &[&str]) -> Result<()> {
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["run", "-q", "-p", "dti-cli", "--"])
        .args(args)
        .current_dir(workspace())
        .output()
        .context("running dti")?;
    if !output.status.success() {
        bail!("dti {} failed: {}", args.join(" "), String::from_utf8_lossy(&output.stderr));
    }
    Ok(())
}

/// Units of the generated publication the end-to-end tests read (more than a page shows
/// before deferring rows).
const LARGE_UNITS: usize = 400;

/// Builds the site, serves it on a free port and runs the end-to-end tests against it.
pub fn e2e() -> Result<()> {
    let site = workspace().join("target/e2e-site");
    dist(&site)?;
    let browser = chromium()?;
    let tests = workspace().join("tests/e2e");
    npm_install(&tests)?;
    // The native engine's results, to compare with the browser's bit for bit.
    let native = workspace().join("target/e2e-native-scores.json");
    println!("\n==> native sample scores");
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["run", "-q", "-p", "dti-web", "--example", "sample_scores"])
        .current_dir(workspace())
        .output()
        .context("running the sample_scores example")?;
    if !output.status.success() {
        bail!("sample_scores failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    std::fs::write(&native, &output.stdout)?;
    // The published sample (with the app just built) and the CLI's CSV to compare with.
    let publication = workspace().join("target/e2e-publication");
    let evaluated = workspace().join("target/e2e-evaluate.csv");
    println!("\n==> dti publish (built-in vn-ministry sample)");
    dti(&["publish", "--out", &path(&publication), "--app", &path(&site), "--as-of", "2026-01-15"])?;
    dti(&["evaluate", "--format", "csv", "--out", &path(&evaluated)])?;
    // The workbench's analysis in the browser must give the command line's report.
    let sensitivity = workspace().join("target/e2e-sensitivity.json");
    let analysis = ["sensitivity", "--weights", "0.25", "--leave-out", "pillars", "--seed", "1", "--format", "json"];
    dti(&[&analysis[..], &["--points", "200", "--out", &path(&sensitivity)]].concat())?;
    let indices = workspace().join("target/e2e-sensitivity-indices.json");
    let with_indices = ["--method", "sensitivity", "--points", "50", "--bootstrap", "200"];
    dti(&[&analysis[..], &with_indices, &["--out", &path(&indices)]].concat())?;
    // A publication with more units than a page shows at once, for the deferred rows.
    let large_data = workspace().join("target/e2e-large.csv");
    let large = workspace().join("target/e2e-publication-large");
    println!("\n==> dti publish (generated: {LARGE_UNITS} units)");
    let set = dti_core::builtin::builtin("vn-ministry").context("the built-in vn-ministry set")?;
    let framework = dti_core::load_framework(set.file_name, set.framework.as_bytes())
        .framework
        .context("the built-in set is valid")?;
    std::fs::write(&large_data, crate::generated::ministries(&framework, LARGE_UNITS, 2024..2026))?;
    dti(&["publish", "--data", &path(&large_data), "--out", &path(&large), "--as-of", "2026-01-15"])?;
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let address = listener.local_addr()?;
    let served_site = site.clone();
    std::thread::spawn(move || serve_on(listener, served_site));
    let publication_listener = TcpListener::bind("127.0.0.1:0")?;
    let publication_address = publication_listener.local_addr()?;
    let served = publication.clone();
    std::thread::spawn(move || serve_on(publication_listener, served));
    println!("\n==> node --test tests/e2e (site on http://{address}/, publication on http://{publication_address}/)");
    let status = Command::new("node")
        .args(["--test", "--test-concurrency=1", "--test-timeout=300000", "tests/e2e/"])
        .current_dir(workspace())
        .env("DTI_URL", format!("http://{address}/"))
        .env("DTI_PUBLICATION_URL", format!("http://{publication_address}/"))
        .env("DTI_PUBLICATION_DIR", &publication)
        .env("DTI_LARGE_PUBLICATION_DIR", &large)
        .env("DTI_EVALUATE_CSV", &evaluated)
        .env("DTI_SENSITIVITY_JSON", &sensitivity)
        .env("DTI_SENSITIVITY_INDICES_JSON", &indices)
        .env("DTI_LARGE_DATA", &large_data)
        .env("DTI_SAMPLE_CSV", workspace().join("indicators/samples/vn-ministry-sample.csv"))
        .env("DTI_SITE_DIR", &site)
        .env("DTI_CHROMIUM", &browser)
        .env("DTI_NATIVE_SCORES", &native)
        .env("DTI_SCREENSHOTS", workspace().join("target/screenshots"))
        .status()
        .context("running node: the end-to-end tests need Node.js 18 or later")?;
    if !status.success() {
        bail!("the end-to-end tests failed");
    }
    Ok(())
}
