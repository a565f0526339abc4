use crate::helpers::*;
use crate::on_both_databases;
use serde_json::{Value, json};

/// Accepts every value of unit `code`'s submission.
async fn accept_all(app: &TestApp, reviewer: &Client, code: &str) {
    let view = reviewer.submission(app.campaign_id, code).await.body;
    for id in view["submission"]["values"].as_object().unwrap().keys() {
        let reply = reviewer
            .post(&app.submission_path(code, "/reviews"), json!({ "indicator_id": id, "decision": "accepted" }))
            .await;
        assert!(reply.status == 200 || id == "if-cloud", "{id}: {}", reply.body);
    }
}

on_both_databases! {
    async fn an_adjustment_needs_a_valid_value_and_a_reason(app: TestApp) {
        let reviewer = app.login_as("reviewer").await;
        let typed = reviewer.submission(app.campaign_id, "M02").await.body["submission"]["values"]["aw-leaders-trained"]["value"].clone();
        assert_ne!(typed, json!("50"));
        let path = app.submission_path("M02", "/reviews");
        let reply = reviewer.post(&path, json!({ "indicator_id": "aw-leaders-trained", "decision": "adjusted", "value": "50", "reason": "" })).await;
        assert_eq!(reply.status, 422);
        assert_eq!(reply.body["field"], "reason");
        let reply = reviewer.post(&path, json!({ "indicator_id": "aw-leaders-trained", "decision": "adjusted", "value": "150", "reason": "x" })).await;
        assert_eq!(reply.status, 422);
        assert_eq!(reply.body["field"], "value");
        let reply = reviewer.post(&path, json!({ "indicator_id": "aw-leaders-trained", "decision": "adjusted", "value": "50", "reason": "biên bản chỉ có 50%" })).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        assert_eq!(reply.body["decision"], "adjusted");
        assert_eq!(reply.body["value"], "50");
        assert_eq!(reply.body["self_value"], typed, "the unit's own value is kept beside it");
        let reply = reviewer.post(&path, json!({ "indicator_id": "nothing-like-this", "decision": "accepted" })).await;
        assert_eq!(reply.body["field"], "indicator_id");
        let reply = reviewer.post(&path, json!({ "indicator_id": "aw-leaders-trained", "decision": "maybe" })).await;
        assert_eq!(reply.status, 422);
    }

    async fn a_submission_is_verified_once_every_value_is_settled(app: TestApp) {
        let reviewer = app.login_as("reviewer").await;
        let verify = app.submission_path("M02", "/verify");
        let reply = reviewer.post(&verify, json!({})).await;
        assert_eq!(reply.status, 409);
        assert_eq!(reply.body["error"], "unreviewed");
        accept_all(&app, &reviewer, "M02").await;
        let reply = reviewer.post(&verify, json!({ "note": "đủ minh chứng" })).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        assert_eq!(reply.body["state"], "verified");
        // Verified: no more decisions, and the unit cannot change it.
        let reply = reviewer.post(&app.submission_path("M02", "/reviews"), json!({ "indicator_id": "aw-leaders-trained", "decision": "accepted" })).await;
        assert_eq!(reply.body["error"], "verified");
        let manager = app.login_as("manager").await;
        assert_eq!(manager.post(&app.submission_path("M02", "/lock"), json!({})).await.body["state"], "locked");
        let reply = manager.post(&app.submission_path("M02", "/reopen"), json!({ "reason": "" })).await;
        assert_eq!(reply.status, 422, "reopening needs a reason");
        let reply = manager.post(&app.submission_path("M02", "/reopen"), json!({ "reason": "sai số liệu dịch vụ công" })).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        assert_eq!(reply.body["state"], "changes-requested");
        let reply = reviewer.post(&app.submission_path("M02", "/reopen"), json!({ "reason": "x" })).await;
        assert_eq!(reply.status, 403, "only a campaign manager reopens");
    }

    async fn asking_for_information_sends_it_back_and_a_changed_value_is_reviewed_again(app: TestApp) {
        app.create_account("head-m02", "unit-head", "M02", Some("M02")).await;
        let reviewer = app.login_as("reviewer").await;
        accept_all(&app, &reviewer, "M02").await;
        let path = app.submission_path("M02", "/reviews");
        let reply = reviewer.post(&path, json!({ "indicator_id": "hr-staff-trained", "decision": "needs-information", "reason": "" })).await;
        assert_eq!(reply.status, 422, "say what is needed");
        let reply = reviewer.post(&path, json!({ "indicator_id": "hr-staff-trained", "decision": "needs-information", "reason": "gửi danh sách" })).await;
        assert_eq!(reply.status, 200);
        let reply = reviewer.post(&app.submission_path("M02", "/request-changes"), json!({})).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        assert_eq!(reply.body["state"], "changes-requested");
        let head = app.login_as("head-m02").await;
        let view = head.submission(app.campaign_id, "M02").await.body;
        assert_eq!(view["reviews"]["hr-staff-trained"]["decision"], "needs-information");
        assert_eq!(view["reviews"]["hr-staff-trained"]["reason"], "gửi danh sách");
        let head_revision = view["head"].as_i64().unwrap();
        let changed = with_value(&view["submission"], "hr-staff-trained", "20");
        assert_eq!(head.save(app.campaign_id, "M02", head_revision, &changed).await.status, 200);
        assert_eq!(head.post(&app.submission_path("M02", "/submit"), json!({})).await.body["state"], "submitted");
        let view = reviewer.submission(app.campaign_id, "M02").await.body;
        assert_eq!(view["reviews"]["hr-staff-trained"]["current"], false, "the value changed since");
        assert_eq!(view["reviews"]["aw-leaders-trained"]["current"], true, "an unchanged value keeps its decision");
        let reply = reviewer.post(&app.submission_path("M02", "/verify"), json!({})).await;
        assert_eq!(reply.body["current"]["unsettled"], json!(["hr-staff-trained"]));
        reviewer.post(&path, json!({ "indicator_id": "hr-staff-trained", "decision": "accepted" })).await;
        assert_eq!(reviewer.post(&app.submission_path("M02", "/verify"), json!({})).await.status, 200);
    }

    async fn a_reviewer_never_reviews_their_own_unit(app: TestApp) {
        app.create_account("reviewer-m02", "reviewer", "BCD", Some("M02")).await;
        let own = app.login_as("reviewer-m02").await;
        let reply = own.post(&app.submission_path("M02", "/reviews"), json!({ "indicator_id": "aw-leaders-trained", "decision": "accepted" })).await;
        assert_eq!(reply.status, 403);
        assert_eq!(reply.body["error"], "own-unit");
        let reply = own.post(&app.submission_path("M03", "/reviews"), json!({ "indicator_id": "aw-leaders-trained", "decision": "accepted" })).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
    }

    async fn a_reviewer_limited_to_a_pillar_reviews_only_it(app: TestApp) {
        let id = app.create_account("security-reviewer", "reviewer", "BCD", None).await;
        let admin = app.login_as("admin").await;
        let account = admin.get("/api/accounts").await.body;
        let grant = account.as_array().unwrap().iter().find(|a| a["id"] == id).unwrap()["grants"][0]["id"].as_i64().unwrap();
        assert_eq!(admin.delete(&format!("/api/accounts/{id}/grants/{grant}")).await.status, 200);
        let reply = admin.post(&format!("/api/accounts/{id}/grants"), json!({ "role": "reviewer", "org": "BCD", "pillars": ["cybersecurity"] })).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        let reviewer = app.login_as("security-reviewer").await;
        let path = app.submission_path("M02", "/reviews");
        let reply = reviewer.post(&path, json!({ "indicator_id": "cs-four-layer", "decision": "accepted" })).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        let reply = reviewer.post(&path, json!({ "indicator_id": "aw-leaders-trained", "decision": "accepted" })).await;
        assert_eq!(reply.status, 403);
        assert_eq!(reply.body["error"], "other-pillar");
    }

    async fn a_draft_cannot_be_reviewed(app: TestApp) {
        let editor = app.login_as("editor").await;
        let view = editor.submission(app.campaign_id, "M01").await.body;
        editor.save(app.campaign_id, "M01", 0, &with_value(&view["submission"], "in-cdo", "1")).await;
        let manager_view: Value = app.login_as("manager").await.submission(app.campaign_id, "M01").await.body;
        assert_eq!(manager_view["state"], "draft");
        let reviewer = app.login_as("reviewer").await;
        let reply = reviewer.post(&app.submission_path("M01", "/reviews"), json!({ "indicator_id": "in-cdo", "decision": "accepted" })).await;
        assert_eq!(reply.status, 409, "{}", reply.body);
        assert_eq!(reply.body["error"], "not-submitted");
    }
}
