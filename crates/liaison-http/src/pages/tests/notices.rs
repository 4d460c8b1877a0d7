//! 重大事项通报 on the pages: draft, a leader's approval after re-authentication, sending, and the delivery
//! and acknowledgement table.

use super::*;

/// The value of `name="NAME" value="…"` after `from` in the page.
fn field_after(p: &Page, from: &str, name: &str) -> String {
    let at = p.body.find(from).unwrap_or_else(|| panic!("{from}: {}", p.body));
    let rest = &p.body[at..];
    let key = format!("name=\"{name}\" value=\"");
    let v = &rest[rest.find(&key).unwrap_or_else(|| panic!("{name} after {from}")) + key.len()..];
    v[..v.find('"').unwrap()].to_owned()
}

#[test]
fn a_notice_is_drafted_approved_by_a_leader_sent_and_its_deliveries_recorded() {
    let w = W::new(Edge::default());
    user(&w.app, "leader1", "张院长", "leader", None);
    rt().block_on(async {
        let (office, _, _) = w.first_login().await;
        let list = w.get("/notices", &[&office]).await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        strict_page(&list);
        assert!(
            list.body.contains("2026 年还没有通报") && list.body.contains("aria-current=\"page\">通报</a>")
        );
        let csrf = list.field("csrf");

        let bad = w
            .post(
                "/notices",
                &[&office],
                &[
                    ("csrf", &csrf),
                    ("title", ""),
                    ("content", "内容"),
                    ("scope", "level"),
                    ("values", "火星"),
                    ("channel", "letter"),
                ],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        assert!(bad.body.contains("标题："), "{}", bad.body);
        assert!(w.app.notices(&w.office, None).unwrap().is_empty(), "nothing drafted");

        let made = w
            .post(
                "/notices",
                &[&office],
                &[
                    ("csrf", &csrf),
                    ("title", "关于开展公益诉讼专项监督的通报"),
                    ("content", "今年将开展专项监督。"),
                    ("scope", "all"),
                    ("values", ""),
                    ("channel", "letter"),
                ],
            )
            .await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
        let at = made.location().to_owned();
        assert!(at.starts_with("/notices/"));
        let page = w.get(&at, &[&office]).await;
        assert!(
            page.body.contains("草拟")
                && page.body.contains("等待院领导审批")
                && !page.body.contains("发送通报"),
            "{}",
            page.body
        );
        // The office cannot approve.
        let id = at.trim_start_matches("/notices/").to_owned();
        let v = w.app.notice(&w.office, &id).unwrap().notice.version.to_string();
        let refused =
            w.post(&at, &[&office], &[("csrf", &csrf), ("action", "approve"), ("version", &v)]).await;
        assert!(refused.body.contains("您的角色不能进行此操作"), "{}", refused.body);

        // The leader, later, proves a factor again before approving.
        let (leader, secret, _) = w.first_login_as("leader1").await;
        w.wait(11 * 60);
        let home = w.get("/", &[&leader]).await;
        assert!(
            home.body.contains("待我审批")
                && home.body.contains(&format!("<a href=\"{at}\">关于开展公益诉讼专项监督的通报</a>")),
            "{}",
            home.body
        );
        let lp = w.get(&at, &[&leader]).await;
        assert!(lp.body.contains("审批同意"), "{}", lp.body);
        let lcsrf = lp.field("csrf");
        let first =
            w.post(&at, &[&leader], &[("csrf", &lcsrf), ("action", "approve"), ("version", &v)]).await;
        assert_eq!(first.status, StatusCode::SEE_OTHER);
        assert!(first.location().starts_with("/reauth?next=%2Fnotices%2F"), "{}", first.location());
        let code = w.code_now(&secret);
        w.post("/reauth", &[&leader], &[("csrf", &lcsrf), ("next", &at), ("code", &code)]).await;
        let ok = w.post(&at, &[&leader], &[("csrf", &lcsrf), ("action", "approve"), ("version", &v)]).await;
        assert_eq!((ok.status, ok.location()), (StatusCode::SEE_OTHER, at.as_str()), "{}", ok.body);

        // A stale page is refused; the current one sends.
        let stale = w.post(&at, &[&office], &[("csrf", &csrf), ("action", "send"), ("version", &v)]).await;
        assert!(stale.body.contains("刚被其他人修改过"), "{}", stale.body);
        let page = w.get(&at, &[&office]).await;
        assert!(page.body.contains("张院长 于"), "{}", page.body);
        let v = page.field("version");
        let sent = w.post(&at, &[&office], &[("csrf", &csrf), ("action", "send"), ("version", &v)]).await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        let page = w.get(&at, &[&office]).await;
        assert!(page.body.contains("送达与回执") && page.body.contains("2 人 · 送达 0"), "{}", page.body);
        let first_li = page.body.find("<ul class=\"items recipients\">").unwrap();
        let deputy = field_after(&page, &page.body[first_li..first_li + 40], "deputy");
        let v = page.field("version");
        let delivered = w
            .post(
                &at,
                &[&office],
                &[
                    ("csrf", &csrf),
                    ("action", "delivery"),
                    ("version", &v),
                    ("deputy", &deputy),
                    ("delivered", "no"),
                    ("note", "地址有误"),
                ],
            )
            .await;
        assert_eq!(delivered.status, StatusCode::SEE_OTHER, "{}", delivered.body);
        let page = w.get(&at, &[&office]).await;
        assert!(page.body.contains("未送达（地址有误）") && page.body.contains("未送达 1"), "{}", page.body);
        let v = page.field("version");
        let ack = w
            .post(
                &at,
                &[&office],
                &[("csrf", &csrf), ("action", "acknowledge"), ("version", &v), ("deputy", &deputy)],
            )
            .await;
        assert_eq!(ack.status, StatusCode::SEE_OTHER, "{}", ack.body);
        let page = w.get(&at, &[&office]).await;
        assert!(page.body.contains("回执 1") && page.body.contains("2026年3月6日 回执"), "{}", page.body);
        // Visible text names people, never ids (the ids are only in hidden fields).
        let visible: String =
            page.body.split("<input").map(|s| s.split_once('>').map_or(s, |(_, rest)| rest)).collect();
        let visible = visible.replace(&at, "");
        assert!(!has_uuid(&visible), "{visible}");

        let list = w.get("/notices", &[&office]).await;
        assert!(
            list.body.contains("已通报") && list.body.contains("关于开展公益诉讼专项监督的通报"),
            "{}",
            list.body
        );
    });
}
