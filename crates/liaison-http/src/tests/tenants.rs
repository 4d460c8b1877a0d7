//! A second procuratorate over the JSON API (issue 20, part 2): its people redeem their activation codes
//! naming their procuratorate (`tenant`, required once the deployment has two), an unknown or a wrong one is
//! refused, and the tokens they get read only their procuratorate's rows.

use liaison_app::NewTenant;

use super::*;

#[test]
fn a_second_procuratorates_people_activate_naming_it_and_read_only_its_rows() {
    rt().block_on(async {
        let t = setup().await;
        let app = t.app.clone().unwrap();
        let (s, _, a_deputy) =
            t.call("POST", "/api/v1/deputies", &t.office, Some(deputy_json("诸葛明")), &[]).await;
        assert_eq!(s, StatusCode::CREATED, "{a_deputy}");
        let new = NewTenant {
            id: Some("xh".into()),
            name: "西湖区人民检察院".into(),
            level: "county".into(),
            parent: None,
        };
        let xh_admin = app.add_tenant(new, None).await.unwrap().admin_token.token;
        let u = json!({"login": "sec", "display_name": "西湖安全管理员", "roles": ["security_admin"]});
        let (s, _, b) = t.call("POST", "/api/v1/users", &xh_admin, Some(u), &[]).await;
        assert_eq!(s, StatusCode::CREATED, "{b}");
        let (s, _, code) = t.call("POST", "/api/v1/users/sec/activation", &xh_admin, None, &[]).await;
        assert_eq!(s, StatusCode::CREATED, "{code}");
        let activate = |tenant: Option<&str>| {
            let mut body = json!({"code": code["code"], "label": "西湖"});
            if let Some(x) = tenant {
                body["tenant"] = json!(x);
            }
            t.call("POST", "/api/v1/activate", "", Some(body), &[])
        };
        // Two procuratorates: the code must say which, naming the field when it does not.
        let (s, _, b) = activate(None).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert_eq!(b["errors"][0]["field"], "tenant", "{b}");
        let (s, _, b) = activate(Some("nowhere")).await;
        assert_eq!(
            (s, b["code"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("tenant.unknown")),
            "{b}"
        );
        let (s, _, b) = activate(Some("Bad Id")).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert_eq!(b["errors"][0]["field"], "tenant", "{b}");
        // In the other procuratorate the code is as unknown as a wrong one, and it is not spent.
        let (s, _, b) = activate(Some("default")).await;
        assert_eq!(
            (s, b["code"].as_str()),
            (StatusCode::UNAUTHORIZED, Some("account.activation_invalid")),
            "{b}"
        );
        let (s, _, b) = activate(Some("xh")).await;
        assert_eq!(s, StatusCode::CREATED, "{b}");
        let xh_sec = b["token"].as_str().unwrap().to_owned();

        // The token is B's: B's accounts, none of A's; B's register holds B's deputy only.
        let (s, _, users) = t.call("GET", "/api/v1/users", &xh_sec, None, &[]).await;
        assert_eq!(s, StatusCode::OK, "{users}");
        let items = users.get("items").unwrap_or(&users);
        let logins: Vec<&str> =
            items.as_array().unwrap().iter().filter_map(|u| u["login"].as_str()).collect();
        assert!(logins.contains(&"sec") && !logins.contains(&"office"), "{users}");
        let u = json!({"login": "xhoffice", "display_name": "西湖联络室", "roles": ["office"]});
        let (s, h, b) = t.call("POST", "/api/v1/users", &xh_admin, Some(u), &[]).await;
        assert_eq!(s, StatusCode::CREATED, "{b}");
        if !b["pending_roles"].is_null() {
            let seen = [("if-match", h[header::ETAG].to_str().unwrap())];
            let (s, _, b) = t.call("POST", "/api/v1/users/xhoffice/approve", &xh_sec, None, &seen).await;
            assert_eq!(s, StatusCode::OK, "{b}");
        }
        let (_, _, code) = t.call("POST", "/api/v1/users/xhoffice/activation", &xh_admin, None, &[]).await;
        let body = json!({"code": code["code"], "label": "西湖", "tenant": "xh"});
        let (s, _, b) = t.call("POST", "/api/v1/activate", "", Some(body), &[]).await;
        assert_eq!(s, StatusCode::CREATED, "{b}");
        let xh_office = b["token"].as_str().unwrap().to_owned();
        let mut d = deputy_json("司马芳");
        d["mobile"] = json!("13900000001");
        let (s, _, b_deputy) = t.call("POST", "/api/v1/deputies", &xh_office, Some(d), &[]).await;
        assert_eq!(s, StatusCode::CREATED, "{b_deputy}");
        let (_, _, list) = t.call("GET", "/api/v1/deputies", &xh_office, None, &[]).await;
        let text = list.to_string();
        assert!(text.contains("司马芳") && !text.contains("诸葛明"), "{text}");
        let a_id = a_deputy["id"].as_str().unwrap();
        let (s, _, _) = t.call("GET", &format!("/api/v1/deputies/{a_id}"), &xh_office, None, &[]).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "A's deputy by id from B");
        let (_, _, list) = t.call("GET", "/api/v1/deputies", &t.office, None, &[]).await;
        assert!(!list.to_string().contains("司马芳"), "{list}");
    });
}
