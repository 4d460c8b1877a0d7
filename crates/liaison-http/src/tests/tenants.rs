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

/// A valid resident ID number of a man born 1970-01-01 (sequence `n`, odd).
fn id_number(n: u32) -> String {
    let body = format!("33010619700101{:03}", n % 1000);
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body.bytes().zip(W).map(|(b, w)| u32::from(b - b'0') * w).sum();
    format!("{body}{}", b"10X98765432"[(sum % 11) as usize] as char)
}

/// Issue 20, part 2: a county deputy who is also a city deputy, registered on each procuratorate's register
/// over the API, is linked; `GET /api/v1/deputies/{id}` shows on each side the other congress's level and
/// the other procuratorate's name, and no other field of the other record.
#[test]
fn a_deputy_of_two_congresses_shows_the_other_register_and_nothing_else_of_it() {
    rt().block_on(async {
        let t = setup().await;
        let app = t.app.clone().unwrap();
        app.place_tenant("default", "city", None, None).await.unwrap();
        let new = NewTenant {
            id: Some("xh".into()),
            name: "西湖区人民检察院".into(),
            level: "county".into(),
            parent: Some("default".into()),
        };
        app.add_tenant(new, None).await.unwrap();
        let xh = liaison_core::ids::TenantId::parse("xh").unwrap();
        let admin = app.principal_for_login(&xh, "admin").unwrap();
        for (login, role) in [("sec", "security_admin"), ("xhoffice", "office")] {
            let u = liaison_app::NewUser {
                login: login.into(),
                display_name: login.into(),
                roles: vec![role.into()],
                ..Default::default()
            };
            if app.add_user(&admin, &u).await.unwrap().pending_roles.is_some() {
                let sec = app.principal_for_login(&xh, "sec").unwrap();
                app.account_step(&sec, login, None, liaison_app::AccountStep::Approve, None).await.unwrap();
            }
        }
        let p = app.principal_for_login(&xh, "xhoffice").unwrap();
        let xh_office = app.create_token(&p, "xhoffice", "t", None).await.unwrap().token;

        let same = id_number(11);
        let mut county = deputy_json("林建国");
        county["gender"] = json!("男");
        county["id_number"] = json!(same);
        county["mobile"] = json!("13900000011");
        let (s, _, c) = t.call("POST", "/api/v1/deputies", &xh_office, Some(county), &[]).await;
        assert_eq!(s, StatusCode::CREATED, "{c}");
        let mut city = deputy_json("林建国");
        city["gender"] = json!("男");
        city["level"] = json!("市");
        city["id_number"] = json!(same);
        city["mobile"] = json!("13900000013");
        let (s, _, y) = t.call("POST", "/api/v1/deputies", &t.office, Some(city), &[]).await;
        assert_eq!(s, StatusCode::CREATED, "{y}");
        let (c_id, y_id) = (c["id"].as_str().unwrap(), y["id"].as_str().unwrap());

        let (s, _, shown) = t.call("GET", &format!("/api/v1/deputies/{c_id}"), &xh_office, None, &[]).await;
        assert_eq!(s, StatusCode::OK, "{shown}");
        assert_eq!(
            shown["other_registers"],
            json!([{"level": "city", "level_zh": "市", "procuratorate": "测试院",
                "text": "同时是市级人大代表（测试院名册）"}]),
            "{shown}"
        );
        let text = shown.to_string();
        for leak in [y_id, "13900000013", "0013", same.as_str()] {
            assert!(!text.contains(leak), "{leak} of the other record in {text}");
        }
        let (_, _, other_side) =
            t.call("GET", &format!("/api/v1/deputies/{y_id}"), &t.office, None, &[]).await;
        assert_eq!(
            other_side["other_registers"][0]["text"], "同时是西湖区人大代表（西湖区人民检察院名册）",
            "{other_side}"
        );
        // Lists do not carry the link; the other procuratorate's record is still not readable by id.
        let (_, _, list) = t.call("GET", "/api/v1/deputies", &xh_office, None, &[]).await;
        assert!(!list.to_string().contains("other_registers"), "{list}");
        let (s, _, _) = t.call("GET", &format!("/api/v1/deputies/{y_id}"), &xh_office, None, &[]).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        // The document describes the field.
        let (_, _, doc) = t.call("GET", "/api/v1/openapi.json", "", None, &[]).await;
        let props = &doc["components"]["schemas"]["OtherRegisterView"]["properties"];
        assert!(props["text"].is_object() && props["procuratorate"].is_object(), "{props}");
    });
}
