//! `dti serve` and `dti admin` as processes: a publication `dti verify` accepts, no
//! acknowledged save lost to SIGKILL, a backup made while the server writes, and the
//! administration commands. On SQLite, and on PostgreSQL when `PGHOST` is set (as under
//! `pg_virtualenv`, which `cargo xtask test` uses).

use super::scratch;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};

/// A `dti serve` process.
struct ServerProcess {
    child: Child,
    base: String,
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `dti serve` on a free port and waits until it listens.
fn start_server(database: &str, data_dir: &Path, demo: bool) -> ServerProcess {
    let mut command = Command::new(env!("CARGO_BIN_EXE_dti"));
    command.args(["serve", "--port", "0", "--database", database, "--data-dir"]).arg(data_dir);
    if demo {
        command.arg("--demo");
    }
    let mut child = command.stderr(Stdio::piped()).stdout(Stdio::null()).spawn().expect("dti serve starts");
    let stderr = child.stderr.take().expect("stderr");
    let (sender, receiver) = std::sync::mpsc::channel();
    // Reads the server's messages until it says where it listens, then keeps draining them.
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(rest) = line.strip_prefix("dti server on ") {
                let _ = sender.send(rest.split_whitespace().next().unwrap_or_default().to_owned());
            }
        }
    });
    let base = receiver.recv_timeout(std::time::Duration::from_secs(60)).expect("the server says where it listens");
    ServerProcess { child, base }
}

static DATABASES: AtomicU32 = AtomicU32::new(0);

/// The databases to run on: a SQLite file in `dir`, and a fresh PostgreSQL database when
/// PostgreSQL is configured.
fn databases(dir: &Path) -> Vec<String> {
    let mut all = vec![format!("sqlite:{}", dir.join("dti.db").display())];
    if let Ok(host) = std::env::var("PGHOST") {
        let port = std::env::var("PGPORT").unwrap_or_else(|_| "5432".into());
        let user = std::env::var("PGUSER").unwrap_or_else(|_| "postgres".into());
        let password = std::env::var("PGPASSWORD").unwrap_or_default();
        let name = format!("dti_cli_{}_{}", std::process::id(), DATABASES.fetch_add(1, Ordering::Relaxed));
        let status = Command::new("createdb").arg(&name).status().expect("createdb runs");
        assert!(status.success(), "createdb {name}");
        all.push(format!("postgres://{user}:{password}@{host}:{port}/{name}"));
    } else {
        assert!(std::env::var_os("DTI_REQUIRE_POSTGRES").is_none(), "DTI_REQUIRE_POSTGRES is set but PGHOST is not");
        eprintln!("PostgreSQL half skipped: no PGHOST");
    }
    all
}

/// An HTTP client signed in as `login`.
struct Client {
    http: reqwest::Client,
    base: String,
    csrf: String,
}

impl Client {
    async fn login(base: &str, login: &str, password: &str) -> Client {
        let http = reqwest::Client::builder().cookie_store(true).build().unwrap();
        let reply: Value = http
            .post(format!("{base}/api/login"))
            .json(&json!({ "login": login, "password": password }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let csrf = reply["csrf_token"].as_str().unwrap_or_else(|| panic!("sign-in of {login}: {reply}")).to_owned();
        Client { http, base: base.to_owned(), csrf }
    }

    async fn send(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut request = self.http.request(method, format!("{}{path}", self.base)).header("x-csrf-token", &self.csrf);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("the server answers");
        let status = response.status().as_u16();
        let text = response.text().await.unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    async fn get(&self, path: &str) -> (u16, Value) {
        self.send(reqwest::Method::GET, path, None).await
    }

    async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        self.send(reqwest::Method::POST, path, Some(body)).await
    }
}

fn dti_status(args: &[&str]) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_dti")).args(args).output().expect("dti runs");
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    (output.status.success(), text)
}

/// Reviews every submitted unit of the demo as verified, closes, finalises and publishes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_published_campaign_passes_dti_verify() {
    let dir = scratch();
    for (index, database) in databases(dir.path()).into_iter().enumerate() {
        let data_dir = dir.path().join(format!("data-{index}"));
        let server = start_server(&database, &data_dir, true);
        let manager = Client::login(&server.base, "manager", "manager-demo-2026").await;
        let reviewer = Client::login(&server.base, "reviewer", "reviewer-demo-2026").await;
        // Two more units verified through the API, one value adjusted.
        for unit in ["M02", "M03"] {
            let (_, view) = reviewer.get(&format!("/api/campaigns/1/units/{unit}/submission")).await;
            for id in view["submission"]["values"].as_object().unwrap().keys() {
                let decision = if id == "aw-leaders-trained" {
                    json!({ "indicator_id": id, "decision": "adjusted", "value": "10", "reason": "thiếu minh chứng" })
                } else {
                    json!({ "indicator_id": id, "decision": "accepted" })
                };
                reviewer.post(&format!("/api/campaigns/1/units/{unit}/submission/reviews"), decision).await;
            }
            let (status, body) =
                reviewer.post(&format!("/api/campaigns/1/units/{unit}/submission/verify"), json!({})).await;
            assert_eq!(status, 200, "{body}");
        }
        assert_eq!(manager.post("/api/campaigns/1/state/close", json!({})).await.0, 200);
        let (status, snapshot) = manager.post("/api/campaigns/1/finalise", json!({})).await;
        assert_eq!(status, 200, "{snapshot}");
        assert_eq!(snapshot["units"], 10);
        let (status, published) = manager.post("/api/campaigns/1/publish", json!({ "note": "công bố" })).await;
        assert_eq!(status, 200, "{published}");
        assert_eq!(published["publication"], "/publications/1/");
        // Served, public.
        let page = reqwest::get(format!("{}/publications/1/index.html", server.base)).await.unwrap();
        assert_eq!(page.status(), 200);
        assert!(page.text().await.unwrap().contains("Bộ Công Thương"), "M02 is in the published ranking");
        let publication = data_dir.join("publications/1");
        let (ok, text) = dti_status(&["verify", publication.to_str().unwrap()]);
        assert!(ok, "dti verify: {text}");
        // The data the publication keeps is the snapshot, byte for byte.
        let manifest: Value =
            serde_json::from_slice(&std::fs::read(publication.join("data/manifest.json")).unwrap()).unwrap();
        assert_eq!(manifest["data_sha256"], snapshot["data_sha256"]);
        assert_eq!(manifest["framework_sha256"], snapshot["framework_sha256"]);
        drop(server);
        let (ok, text) = dti_status(&["admin", "--database", &database, "audit", "verify"]);
        assert!(ok && text.starts_with("intact: "), "{text}");
    }
}

/// Opens a second campaign on the demo's indicator file for units M02 to M05 with an editor
/// each; returns the campaign's id.
async fn campaign_for_four_units(base: &str) -> i64 {
    let admin = Client::login(base, "admin", "admin-demo-2026").await;
    for unit in ["M02", "M03", "M04", "M05"] {
        let login = format!("editor-{}", unit.to_lowercase());
        let (status, account) = admin
            .post(
                "/api/accounts",
                json!({ "login": login, "name": login, "org": unit, "password": "editor-password-1" }),
            )
            .await;
        assert_eq!(status, 201, "{account}");
        let id = account["id"].as_i64().unwrap();
        admin.post(&format!("/api/accounts/{id}/grants"), json!({ "role": "unit-editor", "org": unit })).await;
    }
    let manager = Client::login(base, "manager", "manager-demo-2026").await;
    let (_, first) = manager.get("/api/campaigns/1").await;
    let (status, campaign) = manager
        .post(
            "/api/campaigns",
            json!({
                "name": "Đợt bổ sung", "owner": "BCD", "framework_sha256": first["framework_sha256"], "period": "2027",
                "opens_at": "2020-01-01", "deadline": "2099-01-01", "closes_at": "2099-02-01",
                "units": ["M02", "M03", "M04", "M05"]
            }),
        )
        .await;
    assert_eq!(status, 201, "{campaign}");
    let id = campaign["id"].as_i64().unwrap();
    assert_eq!(manager.post(&format!("/api/campaigns/{id}/state/open"), json!({})).await.0, 200);
    id
}

/// Saves as fast as it can until the server stops answering; returns what was acknowledged:
/// (revision, the value saved).
async fn save_until_killed(base: String, unit: &'static str, campaign: i64) -> Vec<(i64, String)> {
    let client = Client::login(&base, &format!("editor-{}", unit.to_lowercase()), "editor-password-1").await;
    let path = format!("/api/campaigns/{campaign}/units/{unit}/submission");
    let (_, view) = client.get(&path).await;
    let mut submission = view["submission"].clone();
    let mut head = 0;
    let mut acknowledged = Vec::new();
    for round in 0..100_000 {
        let value = format!("{}", round % 100);
        submission["values"]["aw-leaders-trained"] = json!({ "value": value });
        let request = client.http.put(format!("{base}{path}")).header("x-csrf-token", &client.csrf);
        let Ok(response) = request.json(&json!({ "based_on": head, "submission": submission })).send().await else {
            break;
        };
        if response.status() != 200 {
            break;
        }
        let Ok(body) = response.json::<Value>().await else { break };
        head = body["head"].as_i64().unwrap();
        acknowledged.push((head, value));
    }
    acknowledged
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_server_loses_no_acknowledged_save() {
    let dir = scratch();
    for (index, database) in databases(dir.path()).into_iter().enumerate() {
        let data_dir = dir.path().join(format!("data-{index}"));
        let mut server = start_server(&database, &data_dir, true);
        let campaign = campaign_for_four_units(&server.base).await;
        let savers: Vec<_> = ["M02", "M03", "M04", "M05"]
            .into_iter()
            .map(|unit| tokio::spawn(save_until_killed(server.base.clone(), unit, campaign)))
            .collect();
        tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
        // SIGKILL: no shutdown, no flush.
        server.child.kill().unwrap();
        server.child.wait().unwrap();
        let mut acknowledged = Vec::new();
        for (unit, saver) in ["M02", "M03", "M04", "M05"].into_iter().zip(savers) {
            acknowledged.push((unit, saver.await.unwrap()));
        }
        let total: usize = acknowledged.iter().map(|(_, saves)| saves.len()).sum();
        assert!(total > 20, "the burst was under way when the server was killed ({total} saves)");
        let server = start_server(&database, &data_dir, false);
        for (unit, saves) in acknowledged {
            let client =
                Client::login(&server.base, &format!("editor-{}", unit.to_lowercase()), "editor-password-1").await;
            let path = format!("/api/campaigns/{campaign}/units/{unit}/submission");
            let (_, view) = client.get(&path).await;
            let (last, _) = saves.last().cloned().unwrap();
            assert!(view["head"].as_i64().unwrap() >= last, "{unit}: head {} < acknowledged {last}", view["head"]);
            for (revision, value) in saves.iter().rev().take(5) {
                let (status, body) = client.get(&format!("{path}/revisions/{revision}")).await;
                assert_eq!(status, 200, "{unit} revision {revision}");
                assert_eq!(body["values"]["aw-leaders-trained"]["value"], value.as_str());
            }
        }
        drop(server);
        let (ok, text) = dti_status(&["admin", "--database", &database, "audit", "verify"]);
        assert!(ok, "the audit chain survives the kill: {text}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_made_while_saving_is_consistent() {
    let dir = scratch();
    for (index, database) in databases(dir.path()).into_iter().enumerate() {
        let data_dir = dir.path().join(format!("data-{index}"));
        let server = start_server(&database, &data_dir, true);
        let campaign = campaign_for_four_units(&server.base).await;
        let saver = tokio::spawn(save_until_killed(server.base.clone(), "M02", campaign));
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        let out = dir.path().join(format!("backup-{index}"));
        let (ok, text) = dti_status(&[
            "admin",
            "--database",
            &database,
            "backup",
            "--data-dir",
            data_dir.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(ok, "{text}");
        drop(server);
        let saves = saver.await.unwrap();
        assert!(!saves.is_empty());
        let (ok, text) = dti_status(&[
            "admin",
            "--database",
            &database,
            "backup",
            "--data-dir",
            "x",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(!ok && text.contains("exists"), "never over an existing folder: {text}");
        if database.starts_with("sqlite:") {
            let copy = format!("sqlite:{}", out.join("dti.db").display());
            let (ok, text) = dti_status(&["admin", "--database", &copy, "audit", "verify"]);
            assert!(ok && text.starts_with("intact: "), "the copy's chain is whole: {text}");
        } else {
            assert!(out.join("dti.dump").metadata().unwrap().len() > 0);
        }
    }
}

#[test]
fn the_administration_commands_set_up_a_new_database() {
    let dir = scratch();
    let database = format!("sqlite:{}", dir.path().join("new.db").display());
    let orgs = dir.path().join("orgs.csv");
    std::fs::write(&orgs, "code,name,parent,block\nTINH,Tỉnh A,,\nXA1,Xã 1,TINH,commune\nXA2,Xã 2,TINH,commune\n")
        .unwrap();
    let (ok, text) = dti_status(&["admin", "--database", &database, "import-orgs", orgs.to_str().unwrap()]);
    assert!(ok, "{text}");
    assert!(text.contains("3 created, 0 updated, 0 unchanged"), "{text}");
    let (ok, text) = dti_status(&["admin", "--database", &database, "import-orgs", orgs.to_str().unwrap()]);
    assert!(ok && text.contains("0 created, 0 updated, 3 unchanged"), "{text}");
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "code,name\nX 1,Xã\n").unwrap();
    let (ok, text) = dti_status(&["admin", "--database", &database, "import-orgs", bad.to_str().unwrap()]);
    assert!(!ok && text.contains("line 2"), "{text}");
    let mut child = Command::new(env!("CARGO_BIN_EXE_dti"))
        .args([
            "admin",
            "--database",
            &database,
            "create-account",
            "--login",
            "root",
            "--name",
            "Quản trị",
            "--role",
            "administrator",
            "--on",
            "TINH",
        ])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(b"a-long-root-password\n").unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let (ok, text) = dti_status(&["admin", "--database", &database, "audit", "verify"]);
    assert!(ok && text.starts_with("intact: 4 entries"), "{text}");
    let export: PathBuf = dir.path().join("audit.json");
    let (ok, text) = dti_status(&[
        "admin",
        "--database",
        &database,
        "audit",
        "export",
        "--format",
        "json",
        "--out",
        export.to_str().unwrap(),
    ]);
    assert!(ok, "{text}");
    let entries: Value = serde_json::from_slice(&std::fs::read(&export).unwrap()).unwrap();
    assert_eq!(entries[3]["action"], "account-create");
    assert_eq!(entries[3]["actor"].as_str().unwrap().split(':').next(), Some("cli"));
    assert!(!std::fs::read_to_string(&export).unwrap().contains("a-long-root-password"), "no password in the log");
}
