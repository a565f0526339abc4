use crate::helpers::*;
use crate::on_both_databases;
use serde_json::{Value, json};

/// Every operation of the document: (method, path with its parameters filled in).
fn operations(document: &Value, campaign_id: i64) -> Vec<(String, String)> {
    let mut operations = Vec::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        let filled = path
            .replace("{id}", &campaign_id.to_string())
            .replace("{code}", "M01")
            .replace("{number}", "1")
            .replace("{grant_id}", "1")
            .replace("{action}", "close")
            .replace("{indicator}", "aw-leaders-trained")
            .replace("{file}", "1")
            .replace("{notification}", "1");
        assert!(!filled.contains('{'), "an unfilled parameter in {path}");
        for method in item.as_object().expect("operations").keys() {
            operations.push((method.to_uppercase(), filled.clone()));
        }
    }
    operations
}

async fn request(client: &Client, method: &str, path: &str) -> Reply {
    match method {
        "GET" => client.get(path).await,
        "POST" => client.post(path, json!({})).await,
        "PUT" => client.put(path, json!({})).await,
        "DELETE" => client.delete(path).await,
        other => panic!("a method the tests do not send: {other}"),
    }
}

on_both_databases! {
    async fn every_documented_route_exists(app: TestApp) {
        let document = app.anonymous().get("/api/openapi.json").await.body;
        assert_eq!(document["openapi"], "3.1.0");
        let operations = operations(&document, app.campaign_id);
        assert!(operations.len() >= 30, "{} operations", operations.len());
        let anonymous = app.anonymous();
        for (method, path) in &operations {
            let reply = request(&anonymous, method, path).await;
            assert_ne!(reply.status, 405, "{method} {path}");
            assert_ne!(reply.body["message"], "no such page", "{method} {path}");
            let expected = if path == "/api/login" { 422 } else { 401 };
            assert_eq!(reply.status, expected, "{method} {path} without a session: {}", reply.body);
        }
        // An address the document does not list is the fallback's 404.
        let reply = anonymous.get("/api/no-such-route").await;
        assert_eq!((reply.status, reply.body["message"].as_str()), (404, Some("no such page")));
    }

    async fn every_state_changing_route_needs_the_csrf_token(app: TestApp) {
        let document = app.anonymous().get("/api/openapi.json").await.body;
        let mut admin = app.login_as("admin").await;
        admin.csrf = None;
        for (method, path) in operations(&document, app.campaign_id) {
            if method == "GET" || path == "/api/login" {
                continue;
            }
            let reply = request(&admin, &method, &path).await;
            assert_eq!((reply.status, reply.body["error"].as_str()), (403, Some("csrf")), "{method} {path}");
        }
    }
}

/// The API's routes are registered only through `routes!` (utoipa-axum), which documents
/// them: a route added with a plain `.route(` would be missing from the document.
#[test]
fn no_route_escapes_the_document() {
    let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/src/http");
    for entry in std::fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        for (number, line) in text.lines().enumerate() {
            if line.contains(".route(") {
                assert!(line.contains("/api/openapi.json"), "{}:{}: {line}", path.display(), number + 1);
            }
        }
    }
}

on_both_databases! {
    async fn a_viewer_changes_nothing_through_any_route(app: TestApp) {
        let document = app.anonymous().get("/api/openapi.json").await.body;
        let viewer = app.login_as("viewer").await;
        for (method, path) in operations(&document, app.campaign_id) {
            if method == "GET" || path == "/api/login" || path == "/api/logout" || path.starts_with("/api/account/")
                || path.starts_with("/api/notifications/")
            {
                continue;
            }
            let reply = request(&viewer, &method, &path).await;
            assert!(!(200..300).contains(&reply.status), "a viewer's {method} {path}: {} {}", reply.status, reply.body);
        }
    }

    async fn another_units_editor_reaches_nothing_of_this_unit(app: TestApp) {
        app.create_account("editor-m02", "unit-editor", "M02", Some("M02")).await;
        let document = app.anonymous().get("/api/openapi.json").await.body;
        let other = app.login_as("editor-m02").await;
        for (method, path) in operations(&document, app.campaign_id) {
            if !path.contains("/units/M01") {
                continue;
            }
            let reply = request(&other, &method, &path).await;
            // 400: a query string refused before authorisation (axum's own, plain-text answer).
            assert!(matches!(reply.status, 400 | 403 | 404 | 422), "M02's editor {method} {path}: {} {}", reply.status, reply.body);
        }
    }
}
