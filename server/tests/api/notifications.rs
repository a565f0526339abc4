use crate::helpers::*;
use crate::on_both_databases;
use serde_json::{Value, json};

/// The kinds of `client`'s notifications, newest first.
async fn kinds(client: &Client) -> Vec<String> {
    let notifications = client.get("/api/notifications").await.body;
    notifications.as_array().unwrap().iter().map(|n| n["kind"].as_str().unwrap().to_owned()).collect()
}

on_both_databases! {
    async fn opening_a_campaign_tells_its_units(app: TestApp) {
        let manager = app.login_as("manager").await;
        let first: Value = manager.get(&format!("/api/campaigns/{}", app.campaign_id)).await.body;
        let created = manager.post("/api/campaigns", json!({
            "name": "Đợt 2", "owner": "BCD", "framework_sha256": first["framework_sha256"], "period": "2027",
            "opens_at": "2026-01-01", "deadline": "2099-01-01", "closes_at": "2099-02-01", "units": ["M01", "M02"]
        })).await.body;
        let id = created["id"].as_i64().unwrap();
        manager.post(&format!("/api/campaigns/{id}/state/open"), json!({})).await;
        let editor = app.login_as("editor").await;
        assert_eq!(kinds(&editor).await, ["campaign-opened"]);
        assert_eq!(kinds(&app.login_as("head").await).await, ["campaign-opened"]);
        assert!(kinds(&app.login_as("viewer").await).await.is_empty());
        // Reopened after a close: not told twice.
        manager.post(&format!("/api/campaigns/{id}/state/close"), json!({})).await;
        manager.post(&format!("/api/campaigns/{id}/state/reopen"), json!({})).await;
        assert_eq!(kinds(&editor).await.len(), 1);
        let notification = editor.get("/api/notifications").await.body[0].clone();
        assert_eq!(notification["read"], false);
        assert!(notification["body"].as_str().unwrap().contains("Đợt 2"));
        let path = format!("/api/notifications/{}/read", notification["id"]);
        assert_eq!(editor.post(&path, json!({})).await.status, 204);
        assert_eq!(editor.get("/api/notifications").await.body[0]["read"], true);
        assert_eq!(app.login_as("head").await.post(&path, json!({})).await.status, 404, "not someone else's");
    }

    async fn reviews_tell_the_unit_and_the_mail_is_grouped(app: TestApp) {
        app.create_account("head-m02", "unit-head", "M02", Some("M02")).await;
        let admin = app.login_as("admin").await;
        let id = admin.get("/api/accounts").await.body.as_array().unwrap().iter().find(|a| a["login"] == "head-m02").unwrap()["id"].clone();
        assert!(id.is_i64());
        let reviewer = app.login_as("reviewer").await;
        let path = app.submission_path("M02", "/reviews");
        reviewer.post(&path, json!({ "indicator_id": "hr-staff-trained", "decision": "needs-information", "reason": "gửi danh sách cán bộ" })).await;
        assert_eq!(reviewer.post(&app.submission_path("M02", "/request-changes"), json!({ "note": "bổ sung trước 15/12" })).await.status, 200);
        let head = app.login_as("head-m02").await;
        let notifications = head.get("/api/notifications").await.body;
        assert_eq!(notifications[0]["kind"], "changes-requested");
        let body = notifications[0]["body"].as_str().unwrap();
        assert!(body.contains("hr-staff-trained: gửi danh sách cán bộ") && body.contains("bổ sung trước 15/12"), "{body}");
        // head-m02 has no e-mail address: nothing is mailed; the demo accounts have one.
        assert_eq!(notifications[0]["email"], "none");
        dti_server::notify::tick(app.server.state()).await;
        assert!(app.mail.messages().is_empty());
    }

    async fn reminders_come_once_before_the_deadline_and_are_mailed(app: TestApp) {
        let state = app.server.state();
        dti_server::notify::tick(state).await;
        assert!(kinds(&app.login_as("editor").await).await.is_empty(), "30 days before: nothing yet");
        app.clock.advance(24 * 24 * 3600 * 1000);
        dti_server::notify::tick(state).await;
        dti_server::notify::tick(state).await;
        let editor = app.login_as("editor").await;
        assert_eq!(kinds(&editor).await, ["reminder"], "7 days before, once");
        assert!(editor.get("/api/notifications").await.body[0]["subject"].as_str().unwrap().contains("Còn 7 ngày"));
        // Units that submitted are not reminded: M02's staff would be, had it any.
        app.clock.advance(4 * 24 * 3600 * 1000);
        dti_server::notify::tick(state).await;
        let editor = app.login_as("editor").await;
        assert_eq!(kinds(&editor).await, ["reminder", "reminder"], "3 days before");
        let messages = app.mail.messages();
        let to_editor: Vec<&String> = messages.iter().filter(|m| m.contains("editor@example.gov.vn")).collect();
        assert_eq!(to_editor.len(), 2, "one message per tick and recipient");
        assert!(to_editor[0].contains("Subject: =?utf-8?") || to_editor[0].contains("Subject:"), "{}", to_editor[0]);
        assert_eq!(editor.get("/api/notifications").await.body[0]["email"], "sent");
    }

    async fn finalising_sends_the_engines_alerts_grouped_per_recipient(app: TestApp) {
        let manager = app.login_as("manager").await;
        manager.post(&format!("/api/campaigns/{}/state/close", app.campaign_id), json!({})).await;
        let snapshot = manager.post(&format!("/api/campaigns/{}/finalise", app.campaign_id), json!({})).await;
        assert_eq!(snapshot.status, 200, "{}", snapshot.body);
        let notifications = manager.get("/api/notifications").await.body;
        let alerts: Vec<&Value> = notifications.as_array().unwrap().iter().filter(|n| n["kind"] == "alerts").collect();
        assert_eq!(alerts.len(), 1, "one notification with every alert");
        let body = alerts[0]["body"].as_str().unwrap();
        assert!(body.lines().count() > 1, "{body}");
        assert!(body.contains("Nghiêm trọng / Critical") || body.contains("Cảnh báo / Warning"), "{body}");
        dti_server::notify::tick(app.server.state()).await;
        let to_manager: Vec<String> = app.mail.messages().into_iter().filter(|m| m.contains("manager@example.gov.vn")).collect();
        assert_eq!(to_manager.len(), 1);
    }
}
