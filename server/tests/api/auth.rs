use crate::helpers::TestApp;
use crate::on_both_databases;
use serde_json::json;

on_both_databases! {
    async fn a_wrong_password_is_refused_and_audited(app: TestApp) {
        let client = app.anonymous();
        let reply = client.post("/api/login", json!({ "login": "editor", "password": "not-the-password" })).await;
        assert_eq!(reply.status, 401);
        assert_eq!(reply.body["error"], "unauthenticated");
        let reply = client.post("/api/login", json!({ "login": "nobody", "password": "not-the-password" })).await;
        assert_eq!(reply.status, 401, "an unknown login gets the same answer");
        let admin = app.login_as("admin").await;
        let entries = admin.get("/api/audit?limit=10000").await.body;
        let failed: Vec<_> = entries.as_array().unwrap().iter().filter(|e| e["action"] == "login-failed").collect();
        assert_eq!(failed.len(), 2);
        assert_eq!(failed[0]["target"], "login/editor");
        assert_eq!(failed[0]["address"], "127.0.0.1");
        assert!(!failed[0]["detail"].to_string().contains("not-the-password"), "no password in the log");
    }

    async fn a_session_sees_its_account_and_ends_at_logout(app: TestApp) {
        let client = app.login_as("editor").await;
        let reply = client.get("/api/session").await;
        assert_eq!(reply.status, 200);
        assert_eq!(reply.body["account"]["login"], "editor");
        assert_eq!(reply.body["account"]["grants"][0]["role"], "unit-editor");
        assert_eq!(reply.body["account"]["grants"][0]["org"], "M01");
        assert_eq!(client.post("/api/logout", json!({})).await.status, 204);
        assert_eq!(client.get("/api/session").await.status, 401);
    }

    async fn the_session_cookie_is_http_only_strict_and_new_at_each_login(app: TestApp) {
        let client = app.anonymous();
        let first = client.post("/api/login", json!({ "login": "head", "password": "head-demo-2026" })).await;
        let cookie = first.headers.get("set-cookie").unwrap().to_str().unwrap().to_owned();
        assert!(cookie.starts_with("dti_session="), "{cookie}");
        assert!(cookie.contains("HttpOnly"), "{cookie}");
        assert!(cookie.contains("SameSite=Strict"), "{cookie}");
        assert!(!cookie.contains("Secure"), "plain http on loopback: {cookie}");
        let second = client.post("/api/login", json!({ "login": "head", "password": "head-demo-2026" })).await;
        let renewed = second.headers.get("set-cookie").unwrap().to_str().unwrap().to_owned();
        let id = |cookie: &str| cookie.split(';').next().unwrap().to_owned();
        assert_ne!(id(&cookie), id(&renewed), "a new session id at every sign-in");
    }

    async fn a_state_changing_request_without_the_csrf_token_is_refused(app: TestApp) {
        let mut client = app.login_as("editor").await;
        client.csrf = None;
        let reply = client.post("/api/logout", json!({})).await;
        assert_eq!(reply.status, 403);
        assert_eq!(reply.body["error"], "csrf");
        client.csrf = Some("0".repeat(64));
        assert_eq!(client.post("/api/logout", json!({})).await.status, 403);
        assert_eq!(client.get("/api/session").await.status, 200, "reads need no token");
    }

    async fn repeated_failures_throttle_the_account_and_the_address(app: TestApp) {
        let client = app.anonymous();
        for _ in 0..5 {
            let reply = client.post("/api/login", json!({ "login": "viewer", "password": "wrong-password" })).await;
            assert_eq!(reply.status, 401);
        }
        let reply = client.post("/api/login", json!({ "login": "viewer", "password": "viewer-demo-2026" })).await;
        assert_eq!(reply.status, 429, "even the right password waits: {}", reply.body);
        assert!(reply.headers.get("retry-after").is_some());
        // The address is throttled too: another account from here waits as well.
        let reply = client.post("/api/login", json!({ "login": "head", "password": "head-demo-2026" })).await;
        assert_eq!(reply.status, 429);
        app.clock.advance(16 * 60 * 1000);
        let reply = client.post("/api/login", json!({ "login": "viewer", "password": "viewer-demo-2026" })).await;
        assert_eq!(reply.status, 200, "the window passed");
    }

    async fn an_idle_session_and_an_old_session_end(app: TestApp) {
        let client = app.login_as("viewer").await;
        app.clock.advance(29 * 60 * 1000);
        assert_eq!(client.get("/api/session").await.status, 200, "29 minutes idle: still on");
        app.clock.advance(31 * 60 * 1000);
        assert_eq!(client.get("/api/session").await.status, 401, "31 minutes idle: ended");
        let busy = app.login_as("viewer").await;
        for _ in 0..24 {
            app.clock.advance(29 * 60 * 1000);
            assert_eq!(busy.get("/api/session").await.status, 200);
        }
        app.clock.advance(29 * 60 * 1000);
        assert_eq!(busy.get("/api/session").await.status, 401, "past 12 hours even when busy");
    }

    async fn a_password_change_ends_every_session_of_the_account(app: TestApp) {
        let laptop = app.login_as("reviewer").await;
        let phone = app.login_as("reviewer").await;
        let weak = laptop.post("/api/account/password", json!({ "current": "reviewer-demo-2026", "new": "short" })).await;
        assert_eq!(weak.status, 422);
        assert_eq!(weak.body["field"], "new");
        let wrong = laptop.post("/api/account/password", json!({ "current": "nope-nope-nope", "new": "a-new-long-password" })).await;
        assert_eq!(wrong.status, 422);
        assert_eq!(wrong.body["field"], "current");
        let done = laptop.post("/api/account/password", json!({ "current": "reviewer-demo-2026", "new": "a-new-long-password" })).await;
        assert_eq!(done.status, 204);
        assert_eq!(laptop.get("/api/session").await.status, 401);
        assert_eq!(phone.get("/api/session").await.status, 401, "the other session ended too");
        let old = app.anonymous().post("/api/login", json!({ "login": "reviewer", "password": "reviewer-demo-2026" })).await;
        assert_eq!(old.status, 401);
        app.login("reviewer", "a-new-long-password").await;
    }

    async fn a_malformed_body_names_the_field(app: TestApp) {
        let client = app.anonymous();
        let reply = client.post("/api/login", json!({ "login": "x", "pasword": "y" })).await;
        assert_eq!(reply.status, 422, "{}", reply.body);
        assert!(reply.body.to_string().contains("pasword"), "{}", reply.body);
    }
}

/// Behind HTTPS (the public address says so), the session cookie is `Secure`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_https_the_cookie_is_secure() {
    let app = TestApp::spawn_configured(dti_server::Backend::Sqlite, |config| {
        config.public_url = "https://dti.example.gov.vn".into();
    })
    .await;
    let reply = app.anonymous().post("/api/login", json!({ "login": "head", "password": "head-demo-2026" })).await;
    let cookie = reply.headers.get("set-cookie").unwrap().to_str().unwrap().to_owned();
    assert!(cookie.contains("Secure"), "{cookie}");
}
