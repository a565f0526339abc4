use crate::helpers::*;
use crate::on_both_databases;
use serde_json::{Value, json};

/// Uploads the built-in `vn-unit` indicator file as the manager; returns its SHA-256.
async fn upload_unit_framework(manager: &Client) -> String {
    let text = dti_core::builtin::builtin("vn-unit").unwrap().framework;
    let reply = manager.post_text("/api/frameworks?name=vn-unit.toml", text).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.body["sha256"].as_str().unwrap().to_owned()
}

fn campaign(sha256: &str) -> Value {
    json!({
        "name": "Đợt thử",
        "owner": "BCD",
        "framework_sha256": sha256,
        "period": "2027",
        "opens_at": "2027-01-01",
        "deadline": "2027-02-15",
        "closes_at": "2027-03-01",
        "units": ["M01", "M02"]
    })
}

on_both_databases! {
    async fn a_campaign_is_prepared_opened_and_closed(app: TestApp) {
        let manager = app.login_as("manager").await;
        let sha256 = upload_unit_framework(&manager).await;
        let reply = manager.post("/api/campaigns", campaign(&sha256)).await;
        assert_eq!(reply.status, 201, "{}", reply.body);
        assert_eq!(reply.body["state"], "draft");
        assert_eq!(reply.body["deadline"], "2027-02-15T16:59:59Z", "a date's end in Vietnam");
        assert_eq!(reply.body["units"].as_array().unwrap().len(), 2);
        let id = reply.body["id"].as_i64().unwrap();
        // Units do not see a campaign in preparation.
        let editor = app.login_as("editor").await;
        assert!(!editor.get("/api/campaigns").await.body.as_array().unwrap().iter().any(|c| c["id"] == id));
        assert_eq!(editor.get(&format!("/api/campaigns/{id}")).await.status, 404);
        let reply = manager.post(&format!("/api/campaigns/{id}/state/close"), json!({})).await;
        assert_eq!(reply.status, 409, "a draft is not closed");
        assert_eq!(manager.post(&format!("/api/campaigns/{id}/state/open"), json!({})).await.body["state"], "open");
        assert!(editor.get("/api/campaigns").await.body.as_array().unwrap().iter().any(|c| c["id"] == id));
        // Before its opening date nobody saves.
        let view = editor.submission(id, "M01").await.body;
        assert_eq!(view["allowed"]["edit"], false);
        let reply = editor.save(id, "M01", 0, &view["submission"]).await;
        assert_eq!(reply.body["error"], "not-open");
        assert_eq!(manager.post(&format!("/api/campaigns/{id}/state/close"), json!({ "note": "hết hạn" })).await.body["state"], "closed");
        assert_eq!(manager.post(&format!("/api/campaigns/{id}/state/reopen"), json!({})).await.body["state"], "open");
    }

    async fn the_indicator_file_is_pinned_once_open(app: TestApp) {
        let manager = app.login_as("manager").await;
        let sha256 = upload_unit_framework(&manager).await;
        let mut input = campaign(&sha256);
        let id = manager.post("/api/campaigns", input.clone()).await.body["id"].as_i64().unwrap();
        let ministry = manager.get(&format!("/api/campaigns/{}", app.campaign_id)).await.body["framework_sha256"].clone();
        input["framework_sha256"] = ministry.clone();
        assert_eq!(manager.put(&format!("/api/campaigns/{id}"), input.clone()).await.status, 200, "a draft changes");
        manager.post(&format!("/api/campaigns/{id}/state/open"), json!({})).await;
        input["framework_sha256"] = json!(sha256);
        let reply = manager.put(&format!("/api/campaigns/{id}"), input.clone()).await;
        assert_eq!(reply.status, 422);
        assert_eq!(reply.body["field"], "framework_sha256");
        input["framework_sha256"] = ministry;
        input["deadline"] = json!("2027-02-20");
        let reply = manager.put(&format!("/api/campaigns/{id}"), input).await;
        assert_eq!(reply.status, 200, "dates still move: {}", reply.body);
    }

    async fn a_bad_campaign_names_its_field(app: TestApp) {
        let manager = app.login_as("manager").await;
        let sha256 = upload_unit_framework(&manager).await;
        let cases = [
            ("deadline", json!("2026-12-31")),
            ("opens_at", json!("01/01/2027")),
            ("framework_sha256", json!("abc")),
            ("owner", json!("NOPE")),
            ("units", json!(["M01", "NOPE"])),
        ];
        for (field, value) in cases {
            let mut input = campaign(&sha256);
            input[field] = value;
            let reply = manager.post("/api/campaigns", input).await;
            assert_eq!(reply.status, 422, "{field}: {}", reply.body);
            assert!(reply.body["field"].as_str().unwrap().starts_with(field), "{field}: {}", reply.body);
        }
        let reply = manager.post_text("/api/frameworks?name=broken.toml", "id = \"x\"\nversion = 1\n[[nodes]\n").await;
        assert_eq!(reply.status, 422);
        assert!(reply.body["message"].as_str().unwrap().starts_with("broken.toml:"), "{}", reply.body);
    }

    async fn only_campaign_managers_run_campaigns(app: TestApp) {
        let sha256 = upload_unit_framework(&app.login_as("manager").await).await;
        for login in ["admin", "reviewer", "editor", "head", "viewer"] {
            let client = app.login_as(login).await;
            assert_eq!(client.post("/api/campaigns", campaign(&sha256)).await.status, 403, "{login}");
            let reply = client.post(&format!("/api/campaigns/{}/state/close", app.campaign_id), json!({})).await;
            assert!(matches!(reply.status, 403 | 404), "{login}: {}", reply.status);
            let path = format!("/api/campaigns/{}/units/M01/extension", app.campaign_id);
            let reply = client.put(&path, json!({ "until": "2027-01-10" })).await;
            assert!(matches!(reply.status, 403 | 404), "{login}: {}", reply.status);
        }
    }

    async fn progress_shows_who_has_submitted(app: TestApp) {
        let manager = app.login_as("manager").await;
        let progress = manager.get(&format!("/api/campaigns/{}/progress", app.campaign_id)).await.body;
        let lines = progress.as_array().unwrap();
        let units = manager.get(&format!("/api/campaigns/{}", app.campaign_id)).await.body["units"].clone();
        assert_eq!(lines.len(), units.as_array().unwrap().len());
        assert_eq!(lines.len(), 25, "the sample's units");
        assert_eq!(lines[0]["unit"], "M01");
        assert_eq!(lines[0]["state"], "not-started");
        assert_eq!(lines.iter().filter(|line| line["state"] == "verified").count(), 8);
        assert_eq!(lines.iter().filter(|line| line["state"] == "submitted").count(), 16);
        // A unit sees its own line only.
        let editor = app.login_as("editor").await;
        let own = editor.get(&format!("/api/campaigns/{}/progress", app.campaign_id)).await.body;
        assert_eq!(own.as_array().unwrap().len(), 1);
        assert_eq!(own[0]["unit"], "M01");
    }
}

on_both_databases! {
    async fn measured_values_are_shown_with_their_source_and_used(app: TestApp) {
        let manager = app.login_as("manager").await;
        let path = format!("/api/campaigns/{}/measured", app.campaign_id);
        let put = |body: &str| {
            let request = manager.http.put(format!("{}{path}", app.base)).header("x-csrf-token", manager.csrf.clone().unwrap());
            request.body(body.to_owned()).send()
        };
        let refused = put("unit,indicator,value,source\nM02,aw-leaders-trained,50,x\n").await.unwrap();
        assert_eq!(refused.status(), 422, "a self-reported indicator is not measured");
        let refused = put("unit,indicator,value\nZZ9,if-cloud,50\n").await.unwrap();
        assert_eq!(refused.status(), 422, "a unit outside the campaign");
        let before = manager.get(&format!("/api/campaigns/{}/ranking", app.campaign_id)).await.body;
        let score = |ranking: &Value, unit: &str| {
            ranking["rows"].as_array().unwrap().iter().find(|row| row["unit"] == unit).unwrap()["score"].as_f64().unwrap()
        };
        let loaded = put("unit,indicator,value,source\nM02,if-cloud,100,Cổng dữ liệu quốc gia\nM01,if-cloud,90,Cổng dữ liệu quốc gia\n").await.unwrap();
        assert_eq!(loaded.status(), 200);
        let after = manager.get(&format!("/api/campaigns/{}/ranking", app.campaign_id)).await.body;
        assert!(score(&after, "M02") > score(&before, "M02"), "the measured value counts");
        let editor = app.login_as("editor").await;
        let view = editor.submission(app.campaign_id, "M01").await.body;
        assert_eq!(view["measured"]["if-cloud"], json!({ "value": "90", "source": "Cổng dữ liệu quốc gia" }));
        let typed = with_value(&view["submission"], "if-cloud", "5");
        let saved = editor.save(app.campaign_id, "M01", 0, &typed).await;
        assert_eq!(saved.body["measured_ignored"], json!(["if-cloud"]), "typed, kept, not used");
    }
}
