use crate::on_both_databases;
use serde_json::json;

on_both_databases! {
    async fn organisations_are_imported_whole_or_not_at_all(app: TestApp) {
        let admin = app.login_as("admin").await;
        let csv = "code,name,parent,block\nP01,Tỉnh Một,,province\nP01-X01,Xã Một,P01,commune\nP01-X02,Xã Hai,P01,commune\n";
        let reply = admin.post_text("/api/orgs/import", csv).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        assert_eq!(reply.body, json!({ "created": 3, "updated": 0, "unchanged": 0 }));
        let orgs = admin.get("/api/orgs").await.body;
        let commune = orgs.as_array().unwrap().iter().find(|org| org["code"] == "P01-X02").unwrap().clone();
        let province = orgs.as_array().unwrap().iter().find(|org| org["code"] == "P01").unwrap().clone();
        assert_eq!(commune["parent_id"], province["id"]);
        assert!(commune["path"].as_str().unwrap().starts_with(province["path"].as_str().unwrap()));
        // Again, with one rename and one bad row: nothing is written.
        let bad = "code,name,parent,block\nP01,Tỉnh Một (mới),,province\nP01-X03,,P01,commune\n";
        let reply = admin.post_text("/api/orgs/import", bad).await;
        assert_eq!(reply.status, 422);
        assert!(reply.body["message"].as_str().unwrap().contains("line 3"), "{}", reply.body);
        let orgs = admin.get("/api/orgs").await.body;
        assert!(orgs.as_array().unwrap().iter().any(|org| org["name"] == "Tỉnh Một"), "unchanged");
        // A parent missing from the file and the database is named.
        let orphan = "code,name,parent\nP02-X01,Xã,P02\n";
        let reply = admin.post_text("/api/orgs/import", orphan).await;
        assert_eq!(reply.status, 422);
        assert!(reply.body["message"].as_str().unwrap().contains("P02"), "{}", reply.body);
    }

    async fn moving_an_organisation_moves_its_subtree(app: TestApp) {
        let admin = app.login_as("admin").await;
        admin.post_text("/api/orgs/import", "code,name,parent\nP01,Tỉnh,\nP01-X01,Xã,P01\nP01-X01-T1,Thôn,P01-X01\n").await;
        let reply = admin.put("/api/orgs/P01", json!({ "code": "P01", "name": "Tỉnh", "parent": "BCD" })).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        let orgs = admin.get("/api/orgs").await.body;
        let path = |code: &str| orgs.as_array().unwrap().iter().find(|org| org["code"] == code).unwrap()["path"].as_str().unwrap().to_owned();
        assert!(path("P01-X01-T1").starts_with(&path("P01")), "{} under {}", path("P01-X01-T1"), path("P01"));
        assert!(path("P01").starts_with(&path("BCD")));
        let cycle = admin.put("/api/orgs/P01", json!({ "code": "P01", "name": "Tỉnh", "parent": "P01-X01-T1" })).await;
        assert_eq!(cycle.status, 422);
        assert_eq!(cycle.body["field"], "parent");
    }

    async fn only_administrators_manage_accounts_and_organisations(app: TestApp) {
        for login in ["manager", "reviewer", "editor", "head", "viewer"] {
            let client = app.login_as(login).await;
            let reply = client.post("/api/accounts", json!({ "login": "x-someone", "name": "X", "password": "long-enough-password" })).await;
            assert_eq!(reply.status, 403, "{login} creates an account");
            assert_eq!(client.get("/api/accounts").await.status, 403, "{login} lists accounts");
            let reply = client.put("/api/orgs/Z1", json!({ "code": "Z1", "name": "Z", "parent": "BCD" })).await;
            assert_eq!(reply.status, 403, "{login} creates an organisation");
        }
    }

    async fn an_account_needs_valid_fields_and_a_free_login(app: TestApp) {
        let admin = app.login_as("admin").await;
        let reply = admin.post("/api/accounts", json!({ "login": "a b", "name": "X", "password": "long-enough-password" })).await;
        assert_eq!(reply.body["field"], "login");
        let reply = admin.post("/api/accounts", json!({ "login": "ab-c", "name": "X", "email": "not-mail", "password": "long-enough-password" })).await;
        assert_eq!(reply.body["field"], "email");
        let reply = admin.post("/api/accounts", json!({ "login": "ab-c", "name": "X", "password": "short" })).await;
        assert_eq!(reply.body["field"], "password");
        let reply = admin.post("/api/accounts", json!({ "login": "editor", "name": "X", "password": "long-enough-password" })).await;
        assert_eq!(reply.status, 409);
        assert!(reply.body["message"].as_str().unwrap().contains("editor"));
        let reply = admin.post("/api/accounts", json!({ "login": "ab-c", "name": "X", "org": "NOPE", "password": "long-enough-password" })).await;
        assert_eq!(reply.body["field"], "org");
        let reply = admin.post("/api/accounts/1/grants", json!({ "role": "editor-in-chief", "org": "BCD" })).await;
        assert_eq!(reply.status, 422);
        assert_eq!(reply.body["field"], "role");
    }

    async fn a_role_change_is_audited_with_before_and_after(app: TestApp) {
        let id = app.create_account("new-editor", "unit-editor", "M03", Some("M03")).await;
        let admin = app.login_as("admin").await;
        let entries = admin.get("/api/audit?limit=10000").await.body;
        let grant = entries.as_array().unwrap().iter().rev().find(|entry| entry["action"] == "role-grant").unwrap().clone();
        assert_eq!(grant["target"], format!("account/{id}"));
        assert_eq!(grant["actor"], "admin");
        assert_eq!(grant["detail"]["before"], json!([]));
        assert_eq!(grant["detail"]["after"][0]["role"], "unit-editor");
        assert_eq!(grant["detail"]["after"][0]["org"], "M03");
    }

    async fn a_password_reset_by_an_administrator_ends_the_sessions(app: TestApp) {
        let id = app.create_account("forgetful", "viewer", "BCD", None).await;
        let client = app.login_as("forgetful").await;
        let admin = app.login_as("admin").await;
        let reply = admin.post(&format!("/api/accounts/{id}/password"), json!({ "password": "brand-new-password" })).await;
        assert_eq!(reply.status, 204);
        assert_eq!(client.get("/api/session").await.status, 401);
        app.login("forgetful", "brand-new-password").await;
    }
}
