use crate::helpers::*;
use crate::on_both_databases;

/// Uploads `bytes` as `name` to M01's indicator `indicator` as `client`.
async fn upload(app: &TestApp, client: &Client, indicator: &str, name: &str, bytes: Vec<u8>) -> Reply {
    let path = format!("{}/api/campaigns/{}/units/M01/evidence/{indicator}?name={name}", app.base, app.campaign_id);
    let mut request = client.http.post(path).body(bytes);
    if let Some(csrf) = &client.csrf {
        request = request.header("x-csrf-token", csrf);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.unwrap();
    Reply { status, body: serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)), headers }
}

const PDF: &[u8] = b"%PDF-1.4\n% quyet dinh thanh lap ban chi dao\n";

on_both_databases! {
    async fn evidence_is_uploaded_listed_and_downloaded(app: TestApp) {
        let editor = app.login_as("editor").await;
        let reply = upload(&app, &editor, "aw-steering-committee", "Quyết định 12.pdf", PDF.to_vec()).await;
        assert_eq!(reply.status, 201, "{}", reply.body);
        assert_eq!(reply.body["media_type"], "application/pdf");
        assert_eq!(reply.body["file_name"], "Quyết định 12.pdf");
        assert_eq!(reply.body["sha256"], dti_core::sha256_hex(PDF));
        let file = reply.body["id"].as_i64().unwrap();
        let view = editor.submission(app.campaign_id, "M01").await.body;
        assert_eq!(view["evidence"][0]["id"], file);
        let path = format!("/api/campaigns/{}/units/M01/evidence/aw-steering-committee/{file}", app.campaign_id);
        let download = editor.http.get(format!("{}{path}", app.base)).send().await.unwrap();
        assert_eq!(download.headers()["content-type"], "application/pdf");
        assert_eq!(download.headers()["x-content-type-options"], "nosniff");
        let disposition = download.headers()["content-disposition"].to_str().unwrap().to_owned();
        assert!(disposition.starts_with("attachment; filename=\"Quy_t __nh 12.pdf\"; filename*=UTF-8''Quy%E1%BA%BFt"), "{disposition}");
        assert_eq!(download.bytes().await.unwrap().as_ref(), PDF);
        // The manager follows it; removing it detaches it.
        assert_eq!(app.login_as("manager").await.get(&path).await.status, 200);
        assert_eq!(editor.delete(&path).await.status, 204);
        assert_eq!(editor.get(&path).await.status, 404);
    }

    async fn another_unit_cannot_read_or_add_evidence(app: TestApp) {
        let editor = app.login_as("editor").await;
        let file = upload(&app, &editor, "aw-steering-committee", "a.pdf", PDF.to_vec()).await.body["id"].as_i64().unwrap();
        let path = format!("/api/campaigns/{}/units/M01/evidence/aw-steering-committee/{file}", app.campaign_id);
        app.create_account("editor-m02", "unit-editor", "M02", Some("M02")).await;
        let other = app.login_as("editor-m02").await;
        assert!(matches!(other.get(&path).await.status, 403 | 404));
        assert!(matches!(upload(&app, &other, "aw-steering-committee", "b.pdf", PDF.to_vec()).await.status, 403 | 404));
        // Reviewers and viewers: not while it is a draft.
        for login in ["reviewer", "viewer"] {
            assert_eq!(app.login_as(login).await.get(&path).await.status, 403, "{login}");
        }
        // Nobody reaches it through another indicator's address.
        let wrong = format!("/api/campaigns/{}/units/M01/evidence/in-cdo/{file}", app.campaign_id);
        assert_eq!(editor.get(&wrong).await.status, 404);
    }

    async fn a_file_is_checked_by_its_content_and_size(app: TestApp) {
        let editor = app.login_as("editor").await;
        let reply = upload(&app, &editor, "aw-steering-committee", "report.pdf", b"MZ\x90\x00\x03\x00\x00\x00".to_vec()).await;
        assert_eq!((reply.status, reply.body["field"].as_str()), (422, Some("body")), "an executable named .pdf");
        let reply = upload(&app, &editor, "no-such-indicator", "a.pdf", PDF.to_vec()).await;
        assert_eq!((reply.status, reply.body["field"].as_str()), (422, Some("indicator")));
        let mut big = PDF.to_vec();
        big.resize(11 * 1024 * 1024, b' ');
        let reply = upload(&app, &editor, "aw-steering-committee", "big.pdf", big).await;
        assert_eq!(reply.status, 413);
        let reply = upload(&app, &editor, "aw-steering-committee", "../../x.csv", "a,b\n1,2\n".as_bytes().to_vec()).await;
        assert_eq!(reply.status, 201);
        assert_eq!(reply.body["file_name"], "x.csv");
        assert_eq!(reply.body["media_type"], "text/plain; charset=utf-8");
    }
}
