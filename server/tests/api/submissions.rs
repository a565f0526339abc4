use crate::helpers::*;
use crate::on_both_databases;
use serde_json::{Value, json};

/// The editor's first save of M01: the empty submission the server offers, with one value.
async fn first_save(app: &TestApp, editor: &Client) -> Value {
    let view = editor.submission(app.campaign_id, "M01").await;
    assert_eq!(view.status, 200, "{}", view.body);
    assert_eq!(view.body["state"], "not-started");
    assert_eq!(view.body["head"], 0);
    let submission = with_value(&view.body["submission"], "aw-leaders-trained", "40");
    let saved = editor.save(app.campaign_id, "M01", 0, &submission).await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    assert_eq!(saved.body["head"], 1);
    assert_eq!(saved.body["state"], "draft");
    assert_eq!(saved.body["changed"], json!(["aw-leaders-trained"]));
    submission
}

on_both_databases! {
    async fn every_save_is_a_revision(app: TestApp) {
        let editor = app.login_as("editor").await;
        let first = first_save(&app, &editor).await;
        let second = with_value(&first, "hr-staff-trained", "55.5");
        let saved = editor.save(app.campaign_id, "M01", 1, &second).await;
        assert_eq!(saved.body["head"], 2, "{}", saved.body);
        let history = editor.get(&app.submission_path("M01", "/revisions")).await.body;
        assert_eq!(history.as_array().unwrap().len(), 2);
        assert_eq!(history[1]["based_on"], 1);
        assert_eq!(history[1]["author"], "editor");
        let old = editor.get(&app.submission_path("M01", "/revisions/1")).await.body;
        assert_eq!(old["values"]["aw-leaders-trained"]["value"], "40");
        assert!(old["values"].get("hr-staff-trained").is_none(), "revision 1 is as it was saved");
        let now = editor.submission(app.campaign_id, "M01").await.body;
        assert_eq!(now["head"], 2);
        assert_eq!(now["submission"]["values"]["hr-staff-trained"]["value"], "55.5");
    }

    async fn a_stale_save_gets_409_with_a_merge_when_indicators_differ(app: TestApp) {
        let editor = app.login_as("editor").await;
        let head = app.login_as("head").await;
        let base = first_save(&app, &editor).await;
        // The head changes one indicator from revision 1...
        let theirs = with_value(&base, "hr-staff-trained", "70");
        assert_eq!(head.save(app.campaign_id, "M01", 1, &theirs).await.status, 200);
        // ...and the editor, still on revision 1, another one.
        let mine = with_value(&base, "in-cdo", "1");
        let stale = editor.save(app.campaign_id, "M01", 1, &mine).await;
        assert_eq!(stale.status, 409, "{}", stale.body);
        assert_eq!(stale.body["error"], "stale-revision");
        let current = &stale.body["current"];
        assert_eq!(current["head"], 2);
        assert_eq!(current["current"]["values"]["hr-staff-trained"]["value"], "70");
        assert_eq!(current["conflicts"], json!([]));
        let merged = &current["merged"];
        assert_eq!(merged["values"]["hr-staff-trained"]["value"], "70");
        assert_eq!(merged["values"]["in-cdo"]["value"], "1");
        // Saving the merge on the new head works, and nothing typed was lost.
        let saved = editor.save(app.campaign_id, "M01", 2, merged).await;
        assert_eq!(saved.status, 200, "{}", saved.body);
        assert_eq!(saved.body["changed"], json!(["in-cdo"]));
    }

    async fn a_stale_save_touching_the_same_indicator_is_a_conflict(app: TestApp) {
        let editor = app.login_as("editor").await;
        let head = app.login_as("head").await;
        let base = first_save(&app, &editor).await;
        assert_eq!(head.save(app.campaign_id, "M01", 1, &with_value(&base, "aw-leaders-trained", "45")).await.status, 200);
        let stale = editor.save(app.campaign_id, "M01", 1, &with_value(&base, "aw-leaders-trained", "50")).await;
        assert_eq!(stale.status, 409);
        assert_eq!(stale.body["current"]["conflicts"], json!(["aw-leaders-trained"]));
        assert_eq!(stale.body["current"]["merged"], Value::Null);
        assert_eq!(stale.body["current"]["current"]["values"]["aw-leaders-trained"]["value"], "45");
    }

    async fn a_save_names_the_field_at_fault(app: TestApp) {
        let editor = app.login_as("editor").await;
        let view = editor.submission(app.campaign_id, "M01").await.body;
        let mut unknown = view["submission"].clone();
        unknown["values"]["no-such-indicator"] = json!({ "value": "1" });
        let reply = editor.save(app.campaign_id, "M01", 0, &unknown).await;
        assert_eq!(reply.status, 422);
        assert_eq!(reply.body["field"], "submission.values.no-such-indicator");
        let mut other_unit = view["submission"].clone();
        other_unit["unit_id"] = json!("M02");
        let reply = editor.save(app.campaign_id, "M01", 0, &other_unit).await;
        assert_eq!(reply.body["field"], "submission.unit_id");
        let mut other_file = view["submission"].clone();
        other_file["framework"]["sha256"] = json!("0".repeat(64));
        let reply = editor.save(app.campaign_id, "M01", 0, &other_file).await;
        assert_eq!(reply.body["field"], "submission.framework.sha256");
        let reply = editor
            .put(&app.submission_path("M01", ""), json!({ "based_on": "one", "submission": view["submission"] }))
            .await;
        assert_eq!(reply.status, 422);
        assert_eq!(reply.body["field"], "based_on");
        // A value the indicator does not take is kept (nothing typed is lost) and named.
        let bad = with_value(&view["submission"], "aw-leaders-trained", "140");
        let reply = editor.save(app.campaign_id, "M01", 0, &bad).await;
        assert_eq!(reply.status, 200);
        assert_eq!(reply.body["problems"][0]["field"], "aw-leaders-trained");
        assert!(reply.body["problems"][0]["message_vi"].as_str().unwrap().contains("140"));
    }

    async fn submitting_needs_a_head_and_valid_values(app: TestApp) {
        let editor = app.login_as("editor").await;
        let head = app.login_as("head").await;
        let base = first_save(&app, &editor).await;
        let reply = editor.post(&app.submission_path("M01", "/submit"), json!({})).await;
        assert_eq!(reply.status, 403, "an editor fills in, the head submits");
        assert_eq!(head.save(app.campaign_id, "M01", 1, &with_value(&base, "aw-leaders-trained", "140")).await.status, 200);
        let reply = head.post(&app.submission_path("M01", "/submit"), json!({})).await;
        assert_eq!(reply.status, 422, "{}", reply.body);
        assert_eq!(reply.body["field"], "submission.values.aw-leaders-trained");
        assert_eq!(head.save(app.campaign_id, "M01", 2, &with_value(&base, "aw-leaders-trained", "40")).await.status, 200);
        let reply = head.post(&app.submission_path("M01", "/submit"), json!({ "note": "đã rà soát" })).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        assert_eq!(reply.body["state"], "submitted");
        // Submitted: no more saves until a reviewer asks for changes.
        let reply = editor.save(app.campaign_id, "M01", 3, &base).await;
        assert_eq!(reply.status, 409);
        assert_eq!(reply.body["error"], "submitted");
        assert!(reply.body["message_vi"].as_str().unwrap().contains("đã nộp"));
    }

    async fn another_units_draft_is_not_readable(app: TestApp) {
        app.create_account("editor-m02", "unit-editor", "M02", Some("M02")).await;
        let editor = app.login_as("editor").await;
        first_save(&app, &editor).await;
        let other = app.login_as("editor-m02").await;
        let reply = other.submission(app.campaign_id, "M01").await;
        assert!(matches!(reply.status, 403 | 404), "{}", reply.status);
        assert_eq!(other.get(&app.submission_path("M01", "/revisions")).await.status, reply.status);
        assert_eq!(other.get(&app.submission_path("M01", "/revisions/1")).await.status, reply.status);
        let reply = other.save(app.campaign_id, "M01", 1, &json!({})).await;
        assert!(matches!(reply.status, 403 | 404 | 422), "{}", reply.status);
        // Reviewers and viewers see a unit's values only once submitted.
        for login in ["reviewer", "viewer"] {
            let client = app.login_as(login).await;
            assert_eq!(client.submission(app.campaign_id, "M01").await.status, 403, "{login} reads a draft");
            assert_eq!(client.submission(app.campaign_id, "M02").await.status, 200, "{login} reads a submitted one");
        }
        // The campaign manager follows drafts.
        assert_eq!(app.login_as("manager").await.submission(app.campaign_id, "M01").await.status, 200);
    }

    async fn after_the_deadline_only_an_extension_lets_a_unit_save(app: TestApp) {
        let editor = app.login_as("editor").await;
        let base = first_save(&app, &editor).await;
        app.clock.advance(31 * 24 * 3600 * 1000);
        let editor = app.login_as("editor").await;
        let reply = editor.save(app.campaign_id, "M01", 1, &with_value(&base, "in-cdo", "1")).await;
        assert_eq!(reply.status, 409, "{}", reply.body);
        assert_eq!(reply.body["error"], "deadline-passed");
        let view = editor.submission(app.campaign_id, "M01").await.body;
        assert_eq!(view["allowed"]["edit"], false);
        let manager = app.login_as("manager").await;
        let until = dti_server::clock::rfc3339(app.clock.now() + 5 * 24 * 3600 * 1000);
        let path = format!("/api/campaigns/{}/units/M01/extension", app.campaign_id);
        let reply = manager.put(&path, json!({ "until": until, "reason": "mất điện" })).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        let reply = editor.save(app.campaign_id, "M01", 1, &with_value(&base, "in-cdo", "1")).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        // Another unit without an extension is still refused.
        app.create_account("head-m02", "unit-head", "M02", Some("M02")).await;
        let other = app.login_as("head-m02").await;
        let reply = other.post(&app.submission_path("M02", "/submit"), json!({})).await;
        assert_eq!(reply.status, 409);
    }

    async fn a_body_over_the_limit_is_refused_whole(app: TestApp) {
        let editor = app.login_as("editor").await;
        let view = editor.submission(app.campaign_id, "M01").await.body;
        let huge = with_value(&view["submission"], "aw-leaders-trained", &"9".repeat(17 * 1024 * 1024));
        let reply = editor.save(app.campaign_id, "M01", 0, &huge).await;
        assert_eq!((reply.status, reply.body["error"].as_str()), (413, Some("too-large")));
        assert_eq!(editor.submission(app.campaign_id, "M01").await.body["head"], 0, "nothing was written");
    }

    async fn a_closed_campaign_refuses_saves_and_says_why(app: TestApp) {
        let editor = app.login_as("editor").await;
        let base = first_save(&app, &editor).await;
        let manager = app.login_as("manager").await;
        let reply = manager.post(&format!("/api/campaigns/{}/state/close", app.campaign_id), json!({})).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        let reply = editor.save(app.campaign_id, "M01", 1, &base).await;
        assert_eq!(reply.status, 409);
        assert_eq!(reply.body["error"], "closed");
        assert_eq!(reply.body["message_vi"], "Đợt đánh giá đã đóng");
    }
}
