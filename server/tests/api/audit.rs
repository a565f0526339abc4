use crate::helpers::*;
use crate::on_both_databases;
use serde_json::json;

/// Runs `sql` on the test database directly, as someone with access to its files would.
async fn tamper(app: &TestApp, sql: &str) {
    let db = dti_server::Db::open(&app.database).await.expect("the database opens");
    let mut transaction = db.write().await.expect("a transaction");
    sqlx::query(sql).execute(&mut *transaction).await.expect("the statement runs");
    transaction.commit().await.expect("commit");
    db.close().await;
}

on_both_databases! {
    async fn every_decision_is_in_an_intact_chain(app: TestApp) {
        let editor = app.login_as("editor").await;
        let view = editor.submission(app.campaign_id, "M01").await.body;
        editor.save(app.campaign_id, "M01", 0, &with_value(&view["submission"], "in-cdo", "1")).await;
        let admin = app.login_as("admin").await;
        let verification = admin.get("/api/audit/verify").await.body;
        assert_eq!(verification["first_broken"], serde_json::Value::Null, "{verification}");
        let entries = admin.get("/api/audit").await.body;
        let entries = entries.as_array().unwrap();
        assert_eq!(verification["entries"], entries.len());
        let actions: Vec<&str> = entries.iter().map(|entry| entry["action"].as_str().unwrap()).collect();
        assert_eq!(actions[0], "seed");
        assert!(actions.contains(&"login") && actions.contains(&"save"), "{actions:?}");
        let save = entries.iter().find(|entry| entry["action"] == "save").unwrap();
        assert_eq!(save["actor"], "editor");
        assert_eq!(save["target"], format!("campaign/{}/unit/M01", app.campaign_id));
        assert_eq!(save["detail"]["changed"][0], json!({ "indicator": "in-cdo", "before": null, "after": "1" }));
        for pair in entries.windows(2) {
            assert_eq!(pair[1]["prev_hash"], pair[0]["hash"]);
        }
        let csv = admin.get("/api/audit?format=csv").await;
        assert_eq!(csv.headers["content-type"], "text/csv; charset=utf-8");
        assert!(csv.body.as_str().unwrap().starts_with("seq,at,actor_id,actor,address,action,target,detail,note,prev_hash,hash\n"));
    }

    async fn a_changed_entry_is_found(app: TestApp) {
        app.login_as("editor").await;
        app.login_as("head").await;
        tamper(&app, "UPDATE audit_log SET actor = 'someone-else' WHERE seq = 2").await;
        let verification = app.login_as("admin").await.get("/api/audit/verify").await.body;
        assert_eq!(verification["first_broken"]["seq"], 2, "{verification}");
        assert_eq!(verification["entries"], 1);
        assert!(verification["first_broken"]["reason"].as_str().unwrap().contains("changed"));
    }

    async fn a_removed_entry_is_found(app: TestApp) {
        app.login_as("editor").await;
        app.login_as("head").await;
        tamper(&app, "DELETE FROM audit_log WHERE seq = 2").await;
        let verification = app.login_as("admin").await.get("/api/audit/verify").await.body;
        assert_eq!(verification["first_broken"]["seq"], 2, "{verification}");
        assert!(verification["first_broken"]["reason"].as_str().unwrap().contains("missing"));
    }

    async fn a_removed_tail_is_found(app: TestApp) {
        app.login_as("editor").await;
        app.login_as("head").await;
        tamper(&app, "DELETE FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)").await;
        // Checked as `dti admin audit verify` does, before anything else is appended.
        let db = dti_server::Db::open(&app.database).await.unwrap();
        let verification = dti_server::ops::verify_audit(&db).await.unwrap();
        db.close().await;
        let broken = verification.first_broken.expect("the removal is found");
        assert_eq!(broken.seq, 3);
        assert!(broken.reason.contains("removed"), "{}", broken.reason);
        // An entry appended afterwards links to the removed one: still found.
        let verification = app.login_as("admin").await.get("/api/audit/verify").await.body;
        assert_eq!(verification["first_broken"]["seq"], 3, "{verification}");
    }

    async fn only_auditors_read_the_log(app: TestApp) {
        for (login, status) in [("admin", 200), ("manager", 200), ("viewer", 200), ("reviewer", 403), ("editor", 403), ("head", 403)] {
            let client = app.login_as(login).await;
            assert_eq!(client.get("/api/audit").await.status, status, "{login}");
            assert_eq!(client.get("/api/audit/verify").await.status, status, "{login}");
        }
    }
}
