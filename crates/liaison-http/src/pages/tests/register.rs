//! The register's pages (issue 16, item 2) in-process: the search by initials and the filters, the deputy's
//! page with their timeline, the reveal of the full card (a reason, a recent authentication, the form's
//! token, the role) and the coverage report with its assignment form — names on every page, never ids.

use liaison_app::{OrgInput, SuggestionInput, VisitInput};
use liaison_core::ids::DeputyId;
use liaison_core::registry::DeputyInput;

use super::*;

const MOBILE: &str = "13912345678";
const WHY: &str = "走访前核对通讯地址";

/// Names, never ids, in what the page shows.
fn names_only(w: &W, p: &Page) {
    let text = visible(&p.body);
    assert!(!has_uuid(&text), "an id shown: {text}");
    for id in &w.ids {
        assert!(!text.contains(id.as_str()), "{id} shown");
    }
}

impl W {
    /// 钱晓岚 (county, 鼓楼区, mobile 13912345678) and 钱晓东 (township, 台江区), registered by the office.
    fn register_two(&mut self) -> (DeputyId, DeputyId) {
        let add = |i: DeputyInput| {
            DeputyId(rt().block_on(self.app.register_deputy(&self.office, i, None, None)).unwrap().id)
        };
        let a = add(input("钱晓岚", "县", "鼓楼区", MOBILE));
        let b = add(input("钱晓东", "乡", "台江区", "13700001111"));
        self.ids.extend([a.to_string(), b.to_string()]);
        (a, b)
    }

    /// Log in `login` (its password set by the security administrator) through the pages, enrolling its
    /// authenticator: the session cookie.
    async fn login_as(&self, login: &str) -> String {
        self.first_login_as(login).await.0
    }

    fn views(&self, id: DeputyId) -> Vec<liaison_app::views::HistoryEntry> {
        let h = self.app.deputy_history(&self.office, id).unwrap();
        h.into_iter().filter(|e| e.kind == "access.personal_data_viewed").collect()
    }
}

/// The search by pinyin initials finds the deputy by name, in a list that shows names, levels and regions
/// and masks the phone; the filters narrow it; a bad filter is the page with its error.
#[test]
fn the_register_finds_a_deputy_by_initials_and_filters_by_level_region_and_officer() {
    let mut w = W::new(Edge::default());
    let (a, _) = w.register_two();
    rt().block_on(async {
        assert_eq!(w.get("/register", &[]).await.location(), "/login");
        let sc = w.login_as("office").await;
        let all = w.get("/register", &[&sc]).await;
        assert_eq!(all.status, StatusCode::OK, "{}", all.body);
        strict_page(&all);
        assert!(
            all.body.contains("<a href=\"/register\" aria-current=\"page\">代表名册</a>"),
            "{}",
            all.body
        );
        for id in ["q", "level", "region", "status", "officer"] {
            assert!(all.body.contains(&format!("<label for=\"{id}\">")), "{id}");
        }

        let found = w.get("/register?q=qxl", &[&sc]).await;
        assert_eq!(found.status, StatusCode::OK);
        strict_page(&found);
        let text = visible(&found.body);
        assert!(text.contains("钱晓岚") && !text.contains("钱晓东"), "{text}");
        assert_eq!(found.text_of("total"), "共 1 名代表，按姓名拼音排序");
        assert!(text.contains("县级人大代表 · 鼓楼区 · 鼓楼代表团"), "{text}");
        assert!(text.contains("139****5678") && !text.contains(MOBILE), "masked: {text}");
        assert!(found.body.contains(&format!("href=\"/register/{a}\"")), "{}", found.body);
        names_only(&w, &found);

        // Both by the surname's initials; one by level, one by region.
        let both = w.get("/register?q=qx", &[&sc]).await;
        assert_eq!(both.text_of("total"), "共 2 名代表，按姓名拼音排序");
        assert!(
            both.body.find("钱晓东").unwrap() < both.body.find("钱晓岚").unwrap(),
            "pinyin order: dong before lan"
        );
        let county = w.get("/register?q=qx&level=county", &[&sc]).await;
        assert!(visible(&county.body).contains("钱晓岚") && !county.body.contains("钱晓东"));
        assert!(county.body.contains("<option value=\"county\" selected>"), "{}", county.body);
        let region = w.get(&format!("/register?q=qx&region={}", enc("台江区")), &[&sc]).await;
        assert!(region.body.contains("钱晓东") && !region.body.contains("钱晓岚"), "{}", region.body);

        // The officer's filter: only the deputies assigned to 林晓.
        w.app
            .change_organisation(
                &w.office,
                OrgInput::AddOfficer { name: "林晓".into(), department: None, regions: vec![] },
                None,
                None,
            )
            .await
            .unwrap();
        w.app.assign(&w.office, a, Some("林晓".into()), None, None, None).await.unwrap();
        let page = w.get("/register", &[&sc]).await;
        assert!(page.body.contains("<option value=\"林晓\">林晓</option>"), "by name: {}", page.body);
        let theirs = w.get(&format!("/register?officer={}", enc("林晓")), &[&sc]).await;
        assert_eq!(theirs.text_of("total"), "共 1 名代表，按姓名拼音排序", "{}", theirs.body);
        assert!(visible(&theirs.body).contains("联络员：林晓"), "{}", theirs.body);
        assert!(theirs.body.contains("<option value=\"林晓\" selected>"), "{}", theirs.body);
        assert!(!has_uuid(&theirs.body.replace(&format!("/register/{a}"), "")), "no id but the link's");

        let bad = w.get("/register?level=galactic", &[&sc]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("id=\"error-message\""), "{}", bad.body);
        strict_page(&bad);
    });
}

fn enc(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// The deputy's page: the card with masked contact, and the timeline of the suggestion they lead (linked
/// to its page) and of their visit, newest first.
#[test]
fn the_deputy_page_shows_the_card_and_the_timeline() {
    let mut w = W::new(Edge::default());
    let (a, b) = w.register_two();
    let s = rt()
        .block_on(w.app.file_suggestion(
            &w.office,
            &SuggestionInput {
                title: "关于完善公益诉讼线索移送机制的建议".into(),
                content: "建议建立线索移送台账。".into(),
                source: "闭会期间".into(),
                received_on: Some("2026-03-03".into()),
                deputies: vec![a.to_string(), b.to_string()],
            },
            None,
        ))
        .unwrap();
    w.ids.push(s.suggestion.id.to_string());
    rt().block_on(w.app.record_visit(
        &w.office,
        &VisitInput {
            deputy: a.to_string(),
            on: "2026-03-05".into(),
            place: "家中".into(),
            staff: vec!["联络员林晓".into()],
            notes: "了解履职需求".into(),
            issues: vec![],
        },
    ))
    .unwrap();
    rt().block_on(async {
        let sc = w.login_as("office").await;
        let p = w.get(&format!("/register/{a}"), &[&sc]).await;
        assert_eq!(p.status, StatusCode::OK, "{}", p.body);
        strict_page(&p);
        names_only(&w, &p);
        let text = visible(&p.body);
        assert!(
            text.contains("钱晓岚") && text.contains("县级人大代表") && text.contains("鼓楼区"),
            "{text}"
        );
        assert!(text.contains("139****5678") && !text.contains(MOBILE), "{text}");
        let sug = p.body.find("关于完善公益诉讼线索移送机制的建议").expect("the suggestion");
        let visit = p.body.find("走访（家中）").expect("the visit");
        assert!(visit < sug, "newest first");
        assert!(
            p.body.contains(&format!("<a href=\"/suggestions/{}\">2026-0002 ", s.suggestion.id)),
            "{}",
            p.body
        );
        assert!(text.contains("领衔提出") && text.contains("2026年3月5日"), "{text}");
        let co = w.get(&format!("/register/{b}"), &[&sc]).await;
        assert!(visible(&co.body).contains("联名提出") && !co.body.contains("走访（家中）"), "{}", co.body);

        let none = w.get("/register/00000000-0000-7000-8000-000000000000", &[&sc]).await;
        assert_eq!(none.status, StatusCode::NOT_FOUND);
        assert_eq!(w.get("/register/not-an-id", &[&sc]).await.status, StatusCode::NOT_FOUND);
    });
}

/// "显示完整联系方式": without the token 403; without a reason 422 and nothing shown or recorded; without a
/// recent authentication to `/reauth` and back; then the full phone, once, and the trail has the reason.
#[test]
fn revealing_the_full_card_needs_the_token_a_reason_and_a_recent_authentication() {
    let mut w = W::new(Edge::default());
    let (a, _) = w.register_two();
    rt().block_on(async {
        let sc = w.login_as("office").await;
        let page = w.get(&format!("/register/{a}"), &[&sc]).await;
        assert!(page.body.contains(&format!("action=\"/register/{a}/reveal\"")), "{}", page.body);
        assert!(page.body.contains("<label for=\"reason\">"), "{}", page.body);
        let csrf = page.field("csrf");
        let reveal = format!("/register/{a}/reveal");

        let no_token = w.post(&reveal, &[&sc], &[("reason", WHY)]).await;
        assert_eq!(no_token.status, StatusCode::FORBIDDEN);
        assert!(!no_token.body.contains(MOBILE));
        let cross = w
            .send(
                "POST",
                &reveal,
                &[&sc],
                Some(form(&[("csrf", &csrf), ("reason", WHY)])),
                &[("sec-fetch-site", "cross-site")],
            )
            .await;
        assert_eq!(cross.status, StatusCode::FORBIDDEN);

        let no_reason = w.post(&reveal, &[&sc], &[("csrf", &csrf), ("reason", "  ")]).await;
        assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", no_reason.body);
        assert!(no_reason.text_of("reason-error").contains("原因"), "{}", no_reason.body);
        assert!(no_reason.body.contains("aria-invalid=\"true\""));
        assert!(!no_reason.body.contains(MOBILE) && no_reason.body.contains("139****5678"));
        strict_page(&no_reason);
        // A reason the app refuses (too short) is the field's error too.
        let short = w.post(&reveal, &[&sc], &[("csrf", &csrf), ("reason", "看")]).await;
        assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", short.body);
        assert!(!short.body.contains(MOBILE));
        assert!(w.views(a).is_empty(), "nothing viewed, nothing recorded");

        // Past the window of a recent authentication: prove a factor again, come back.
        w.wait(11 * 60);
        let stale = w.post(&reveal, &[&sc], &[("csrf", &csrf), ("reason", WHY)]).await;
        let back = format!("/register/{a}");
        assert_eq!(
            (stale.status, stale.location()),
            (StatusCode::SEE_OTHER, format!("/reauth?next={}", enc(&back)).as_str())
        );
        assert!(w.views(a).is_empty());
        let form_page = w.get(stale.location(), &[&sc]).await;
        assert_eq!(form_page.status, StatusCode::OK);
        let again =
            w.post("/reauth", &[&sc], &[("csrf", &csrf), ("next", &back), ("password", PASSWORD)]).await;
        assert_eq!(
            (again.status, again.location()),
            (StatusCode::SEE_OTHER, back.as_str()),
            "{}",
            again.body
        );

        let shown = w.post(&reveal, &[&sc], &[("csrf", &csrf), ("reason", WHY)]).await;
        assert_eq!(shown.status, StatusCode::OK, "{}", shown.body);
        strict_page(&shown);
        assert!(visible(&shown.body).contains(MOBILE), "{}", shown.body);
        assert!(shown.body.contains("id=\"revealed\""), "{}", shown.body);
        names_only(&w, &shown);
        let v = w.views(a);
        assert_eq!(v.len(), 1, "{v:?}");
        assert_eq!(v[0].reason.as_deref(), Some(WHY));
        assert!(v[0].actor.contains("联络室王芳"), "{:?}", v[0]);
        // Shown once: the page itself is masked again.
        let later = w.get(&back, &[&sc]).await;
        assert!(!later.body.contains(MOBILE));
    });
}

/// A department's handler reads the register (masked) but may not see a full card: no form, and a post
/// is refused with nothing recorded.
#[test]
fn a_department_account_reads_the_register_but_cannot_reveal_a_card() {
    let mut w = W::new(Edge::default());
    let (a, _) = w.register_two();
    rt().block_on(async {
        let sc = w.login_as("dept1").await;
        let p = w.get(&format!("/register/{a}"), &[&sc]).await;
        assert_eq!(p.status, StatusCode::OK, "{}", p.body);
        assert!(p.body.contains("139****5678") && !p.body.contains("/reveal"), "{}", p.body);
        let csrf = p.field("csrf");
        let r = w.post(&format!("/register/{a}/reveal"), &[&sc], &[("csrf", &csrf), ("reason", WHY)]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        assert!(!r.body.contains(MOBILE));
        strict_page(&r);
        assert!(w.views(a).is_empty());
        // Nor may it assign an officer.
        let r =
            w.post(&format!("/register/{a}/assign"), &[&sc], &[("csrf", &csrf), ("officer", "林晓")]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    });
}

/// The coverage report lists the deputies with gaps by level, each linked to their page; the office assigns
/// an officer from it, and the gap closes.
#[test]
fn the_coverage_report_lists_gaps_by_level_and_assigns_an_officer() {
    let mut w = W::new(Edge::default());
    let (a, _) = w.register_two();
    rt().block_on(async {
        w.app
            .change_organisation(
                &w.office,
                OrgInput::AddOfficer { name: "林晓".into(), department: None, regions: vec![] },
                None,
                None,
            )
            .await
            .unwrap();
        let sc = w.login_as("office").await;
        let p = w.get("/register/coverage", &[&sc]).await;
        assert_eq!(p.status, StatusCode::OK, "{}", p.body);
        strict_page(&p);
        names_only(&w, &p);
        let text = visible(&p.body);
        assert!(text.contains("县级人大代表：") && text.contains("乡级人大代表："), "{text}");
        assert!(
            p.body.contains(&format!("<a class=\"reg-name\" href=\"/register/{a}\">钱晓岚</a>")),
            "{}",
            p.body
        );
        assert!(p.body.contains("为钱晓岚指定联络员"), "{}", p.body);
        let csrf = p.field("csrf");
        let to = format!("/register/{a}/assign");
        assert_eq!(w.post(&to, &[&sc], &[("officer", "林晓")]).await.status, StatusCode::FORBIDDEN);
        let empty = w.post(&to, &[&sc], &[("csrf", &csrf), ("officer", "")]).await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        let r = w.post(&to, &[&sc], &[("csrf", &csrf), ("officer", "林晓")]).await;
        assert_eq!((r.status, r.location()), (StatusCode::SEE_OTHER, "/register/coverage"), "{}", r.body);
        let after = w.get("/register/coverage", &[&sc]).await;
        assert!(!after.body.contains("为钱晓岚指定联络员") && after.body.contains("为钱晓东指定联络员"));
        let card = w.get(&format!("/register/{a}"), &[&sc]).await;
        assert!(visible(&card.body).contains("联络员林晓"), "{}", card.body);
    });
}

/// A register file as a browser's form uploads it (`multipart/form-data`: the token and the file).
async fn upload(w: &W, sc: &str, csrf: &str, file: &str) -> Page {
    let b = "----liaisonBoundary7MA4YWxk";
    let body = format!(
        "--{b}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--{b}\r\nContent-Disposition: \
         form-data; name=\"file\"; filename=\"名册.csv\"\r\nContent-Type: text/csv\r\n\r\n{file}\r\n--{b}--\r\n"
    );
    let req = Request::builder()
        .method("POST")
        .uri("/register/import")
        .header(header::COOKIE, sc)
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={b}"))
        .body(Body::from(body))
        .unwrap();
    let r = w.router.clone().oneshot(req).await.unwrap();
    let (parts, body) = r.into_parts();
    let bytes = body.collect().await.unwrap().to_bytes();
    Page { status: parts.status, headers: parts.headers, body: String::from_utf8_lossy(&bytes).into_owned() }
}

const HEADER: &str = "姓名,性别,代表层级,届次,所属区域,任期开始,手机";

/// The import: a file with a bad row is the report of that row (its number, column and reason) and writes
/// nothing; a good one is previewed, then imported on confirmation; the form's token and the office's role
/// are checked.
#[test]
fn the_register_import_previews_the_row_report_then_imports_on_confirmation() {
    let w = W::new(Edge::default());
    let count = || w.app.count_deputies(&w.office, &liaison_app::DeputyFilter::default()).unwrap();
    let before = count();
    rt().block_on(async {
        let sc = w.login_as("office").await;
        let reg = w.get("/register", &[&sc]).await;
        assert!(reg.body.contains("<a href=\"/register/import\">导入名册</a>"), "{}", reg.body);
        let form = w.get("/register/import", &[&sc]).await;
        assert_eq!(form.status, StatusCode::OK, "{}", form.body);
        strict_page(&form);
        assert!(form.body.contains("enctype=\"multipart/form-data\"") && form.body.contains("<label for=\"file\">"));
        let csrf = form.field("csrf");

        let bad = format!("{HEADER}\n孙丽华,女,县,18,鼓楼区,2022-01-10,13600001111\n周海涛,男,县,18,鼓楼区,2022-13-40,13600002222\n");
        let p = upload(&w, &sc, &csrf, &bad).await;
        assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", p.body);
        strict_page(&p);
        assert_eq!((p.text_of("accepted"), p.text_of("refused")), ("1 行".into(), "1 行".into()));
        let problems = visible(&p.body[p.body.find("id=\"problems\"").unwrap()..]);
        assert!(problems.contains("第 3 行") && problems.contains("任期开始"), "{problems}");
        assert!(!p.body.contains("/register/import/confirm"), "no confirmation for a refused file");
        assert_eq!(count(), before, "nothing written");

        let good = format!("{HEADER}\n孙丽华,女,县,18,鼓楼区,2022-01-10,13600001111\n周海涛,男,乡,18,台江区,2022-01-10,13600002222\n");
        assert_eq!(upload(&w, &sc, "", &good).await.status, StatusCode::FORBIDDEN);
        let p = upload(&w, &sc, &csrf, &good).await;
        assert_eq!(p.status, StatusCode::OK, "{}", p.body);
        assert!(p.body.contains("检查结果（尚未导入）") && p.body.contains("action=\"/register/import/confirm\""));
        assert_eq!(count(), before, "a preview writes nothing");
        let file = p.field("file");
        assert_eq!(
            w.post("/register/import/confirm", &[&sc], &[("file", &file)]).await.status,
            StatusCode::FORBIDDEN
        );
        let done = w.post("/register/import/confirm", &[&sc], &[("csrf", &csrf), ("file", &file)]).await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
        assert!(done.body.contains("导入完成"), "{}", done.body);
        assert_eq!(count(), before + 2);
        let found = w.get(&format!("/register?q={}", enc("孙丽")), &[&sc]).await;
        assert!(visible(&found.body).contains("孙丽华"), "{}", found.body);

        // A department's handler may not import.
        let dc = w.login_as("dept1").await;
        assert_eq!(w.get("/register/import", &[&dc]).await.status, StatusCode::FORBIDDEN);
        assert!(!w.get("/register", &[&dc]).await.body.contains("/register/import"));
    });
}

/// Twenty to a page, in pinyin order; the next page follows the cursor with the same filter, and the first
/// page is a link away.
#[test]
fn the_register_pages_twenty_at_a_time_keeping_the_filter() {
    let w = W::new(Edge::default());
    for (i, mut d) in liaison_app::demo::generate(23, 31).enumerate() {
        d.level = if i % 2 == 0 { "县".into() } else { "乡".into() };
        rt().block_on(w.app.register_deputy(&w.office, d, None, None)).unwrap();
    }
    let county = w
        .app
        .count_deputies(
            &w.office,
            &liaison_app::DeputyFilter { level: Some("county".into()), ..Default::default() },
        )
        .unwrap();
    assert!(county > 0 && county <= 20, "{county}");
    rt().block_on(async {
        let sc = w.login_as("office").await;
        let first = w.get("/register", &[&sc]).await;
        let names = |p: &Page| p.body.matches("class=\"reg-name\"").count();
        assert_eq!(names(&first), 20);
        let at = first.body.find("rel=\"next\"").expect("a next page");
        let href = &first.body[first.body[..at].rfind("href=\"").unwrap() + 6..at];
        let href = href[..href.find('"').unwrap()].replace("&#38;", "&");
        let second = w.get(&href, &[&sc]).await;
        assert_eq!(second.status, StatusCode::OK, "{}", second.body);
        assert_eq!(names(&second), 25 - 20, "{}", second.body);
        assert!(!second.body.contains("rel=\"next\"") && second.body.contains("回到第一页"));
        // The filter goes with the cursor.
        let current = w.get("/register?status=in_office", &[&sc]).await;
        assert!(current.body.contains("/register?status=in_office&#38;cursor="), "{}", current.body);
        let few = w.get("/register?level=county", &[&sc]).await;
        assert!(!few.body.contains("rel=\"next\""));
        assert_eq!(names(&few) as u64, county);
    });
}

/// An officer sees the full card of a deputy assigned to it, and is refused (403, the app's reason, nothing
/// shown or recorded) for a deputy outside its reach.
#[test]
fn an_officer_reveals_only_the_cards_within_its_reach() {
    let mut w = W::new(Edge::default());
    let (a, b) = w.register_two();
    rt().block_on(async {
        w.app
            .change_organisation(
                &w.office,
                OrgInput::AddOfficer { name: "林晓".into(), department: None, regions: vec![] },
                None,
                None,
            )
            .await
            .unwrap();
        w.app.assign(&w.office, a, Some("林晓".into()), None, None, None).await.unwrap();
        let t = liaison_app::default_tenant();
        let admin = w.app.principal_for_login(&t, "admin").unwrap();
        let new = liaison_app::NewUser {
            login: "lin".into(),
            display_name: "联络员林晓".into(),
            roles: vec!["officer".into()],
            officer: Some("林晓".into()),
            ..Default::default()
        };
        if w.app.add_user(&admin, &new).await.unwrap().pending_roles.is_some() {
            w.app.account_step(&w.sec, "lin", None, liaison_app::AccountStep::Approve, None).await.unwrap();
        }
        let sc = w.login_as("lin").await;
        let own = w.get(&format!("/register/{a}"), &[&sc]).await;
        let csrf = own.field("csrf");
        let shown =
            w.post(&format!("/register/{a}/reveal"), &[&sc], &[("csrf", &csrf), ("reason", WHY)]).await;
        assert_eq!(shown.status, StatusCode::OK, "{}", shown.body);
        assert!(visible(&shown.body).contains(MOBILE));
        let other =
            w.post(&format!("/register/{b}/reveal"), &[&sc], &[("csrf", &csrf), ("reason", WHY)]).await;
        assert_eq!(other.status, StatusCode::FORBIDDEN, "{}", other.body);
        assert!(
            other.body.contains("id=\"error-message\"") && !other.body.contains("13700001111"),
            "{}",
            other.body
        );
        strict_page(&other);
        assert!(w.views(b).is_empty());
        assert_eq!(w.views(a).len(), 1);
    });
}

/// Post a form of the organisation page with the organisation's current version.
async fn org_post(w: &W, sc: &str, csrf: &str, fields: Vec<(&'static str, String)>) -> Page {
    let v = w.app.organisation(&w.office).unwrap().version.to_string();
    let mut all: Vec<(&str, &str)> = vec![("csrf", csrf), ("version", &v)];
    all.extend(fields.iter().map(|(k, v)| (*k, v.as_str())));
    w.post("/register/organisation", &[sc], &all).await
}

/// The office sets up the organisation from the page (a region and its leader, a department paired and
/// serving the region, an officer for the region), bad input and a stale page refused with nothing changed,
/// a department account refused; then the coverage report's automatic assignment, previewed (nothing
/// written) and confirmed, fills the officer gaps.
#[test]
fn the_office_sets_up_the_organisation_and_fills_the_gaps_automatically() {
    let w = W::new(Edge::default());
    rt().block_on(async {
        let region =
            w.app.deputies(&w.office, &liaison_app::DeputyFilter::default(), None, 10).unwrap().items[0]
                .region
                .clone();
        let (sc, _, _) = w.first_login().await;
        let page = w.get("/register/organisation", &[&sc]).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        strict_page(&page);
        let csrf = page.field("csrf");
        let version = |w: &W| w.app.organisation(&w.office).unwrap().version;
        let before = version(&w);
        let bad = org_post(&w, &sc, &csrf, vec![("action", "add_region".into()), ("name", " ".into())]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        assert!(bad.text_of("error-message").starts_with("名称："), "{}", bad.body);
        assert_eq!(version(&w), before, "nothing changed");
        let stale = w
            .post(
                "/register/organisation",
                &[&sc],
                &[("csrf", &csrf), ("version", "0"), ("action", "add_region"), ("name", "某区")],
            )
            .await;
        assert_eq!(stale.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", stale.body);
        assert!(stale.text_of("error-message").contains("已被他人修改"), "{}", stale.body);
        assert!(stale.body.contains("value=\"某区\""), "the form kept: {}", stale.body);
        assert_eq!(version(&w), before, "nothing changed");

        for fields in [
            vec![("action", "add_region".to_owned()), ("name", region.clone())],
            vec![
                ("action", "add_leader".into()),
                ("name", "院领导张华".into()),
                ("title", "副检察长".into()),
            ],
            vec![
                ("action", "set_region_leader".into()),
                ("region", region.clone()),
                ("leader", "院领导张华".into()),
            ],
            vec![
                ("action", "pair_delegation".into()),
                ("department", "第一检察部".into()),
                ("delegation", "某代表团".into()),
            ],
            vec![
                ("action", "add_department_region".into()),
                ("department", "第一检察部".into()),
                ("region", region.clone()),
            ],
            vec![
                ("action", "add_officer".into()),
                ("name", "联络员陈静".into()),
                ("department", "第一检察部".into()),
                ("regions", region.clone()),
            ],
        ] {
            let r = org_post(&w, &sc, &csrf, fields.clone()).await;
            assert_eq!(
                (r.status, r.location()),
                (StatusCode::SEE_OTHER, "/register/organisation?done=1"),
                "{fields:?}: {}",
                r.body
            );
        }
        let org = w.app.organisation(&w.office).unwrap();
        assert_eq!(
            org.regions.iter().find(|r| r.name == region).and_then(|r| r.leader_name.as_deref()),
            Some("院领导张华")
        );
        assert_eq!(org.officers[0].regions, vec![region.clone()]);
        let page = w.get("/register/organisation", &[&sc]).await;
        assert!(visible(&page.body).contains(&format!("{region}：院领导张华")), "{}", page.body);
        assert!(!has_uuid(&visible(&page.body)));

        // The automatic assignment: a preview writes nothing; the confirmation fills the gaps.
        let gaps = |w: &W| {
            w.app
                .coverage(&w.office)
                .unwrap()
                .gaps
                .iter()
                .filter(|g| g.gaps.iter().any(|c| c == "no_officer"))
                .count()
        };
        let missing = gaps(&w);
        assert!(missing > 0);
        let preview = w.post("/register/coverage/auto", &[&sc], &[("csrf", &csrf)]).await;
        assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
        assert!(preview.text_of("auto-message").starts_with("预览：将为"), "{}", preview.body);
        assert_eq!(gaps(&w), missing, "a preview writes nothing");
        // A confirmation of another plan than the one now computed is shown the new plan, nothing assigned.
        let other = w
            .post(
                "/register/coverage/auto",
                &[&sc],
                &[("csrf", &csrf), ("confirm", "1"), ("plan", "0-0-0-0-0-0-0")],
            )
            .await;
        assert_eq!(other.status, StatusCode::OK, "{}", other.body);
        assert!(other.text_of("auto-message").contains("有了变化"), "{}", other.body);
        assert_eq!(gaps(&w), missing, "nothing assigned on another plan");
        let plan = preview.field("plan");
        let done = w
            .post("/register/coverage/auto", &[&sc], &[("csrf", &csrf), ("confirm", "1"), ("plan", &plan)])
            .await;
        assert_eq!(done.location(), "/register/coverage?done=auto", "{}", done.body);
        assert!(gaps(&w) < missing, "filled");

        let dc = w.first_login_as("dept1").await.0;
        let no = w
            .post(
                "/register/organisation",
                &[&dc],
                &[
                    ("csrf", &w.get("/", &[&dc]).await.field("csrf")),
                    ("action", "add_region"),
                    ("name", "某区"),
                ],
            )
            .await;
        assert_eq!(no.status, StatusCode::FORBIDDEN, "{}", no.body);
    });
}

/// A large register's coverage report names the first 50 deputies with a gap per level and counts the
/// rest (a national register would otherwise make a page of megabytes).
#[test]
fn the_coverage_report_lists_the_first_gaps_of_a_level_and_counts_the_rest() {
    let w = W::new(Edge::default());
    rt().block_on(async {
        for input in liaison_app::demo::generate(130, 5) {
            w.app.register_deputy(&w.office, input, None, None).await.unwrap();
        }
        let report = w.app.coverage(&w.office).unwrap();
        let township = report.gaps.iter().filter(|g| g.level == "township").count();
        assert!(township > 50, "{township}");
        let (sc, _, _) = w.first_login().await;
        let page = w.get("/register/coverage", &[&sc]).await;
        assert_eq!(page.status, StatusCode::OK);
        let text = visible(&page.body);
        assert!(text.contains(&format!("{township} 名待补缺")), "{text}");
        assert!(text.contains(&format!("另有 {} 名未列出", township - 50)), "{text}");
        assert_eq!(
            page.body.matches("class=\"reg-name\"").count(),
            report.gaps.len().min(50 * 5).min(
                report
                    .by_level
                    .iter()
                    .map(|l| {
                        let n = report
                            .gaps
                            .iter()
                            .filter(|g| {
                                liaison_core::registry::DeputyLevel::parse(&g.level)
                                    .is_ok_and(|x| x.zh() == l.level_zh)
                            })
                            .count();
                        n.min(50)
                    })
                    .sum::<usize>()
            )
        );
    });
}
