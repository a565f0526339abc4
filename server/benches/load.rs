//! A bounded load test of the collection server on loopback: N units (3,300 by default)
//! each sign in, save a draft ten times and submit, from concurrent clients; then the live
//! ranking is timed after single saves. Prints saves per second and p50/p99 latencies.
//!
//! ```text
//! cargo bench -p dti-server --bench load                       # SQLite
//! pg_virtualenv cargo bench -p dti-server --bench load -- --postgres
//! cargo bench -p dti-server --bench load -- --units 500 --clients 32
//! ```

use dti_server::config::PasswordCost;
use dti_server::domain::accounts::{self, NewAccount, NewGrant};
use dti_server::domain::campaigns::{self, CampaignInput, CampaignState};
use dti_server::policy::Role;
use dti_server::{Clock, Config, Server};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

fn flag(args: &[String], name: &str) -> Option<String> {
    args.iter().position(|arg| arg == name).and_then(|index| args.get(index + 1)).cloned()
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let _ = tracing_subscriber::fmt().with_max_level(tracing::Level::WARN).with_target(false).try_init();
    let args: Vec<String> = std::env::args().collect();
    let units: usize = flag(&args, "--units").and_then(|n| n.parse().ok()).unwrap_or(3300);
    let clients: usize = flag(&args, "--clients").and_then(|n| n.parse().ok()).unwrap_or(32);
    let postgres = args.iter().any(|arg| arg == "--postgres");
    let dir = tempfile::tempdir().expect("a temporary folder");
    let database = if postgres {
        let base = format!(
            "postgres://{}:{}@{}:{}",
            std::env::var("PGUSER").unwrap_or_else(|_| "postgres".into()),
            std::env::var("PGPASSWORD").unwrap_or_default(),
            std::env::var("PGHOST").expect("--postgres needs PGHOST (run under pg_virtualenv)"),
            std::env::var("PGPORT").unwrap_or_else(|_| "5432".into())
        );
        let name = format!("dti_load_{}", std::process::id());
        let status = std::process::Command::new("createdb").arg(&name).status().expect("createdb");
        assert!(status.success());
        format!("{base}/{name}")
    } else {
        format!("sqlite:{}", dir.path().join("load.db").display())
    };
    let mut config = Config::new(database.clone(), dir.path().join("data"));
    config.listen = "127.0.0.1:0".parse().unwrap();
    let server = Server::start(config).await.expect("the server starts");
    let base = format!("http://{}", server.address());
    let campaign_id = set_up(&server, units).await;

    println!(
        "dti-server load test: {units} units, {clients} concurrent clients, {}",
        if postgres { "PostgreSQL" } else { "SQLite" }
    );
    // Cargo adds `--bench` to a benchmark's arguments: not part of the command people type.
    let given: Vec<&str> = args[1..].iter().map(String::as_str).filter(|arg| *arg != "--bench").collect();
    let wrapper = if postgres { "pg_virtualenv " } else { "" };
    println!("command: {wrapper}cargo bench -p dti-server --bench load -- {}", given.join(" "));

    // Sign-in: Argon2id at its production cost, one per unit.
    let started = Instant::now();
    let sessions = run_clients(clients, units, {
        let base = base.clone();
        move |unit| {
            let base = base.clone();
            async move { sign_in(&base, unit).await }
        }
    })
    .await;
    let sign_in_seconds = started.elapsed().as_secs_f64();
    println!(
        "sign-in: {units} in {sign_in_seconds:.1} s ({:.0}/s; Argon2id 19 MiB, 2 passes)",
        units as f64 / sign_in_seconds
    );

    // Ten saves each, then a submit.
    let started = Instant::now();
    let latencies = run_sessions(clients, sessions, campaign_id).await;
    let seconds = started.elapsed().as_secs_f64();
    let mut saves: Vec<Duration> = latencies.iter().flat_map(|(saves, _)| saves.iter().copied()).collect();
    let mut submits: Vec<Duration> = latencies.iter().map(|(_, submit)| *submit).collect();
    saves.sort();
    submits.sort();
    let percentile = |sorted: &[Duration], p: f64| sorted[((sorted.len() as f64 * p) as usize).min(sorted.len() - 1)];
    println!(
        "saves: {} in {seconds:.1} s = {:.0} saves/s; latency p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        saves.len(),
        saves.len() as f64 / seconds,
        percentile(&saves, 0.5).as_secs_f64() * 1000.0,
        percentile(&saves, 0.99).as_secs_f64() * 1000.0,
        saves.last().unwrap().as_secs_f64() * 1000.0
    );
    println!(
        "submits: {}; latency p50 {:.1} ms, p99 {:.1} ms",
        submits.len(),
        percentile(&submits, 0.5).as_secs_f64() * 1000.0,
        percentile(&submits, 0.99).as_secs_f64() * 1000.0
    );

    // The live ranking after a save: the cache is stale, so it is computed again.
    let manager = Session::login(&base, "manager", "manager-password-1").await;
    let mut timings = Vec::new();
    let first = Instant::now();
    let ranking = manager.get(&format!("/api/campaigns/{campaign_id}/ranking")).await;
    println!(
        "ranking, first (every submission read): {:.0} ms, {} units ranked",
        first.elapsed().as_secs_f64() * 1000.0,
        ranking["rows"].as_array().map_or(0, Vec::len)
    );
    let reviewer = Session::login(&base, "reviewer", "reviewer-password-1").await;
    for round in 0..10 {
        let unit = format!("U{:05}", round);
        let decision = json!({ "indicator_id": "aw-leaders-trained", "decision": "adjusted", "value": format!("{}", 10 + round), "reason": "bench" });
        reviewer.post(&format!("/api/campaigns/{campaign_id}/units/{unit}/submission/reviews"), decision).await;
        let started = Instant::now();
        let ranking = manager.get(&format!("/api/campaigns/{campaign_id}/ranking?basis=submitted")).await;
        timings.push(started.elapsed());
        assert!(ranking["rows"].as_array().is_some_and(|rows| rows.len() == units), "{ranking}");
    }
    timings.sort();
    println!(
        "ranking after a change ({units} units): median {:.0} ms, max {:.0} ms",
        timings[timings.len() / 2].as_secs_f64() * 1000.0,
        timings.last().unwrap().as_secs_f64() * 1000.0
    );
    server.stop().await.expect("the server stops");
}

/// Units U00000.. under one ministry, an account per unit (its head), a manager, a reviewer
/// and an open campaign; written directly, with one password hash shared by all.
async fn set_up(server: &Server, units: usize) -> i64 {
    let db = server.state().db();
    let now = Clock::default().now();
    let mut csv = String::from("code,name,parent,block\nROOT,Bộ chủ quản,,\n");
    for unit in 0..units {
        csv.push_str(&format!("U{unit:05},Đơn vị {unit},ROOT,ministry-with-public-services\n"));
    }
    dti_server::ops::import_orgs(db, "units.csv", csv.as_bytes(), now).await.expect("units");
    let hash = accounts::hash_password("unit-password-1", PasswordCost::DEFAULT).unwrap();
    let staff_hash = accounts::hash_password("x", PasswordCost::DEFAULT).unwrap();
    let mut transaction = db.write().await.unwrap();
    for unit in 0..units {
        let code = format!("U{unit:05}");
        let account = NewAccount {
            login: code.to_lowercase(),
            name: code.clone(),
            email: None,
            org: Some(code.clone()),
            password: String::new(),
        };
        let id = accounts::create(&mut transaction, &account, &hash, now).await.unwrap();
        accounts::add_grant(&mut transaction, id, &NewGrant { role: Role::UnitHead, org: code, pillars: None })
            .await
            .unwrap();
    }
    for (login, role) in [("manager", Role::CampaignManager), ("reviewer", Role::Reviewer)] {
        let account =
            NewAccount { login: login.into(), name: login.into(), email: None, org: None, password: String::new() };
        let id = accounts::create(&mut transaction, &account, &staff_hash, now).await.unwrap();
        accounts::add_grant(&mut transaction, id, &NewGrant { role, org: "ROOT".into(), pillars: None }).await.unwrap();
        let password = accounts::hash_password(&format!("{login}-password-1"), PasswordCost::DEFAULT).unwrap();
        accounts::set_password(&mut transaction, id, &password).await.unwrap();
    }
    let builtin = dti_core::builtin::builtin("vn-ministry").unwrap();
    let loaded = dti_core::load_framework(builtin.file_name, builtin.framework.as_bytes());
    let framework = loaded.framework.unwrap();
    campaigns::store_framework(&mut transaction, &framework, &loaded.sha256, builtin.file_name, builtin.framework, now)
        .await
        .unwrap();
    let day = |offset: i64| dti_server::clock::rfc3339(now + offset * dti_server::clock::DAY);
    let input = CampaignInput {
        name: "Load".into(),
        owner: "ROOT".into(),
        framework_sha256: loaded.sha256.clone(),
        period: "2026".into(),
        opens_at: day(-1),
        deadline: day(30),
        closes_at: day(40),
        units: None,
    };
    let id = campaigns::create(&mut transaction, &input, now).await.unwrap();
    campaigns::set_state(&mut transaction, id, CampaignState::Draft, CampaignState::Open, now).await.unwrap();
    transaction.commit().await.unwrap();
    id
}

/// A signed-in client.
#[derive(Clone)]
struct Session {
    http: reqwest::Client,
    base: String,
    csrf: String,
    unit: String,
}

impl Session {
    async fn login(base: &str, login: &str, password: &str) -> Session {
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
        let csrf = reply["csrf_token"].as_str().unwrap_or_else(|| panic!("{login}: {reply}")).to_owned();
        Session { http, base: base.to_owned(), csrf, unit: login.to_uppercase() }
    }

    async fn get(&self, path: &str) -> Value {
        let response = self.http.get(format!("{}{path}", self.base)).send().await.unwrap();
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        serde_json::from_str(&text).unwrap_or_else(|_| json!({ "status": status.as_u16(), "text": text }))
    }

    async fn post(&self, path: &str, body: Value) -> Value {
        let response = self
            .http
            .post(format!("{}{path}", self.base))
            .header("x-csrf-token", &self.csrf)
            .json(&body)
            .send()
            .await
            .unwrap();
        response.json().await.unwrap_or(Value::Null)
    }
}

async fn sign_in(base: &str, unit: usize) -> Session {
    Session::login(base, &format!("u{unit:05}"), "unit-password-1").await
}

/// Runs `task` for units 0..n with `clients` at a time.
async fn run_clients<F, Fut>(clients: usize, n: usize, task: F) -> Vec<Session>
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = Session> + Send,
{
    let task = std::sync::Arc::new(task);
    let next = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut handles = Vec::new();
    for _ in 0..clients {
        let (task, next) = (std::sync::Arc::clone(&task), std::sync::Arc::clone(&next));
        handles.push(tokio::spawn(async move {
            let mut done = Vec::new();
            loop {
                let unit = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if unit >= n {
                    return done;
                }
                done.push(task(unit).await);
            }
        }));
    }
    let mut sessions = Vec::new();
    for handle in handles {
        sessions.extend(handle.await.unwrap());
    }
    sessions
}

/// Each session saves its unit's draft ten times (each based on the last) and submits;
/// returns the latencies of the saves and of the submit.
async fn run_sessions(clients: usize, sessions: Vec<Session>, campaign_id: i64) -> Vec<(Vec<Duration>, Duration)> {
    let queue = std::sync::Arc::new(tokio::sync::Mutex::new(sessions));
    let mut handles = Vec::new();
    for _ in 0..clients {
        let queue = std::sync::Arc::clone(&queue);
        handles.push(tokio::spawn(async move {
            let mut results = Vec::new();
            loop {
                let Some(session) = queue.lock().await.pop() else { return results };
                let path = format!("/api/campaigns/{campaign_id}/units/{}/submission", session.unit);
                let view = session.get(&path).await;
                assert!(view["submission"].is_object(), "the submission of {}: {view}", session.unit);
                let mut submission = view["submission"].clone();
                let mut head = 0;
                let mut saves = Vec::with_capacity(10);
                for round in 0..10 {
                    submission["values"]["aw-leaders-trained"] = json!({ "value": format!("{}", 40 + round) });
                    submission["values"]["hr-staff-trained"] = json!({ "value": format!("{}", 50 + round) });
                    let started = Instant::now();
                    let response = session
                        .http
                        .put(format!("{}{path}", session.base))
                        .header("x-csrf-token", &session.csrf)
                        .json(&json!({ "based_on": head, "submission": submission }))
                        .send()
                        .await
                        .unwrap();
                    let status = response.status();
                    let body: Value = response.json().await.unwrap_or(Value::Null);
                    assert_eq!(status, 200, "save of {}: {body}", session.unit);
                    saves.push(started.elapsed());
                    head = body["head"].as_i64().unwrap();
                }
                let started = Instant::now();
                let submitted = session.post(&format!("{path}/submit"), json!({})).await;
                assert_eq!(submitted["state"], "submitted", "{submitted}");
                results.push((saves, started.elapsed()));
            }
        }));
    }
    let mut all = Vec::new();
    for handle in handles {
        all.extend(handle.await.unwrap());
    }
    all
}
