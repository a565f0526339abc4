//! The test server: each test spawns the real server on port 0 against a fresh database
//! (a SQLite file, or a new PostgreSQL database when one is configured) seeded with the
//! demo, and talks to it over HTTP as each person would.

use dti_server::config::PasswordCost;
use dti_server::seed::{DEMO_ACCOUNTS, Seeded, seed_demo};
use dti_server::{Backend, Clock, Config, Server};
use serde_json::{Value, json};
use sqlx::Connection;
use std::sync::atomic::{AtomicU32, Ordering};

/// Runs each case on SQLite and on PostgreSQL: `mod NAME { sqlite, postgres }`.
#[macro_export]
macro_rules! on_both_databases {
    ($(async fn $name:ident($app:ident: TestApp) $body:block)*) => {
        $(
            mod $name {
                #[allow(unused_imports)]
                use super::*;

                async fn case($app: $crate::helpers::TestApp) $body

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    case($crate::helpers::TestApp::spawn(dti_server::Backend::Sqlite).await).await
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if let Some(app) = $crate::helpers::TestApp::spawn_postgres().await {
                        case(app).await
                    }
                }
            }
        )*
    };
}

/// A running server with its database and clock.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// The server (kept running while the test holds it).
    #[allow(dead_code, reason = "held for its lifetime; not every test binary module reads it")]
    pub server: Server,
    /// Its clock: tests move it past deadlines and time-outs.
    pub clock: Clock,
    /// The demo campaign's id.
    pub campaign_id: i64,
    /// The database's address.
    pub database: String,
    /// The mail the server sent, as a local SMTP listener received it.
    pub mail: MailSink,
    /// The data folder (removed at the end).
    #[allow(dead_code, reason = "held so that the folder lives as long as the server")]
    pub dir: tempfile::TempDir,
}

static DATABASES: AtomicU32 = AtomicU32::new(0);

/// The PostgreSQL server the tests may use, from the libpq variables `pg_virtualenv` sets;
/// `None` (the PostgreSQL half of each test skipped, said on stderr) when there is none,
/// unless `DTI_REQUIRE_POSTGRES` is set, as `cargo xtask test` does.
fn postgres_base() -> Option<String> {
    let host = std::env::var("PGHOST").ok();
    let Some(host) = host else {
        assert!(
            std::env::var_os("DTI_REQUIRE_POSTGRES").is_none(),
            "DTI_REQUIRE_POSTGRES is set but PGHOST is not: run under pg_virtualenv"
        );
        eprintln!("PostgreSQL half skipped: no PGHOST (run the tests under pg_virtualenv, as cargo xtask test does)");
        return None;
    };
    let port = std::env::var("PGPORT").unwrap_or_else(|_| "5432".into());
    let user = std::env::var("PGUSER").unwrap_or_else(|_| "postgres".into());
    let password = std::env::var("PGPASSWORD").unwrap_or_default();
    Some(format!("postgres://{user}:{password}@{host}:{port}"))
}

impl TestApp {
    /// A server on a fresh SQLite file, or a fresh PostgreSQL database.
    pub async fn spawn(backend: Backend) -> TestApp {
        TestApp::spawn_configured(backend, |_| {}).await
    }

    /// [`TestApp::spawn`] with settings changed by `configure`.
    pub async fn spawn_configured(backend: Backend, configure: impl FnOnce(&mut Config)) -> TestApp {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("a temporary folder");
                let database = format!("sqlite:{}", dir.path().join("dti.db").display());
                TestApp::start(database, dir, configure).await
            }
            Backend::Postgres => TestApp::spawn_postgres_configured(configure).await.expect("PostgreSQL is configured"),
        }
    }

    /// A server on a new PostgreSQL database, when PostgreSQL is configured.
    pub async fn spawn_postgres() -> Option<TestApp> {
        TestApp::spawn_postgres_configured(|_| {}).await
    }

    /// [`TestApp::spawn_postgres`] with settings changed by `configure`.
    pub async fn spawn_postgres_configured(configure: impl FnOnce(&mut Config)) -> Option<TestApp> {
        let base = postgres_base()?;
        let name = format!("dti_test_{}_{}", std::process::id(), DATABASES.fetch_add(1, Ordering::Relaxed));
        let mut admin = sqlx::PgConnection::connect(&format!("{base}/postgres")).await.expect("connect to PostgreSQL");
        sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut admin).await.expect("create a test database");
        admin.close().await.ok();
        let dir = tempfile::tempdir().expect("a temporary folder");
        Some(TestApp::start(format!("{base}/{name}"), dir, configure).await)
    }

    async fn start(database: String, dir: tempfile::TempDir, configure: impl FnOnce(&mut Config)) -> TestApp {
        let mut config = Config::new(database.clone(), dir.path().join("data"));
        config.listen = "127.0.0.1:0".parse().expect("an address");
        config.password_cost = PasswordCost::TEST;
        let mail = MailSink::start().await;
        config.smtp = Some(dti_server::config::Smtp {
            host: "127.0.0.1".into(),
            port: mail.port,
            from: "DTI <dti@example.gov.vn>".into(),
            credentials: None,
            starttls: false,
        });
        configure(&mut config);
        let clock = Clock::default();
        let server = Server::start_with_clock(config, clock.clone()).await.expect("the server starts");
        let Seeded::Demo { campaign_id } =
            seed_demo(server.state().db(), PasswordCost::TEST, clock.now()).await.expect("the demo seeds")
        else {
            panic!("a fresh database is seeded")
        };
        TestApp { base: format!("http://{}", server.address()), server, clock, campaign_id, database, mail, dir }
    }

    /// A client with no session.
    pub fn anonymous(&self) -> Client {
        Client {
            http: reqwest::Client::builder().cookie_store(true).build().expect("a client"),
            base: self.base.clone(),
            csrf: None,
        }
    }

    /// A client signed in as the demo account `login`.
    pub async fn login_as(&self, login: &str) -> Client {
        let password = DEMO_ACCOUNTS
            .iter()
            .find(|account| account.login == login)
            .map(|account| account.password.to_owned())
            .unwrap_or_else(|| format!("{login}-password-1"));
        self.login(login, &password).await
    }

    /// A client signed in with `login` and `password` (panics if refused).
    pub async fn login(&self, login: &str, password: &str) -> Client {
        let mut client = self.anonymous();
        let reply = client.post("/api/login", json!({ "login": login, "password": password })).await;
        assert_eq!(reply.status, 200, "sign-in of {login}: {}", reply.body);
        client.csrf = reply.body["csrf_token"].as_str().map(str::to_owned);
        client
    }

    /// Creates an account through the administrator's API, with one role on `org` and
    /// `home` as its unit; its password is `LOGIN-password-1`.
    pub async fn create_account(&self, login: &str, role: &str, org: &str, home: Option<&str>) -> i64 {
        let admin = self.login_as("admin").await;
        let reply = admin
            .post(
                "/api/accounts",
                json!({ "login": login, "name": login, "org": home, "password": format!("{login}-password-1") }),
            )
            .await;
        assert_eq!(reply.status, 201, "{}", reply.body);
        let id = reply.body["id"].as_i64().expect("an id");
        let reply = admin.post(&format!("/api/accounts/{id}/grants"), json!({ "role": role, "org": org })).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        id
    }

    /// The address of unit `code`'s submission in the demo campaign, plus `rest`.
    pub fn submission_path(&self, code: &str, rest: &str) -> String {
        format!("/api/campaigns/{}/units/{code}/submission{rest}", self.campaign_id)
    }
}

/// An HTTP client with its cookies and CSRF token.
pub struct Client {
    /// The client (it keeps cookies).
    pub http: reqwest::Client,
    /// The server's address.
    pub base: String,
    /// The session's CSRF token, sent with every state-changing request.
    pub csrf: Option<String>,
}

/// A response: its status and its body (JSON, or the text as a JSON string).
#[derive(Debug)]
pub struct Reply {
    /// The status code.
    pub status: u16,
    /// The body.
    pub body: Value,
    /// The headers.
    pub headers: reqwest::header::HeaderMap,
}

impl Client {
    async fn send(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Reply {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(csrf) = &self.csrf {
            request = request.header("x-csrf-token", csrf);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        reply(request.send().await.expect("the server answers")).await
    }

    /// GET.
    pub async fn get(&self, path: &str) -> Reply {
        self.send(reqwest::Method::GET, path, None).await
    }

    /// POST a JSON body.
    pub async fn post(&self, path: &str, body: Value) -> Reply {
        self.send(reqwest::Method::POST, path, Some(body)).await
    }

    /// PUT a JSON body.
    pub async fn put(&self, path: &str, body: Value) -> Reply {
        self.send(reqwest::Method::PUT, path, Some(body)).await
    }

    /// DELETE.
    pub async fn delete(&self, path: &str) -> Reply {
        self.send(reqwest::Method::DELETE, path, None).await
    }

    /// POST a text body (CSV, an indicator file).
    pub async fn post_text(&self, path: &str, text: &str) -> Reply {
        let mut request = self.http.post(format!("{}{path}", self.base)).body(text.to_owned());
        if let Some(csrf) = &self.csrf {
            request = request.header("x-csrf-token", csrf);
        }
        reply(request.send().await.expect("the server answers")).await
    }

    /// The current submission of unit `code` in campaign `campaign_id`, as its reader sees it.
    pub async fn submission(&self, campaign_id: i64, code: &str) -> Reply {
        self.get(&format!("/api/campaigns/{campaign_id}/units/{code}/submission")).await
    }

    /// Saves `submission` for unit `code`, based on revision `based_on`.
    pub async fn save(&self, campaign_id: i64, code: &str, based_on: i64, submission: &Value) -> Reply {
        self.put(
            &format!("/api/campaigns/{campaign_id}/units/{code}/submission"),
            json!({ "based_on": based_on, "submission": submission }),
        )
        .await
    }
}

async fn reply(response: reqwest::Response) -> Reply {
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.unwrap_or_default();
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    Reply { status, body, headers }
}

/// `submission` with indicator `id` set to `value`.
pub fn with_value(submission: &Value, id: &str, value: &str) -> Value {
    let mut changed = submission.clone();
    changed["values"][id] = json!({ "value": value });
    changed
}

/// A local SMTP listener that accepts every message and keeps it: enough of RFC 5321 for
/// a client that sends plain mail (EHLO, MAIL, RCPT, DATA, QUIT).
#[derive(Clone)]
pub struct MailSink {
    /// Its port on 127.0.0.1.
    pub port: u16,
    received: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl MailSink {
    async fn start() -> MailSink {
        use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a port for the mail sink");
        let port = listener.local_addr().expect("its address").port();
        let received = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let store = std::sync::Arc::clone(&received);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let store = std::sync::Arc::clone(&store);
                tokio::spawn(async move {
                    let (reader, mut writer) = stream.into_split();
                    let mut lines = BufReader::new(reader).lines();
                    let _ = writer.write_all(b"220 sink ESMTP\r\n").await;
                    let mut message: Option<String> = None;
                    while let Ok(Some(line)) = lines.next_line().await {
                        if let Some(body) = message.as_mut() {
                            if line == "." {
                                store.lock().unwrap().push(message.take().unwrap_or_default());
                                let _ = writer.write_all(b"250 OK\r\n").await;
                            } else {
                                body.push_str(&line);
                                body.push('\n');
                            }
                            continue;
                        }
                        let verb = line.get(..4).unwrap_or_default().to_ascii_uppercase();
                        let reply: &[u8] = match verb.as_str() {
                            "EHLO" | "HELO" => b"250 sink\r\n",
                            "DATA" => {
                                message = Some(String::new());
                                b"354 go on\r\n"
                            }
                            "QUIT" => {
                                let _ = writer.write_all(b"221 bye\r\n").await;
                                break;
                            }
                            _ => b"250 OK\r\n",
                        };
                        let _ = writer.write_all(reply).await;
                    }
                });
            }
        });
        MailSink { port, received }
    }

    /// Every message received so far (headers and body, as sent).
    pub fn messages(&self) -> Vec<String> {
        self.received.lock().unwrap().clone()
    }
}
