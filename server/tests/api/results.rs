use crate::helpers::*;
use crate::on_both_databases;
use serde_json::json;

on_both_databases! {
    async fn the_live_ranking_follows_every_save(app: TestApp) {
        let manager = app.login_as("manager").await;
        let path = format!("/api/campaigns/{}/ranking", app.campaign_id);
        let before = manager.get(&path).await;
        assert_eq!(before.status, 200, "{}", before.body);
        let rows = before.body["rows"].as_array().unwrap().clone();
        assert_eq!(rows.len(), 24, "the submitted units, not M01's empty one");
        assert_eq!(rows[0]["rank"], 1);
        assert!(rows.iter().all(|row| row["unit"] != "M01"));
        // The last unit improves a value: its score rises in the next ranking.
        let last = rows.last().unwrap()["unit"].as_str().unwrap().to_owned();
        let last_score = rows.last().unwrap()["score"].as_f64().unwrap();
        let reviewer = app.login_as("reviewer").await;
        let state = reviewer.submission(app.campaign_id, &last).await.body["state"].clone();
        assert!(state == "submitted" || state == "verified");
        if state == "submitted" {
            reviewer.post(&app.submission_path(&last, "/reviews"), json!({ "indicator_id": "aw-leaders-trained", "decision": "adjusted", "value": "100", "reason": "đã kiểm tra" })).await;
            let verified = manager.get(&format!("{path}?basis=verified")).await.body;
            assert!(verified["rows"].as_array().unwrap().iter().all(|row| row["unit"] != last.as_str()), "not verified yet");
        }
        let after = manager.get(&path).await.body;
        assert!(after["data_version"].as_i64() >= before.body["data_version"].as_i64());
        let same = after["rows"].as_array().unwrap().iter().find(|row| row["unit"] == last.as_str()).unwrap()["score"].as_f64().unwrap();
        assert_eq!(same, last_score, "the submitted basis keeps the unit's own values");
        // Only managers and viewers see results.
        for (login, status) in [("viewer", 200), ("reviewer", 403), ("editor", 404), ("admin", 403)] {
            assert_eq!(app.login_as(login).await.get(&path).await.status, status, "{login}");
        }
    }

    async fn an_adjustment_shows_as_a_gap(app: TestApp) {
        let manager = app.login_as("manager").await;
        let reviewer = app.login_as("reviewer").await;
        // M02 is submitted: accept everything but one adjusted value, verify.
        let view = reviewer.submission(app.campaign_id, "M02").await.body;
        for id in view["submission"]["values"].as_object().unwrap().keys() {
            let decision = if id == "aw-leaders-trained" {
                json!({ "indicator_id": id, "decision": "adjusted", "value": "0", "reason": "không có minh chứng" })
            } else {
                json!({ "indicator_id": id, "decision": "accepted" })
            };
            reviewer.post(&app.submission_path("M02", "/reviews"), decision).await;
        }
        assert_eq!(reviewer.post(&app.submission_path("M02", "/verify"), json!({})).await.status, 200);
        let gaps = manager.get(&format!("/api/campaigns/{}/gaps", app.campaign_id)).await.body;
        let m02 = gaps.as_array().unwrap().iter().find(|gap| gap["unit"] == "M02").expect("M02 has a gap line").clone();
        assert_eq!(m02["adjusted"], json!(["aw-leaders-trained"]));
        assert!(m02["gap"].as_f64().unwrap() > 0.0, "{m02}");
        let m02_verified = manager.get(&format!("/api/campaigns/{}/ranking?basis=verified", app.campaign_id)).await.body;
        let row = m02_verified["rows"].as_array().unwrap().iter().find(|row| row["unit"] == "M02").unwrap().clone();
        assert_eq!(row["score"], m02["verified"]);
    }

    async fn the_data_downloads_in_the_format_dti_evaluate_reads(app: TestApp) {
        let manager = app.login_as("manager").await;
        let csv = manager.get(&format!("/api/campaigns/{}/data", app.campaign_id)).await;
        assert_eq!(csv.headers["content-type"], "text/csv; charset=utf-8");
        let text = csv.body.as_str().unwrap().to_owned();
        assert!(text.starts_with("unit,name,block,period,indicator,value,evidence,evidence_date,note\n"), "{}", &text[..100]);
        let framework = dti_core::builtin::builtin("vn-ministry").unwrap();
        let loaded = dti_core::load_framework(framework.file_name, framework.framework.as_bytes());
        let data = dti_core::load_data("data.csv", text.as_bytes(), loaded.framework.as_ref().unwrap());
        let dataset = data.dataset.expect("the engine reads the download");
        assert_eq!(dataset.units.len(), 24);
        assert_eq!(dataset.periods, ["2026"]);
        let xlsx = manager.http.get(format!("{}/api/campaigns/{}/data?format=xlsx", app.base, app.campaign_id)).send().await.unwrap();
        let bytes = xlsx.bytes().await.unwrap();
        let read = dti_core::load_data("data.xlsx", &bytes, loaded.framework.as_ref().unwrap());
        assert_eq!(read.dataset.expect("the engine reads the workbook").units.len(), 24);
        let results = manager.get(&format!("/api/campaigns/{}/results", app.campaign_id)).await.body;
        assert!(results.as_str().unwrap().starts_with("unit,name,block,score,rank,block_rank,level,refused_values\n"));
        let bad = manager.get(&format!("/api/campaigns/{}/data?format=pdf", app.campaign_id)).await;
        assert_eq!((bad.status, bad.body["field"].as_str()), (422, Some("format")));
    }

    async fn finalising_freezes_the_verified_values(app: TestApp) {
        let manager = app.login_as("manager").await;
        let finalise = format!("/api/campaigns/{}/finalise", app.campaign_id);
        let reply = manager.post(&finalise, json!({})).await;
        assert_eq!(reply.status, 409, "an open campaign is closed first: {}", reply.body);
        manager.post(&format!("/api/campaigns/{}/state/close", app.campaign_id), json!({})).await;
        let reply = manager.post(&finalise, json!({ "note": "chốt kết quả" })).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        assert_eq!(reply.body["units"], 8, "the verified units");
        assert_eq!(reply.body["left_out"].as_array().unwrap().len(), 17);
        let data = manager.get(&format!("/api/campaigns/{}/data?basis=verified", app.campaign_id)).await.body;
        assert_eq!(reply.body["data_sha256"], dti_core::sha256_hex(data.as_str().unwrap().as_bytes()));
        // Nothing moves afterwards.
        let reviewer = app.login_as("reviewer").await;
        let reply = reviewer.post(&app.submission_path("M03", "/reviews"), json!({ "indicator_id": "in-cdo", "decision": "accepted" })).await;
        assert_eq!(reply.body["error"], "finalised");
        let reply = manager.post(&format!("/api/campaigns/{}/state/reopen", app.campaign_id), json!({})).await;
        assert_eq!(reply.status, 409);
        let snapshot = manager.get(&format!("/api/campaigns/{}/snapshot", app.campaign_id)).await.body;
        assert_eq!(snapshot["data_sha256"], reply_sha(&manager, &app).await);
        // This server has no publisher (the command line gives one): it says so.
        let reply = manager.post(&format!("/api/campaigns/{}/publish", app.campaign_id), json!({})).await;
        assert_eq!((reply.status, reply.body["error"].as_str()), (409, Some("no-publisher")));
    }
}

async fn reply_sha(manager: &Client, app: &TestApp) -> String {
    let data = manager.get(&format!("/api/campaigns/{}/data?basis=verified", app.campaign_id)).await.body;
    dti_core::sha256_hex(data.as_str().unwrap().as_bytes())
}
