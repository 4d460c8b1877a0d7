//! A province of procuratorates in one deployment (issue 20, part 2): a provincial, a city and a county
//! procuratorate, each with its own administrators, office, deputies, suggestions and other records; then
//! every GET operation of the served OpenAPI document — every list and every show, so a new route is
//! covered without touching this test — is called with each tenant's tokens, its path parameters filled
//! with every identifier of the other tenants, and nothing of another tenant may come back. Then the
//! roll-up (报备): the province sees the figures of all three, the county only its own; then a transfer
//! (转办) from the county to the city, seen from both sides and counted once in the roll-up. Apart: a county
//! office signs in through its own login page in a browser and reads only its county's rows.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use super::{World, agent, approve};

/// The procuratorates: id, name, level, parent, and the surname every person of its register carries and
/// the word every text it writes contains (so that a leak is visible in any response, whatever its shape).
struct Procuratorate {
    id: &'static str,
    name: &'static str,
    level: &'static str,
    parent: Option<&'static str>,
    surname: &'static str,
    word: &'static str,
}

const TENANTS: [Procuratorate; 3] = [
    Procuratorate {
        id: "zj",
        name: "浙江省人民检察院",
        level: "province",
        parent: None,
        surname: "欧阳",
        word: "钱塘",
    },
    Procuratorate {
        id: "hz",
        name: "杭州市人民检察院",
        level: "city",
        parent: Some("zj"),
        surname: "司马",
        word: "西湖",
    },
    Procuratorate {
        id: "default",
        name: "人民检察院",
        level: "county",
        parent: Some("hz"),
        surname: "诸葛",
        word: "良渚",
    },
];

/// What one tenant holds: the tokens of its accounts and what it wrote.
struct Holdings {
    tokens: Vec<(String, String)>,
    /// Every UUID its own accounts can read (harvested from its own walk).
    uuids: BTreeSet<String>,
    /// The values its show routes take: resource UUIDs, and words (suggestion numbers, logins, card numbers
    /// …) that may coincide with another tenant's own, so for those only what comes back is checked.
    words: BTreeSet<String>,
    /// Ids written by its office (each must be found by its own walk).
    written: Vec<String>,
}

/// GET a path with a token: status and body as text.
fn fetch(base: &str, path: &str, token: &str) -> (u16, String) {
    let mut r = agent()
        .get(&format!("{base}{path}"))
        .header("Authorization", &format!("Bearer {token}"))
        .call()
        .unwrap_or_else(|e| panic!("GET {path}: {e}"));
    (r.status().as_u16(), r.body_mut().read_to_string().unwrap_or_default())
}

/// Every UUID in a text.
fn uuids(s: &str) -> BTreeSet<String> {
    let b = s.as_bytes();
    let mut out = BTreeSet::new();
    for i in 0..b.len().saturating_sub(35) {
        let w = &b[i..i + 36];
        let is = w
            .iter()
            .enumerate()
            .all(|(j, c)| if [8, 13, 18, 23].contains(&j) { *c == b'-' } else { c.is_ascii_hexdigit() });
        if is {
            out.insert(String::from_utf8_lossy(w).to_ascii_lowercase());
        }
    }
    // The system's own actor (first start, migrations) is every tenant's.
    out.remove("00000000-0000-0000-0000-000000000000");
    out
}

/// The documented GET operations: (path template, its parameter names).
fn get_operations(doc: &Value) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        if item.get("get").is_none() {
            continue;
        }
        let params: Vec<String> =
            path.split('{').skip(1).filter_map(|s| s.split('}').next()).map(str::to_owned).collect();
        out.push((path.clone(), params));
    }
    out
}

/// Fill every parameter of `template` with `value`.
fn fill(template: &str, params: &[String], value: &str) -> String {
    params.iter().fold(template.to_owned(), |p, name| p.replace(&format!("{{{name}}}"), value))
}

/// Set up one procuratorate's people and records; its holdings (before its walk).
fn furnish(w: &World, t: &str, surname: &str, word: &str, office: Option<String>) -> Holdings {
    let run = |args: &[&str]| w.run(&[&["--tenant", t][..], args].concat());
    let ok = |args: &[&str]| super::ok(&run(args));
    let office = office.unwrap_or_else(|| {
        ok(&["user", "add", "office", "--name", "联络室", "--role", "office"]);
        approve(&run, "office");
        ok(&["--as", "office", "token", "create", "--label", "e2e"]).trim().to_owned()
    });
    if !ok(&["user", "list", "--format", "json"]).contains("\"audit\"") {
        ok(&["user", "add", "audit", "--name", "审计管理员", "--role", "auditor"]);
        let _ = run(&["--as", "sec", "user", "approve", "audit"]);
    }
    ok(&["--as", "office", "org", "add-department", &format!("{word}检察部")]);
    let mut tokens = vec![("office".to_owned(), office.clone())];
    for login in ["admin", "sec", "audit"] {
        tokens.push((
            login.into(),
            ok(&["--as", login, "token", "create", "--label", "e2e"]).trim().to_owned(),
        ));
    }
    let mut written = Vec::new();
    let mut deputies = Vec::new();
    for (i, level) in ["省", "县"].iter().enumerate() {
        let body = json!({"name": format!("{surname}{}", ["明", "芳"][i]), "gender": "女", "level": level,
            "term": "16", "region": format!("{word}区"), "mobile": format!("1390000{i}{:03}", t.len()),
            "term_start": "2023-01-01"});
        let (s, d) = super::post(w.base(), "/api/v1/deputies", &office, None, body);
        assert_eq!(s, 201, "{d}");
        deputies.push(d["id"].as_str().unwrap().to_owned());
    }
    written.extend(deputies.iter().cloned());
    let body = json!({"title": format!("关于{word}联络站的建议"), "content": format!("建议在{word}设立联络站。"),
        "source": "闭会期间", "deputies": [deputies[0]]});
    let (s, b) = super::post(w.base(), "/api/v1/suggestions", &office, None, body);
    assert_eq!(s, 201, "{b}");
    written.push(b["suggestion"]["id"].as_str().unwrap_or_else(|| panic!("{b}")).to_owned());
    let call = json!({"deputy": deputies[1], "caller": format!("{surname}芳"), "topic": format!("反映{word}社区矫正问题"),
        "route": "suggestion"});
    let (s, b) = super::post(w.base(), "/api/v1/calls", &office, None, call);
    assert_eq!(s, 201, "{b}");
    let notice = json!({"title": format!("关于{word}专项活动的通报"), "content": "二季度开展。", "scope": "all",
        "channel": "书面"});
    let (s, b) = super::post(w.base(), "/api/v1/notices", &office, None, notice);
    assert_eq!(s, 201, "{b}");
    written.push(b["notice"]["id"].as_str().unwrap_or_else(|| panic!("{b}")).to_owned());
    let meeting = json!({"title": format!("{word}代表座谈会"), "on": "2026-12-20", "place": format!("{word}会议室"),
        "agenda": ["通报工作"], "invite": [deputies[0]]});
    let (s, b) = super::post(w.base(), "/api/v1/meetings", &office, None, meeting);
    assert_eq!(s, 201, "{b}");
    Holdings { tokens, uuids: BTreeSet::new(), words: BTreeSet::new(), written }
}

/// Walk every GET operation as each of the tenant's accounts (side by side, one thread per account), with
/// `values` in every path parameter (or none for a list). Returns (path, account, status, body) per call.
fn walk(
    w: &World,
    ops: &[(String, Vec<String>)],
    h: &Holdings,
    values: &BTreeSet<String>,
) -> Vec<(String, String, u16, String)> {
    let base = w.base();
    std::thread::scope(|s| {
        let runs: Vec<_> = h
            .tokens
            .iter()
            .map(|(login, token)| {
                s.spawn(move || {
                    let mut out = Vec::new();
                    for (template, params) in ops {
                        let paths: Vec<String> = if params.is_empty() {
                            vec![template.clone()]
                        } else {
                            values.iter().map(|v| fill(template, params, v)).collect()
                        };
                        for path in paths {
                            let (status, body) = fetch(base, &path, token);
                            out.push((path, login.clone(), status, body));
                        }
                    }
                    out
                })
            })
            .collect();
        runs.into_iter().flat_map(|r| r.join().unwrap()).collect()
    })
}

/// Values a show route may take, harvested from a tenant's own responses: UUIDs, suggestion numbers,
/// logins, card numbers, years.
fn words_in(body: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let Ok(v) = serde_json::from_str::<Value>(body) else { return out };
    fn visit(v: &Value, out: &mut BTreeSet<String>) {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    if let (Some(s), true) =
                        (x.as_str(), matches!(k.as_str(), "number" | "login" | "key" | "reference"))
                    {
                        let plain = s.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b));
                        if !s.is_empty() && s.len() < 60 && plain {
                            out.insert(s.to_owned());
                        }
                    }
                    visit(x, out);
                }
            }
            Value::Array(a) => a.iter().for_each(|x| visit(x, out)),
            _ => {}
        }
    }
    visit(&v, &mut out);
    out
}

#[test]
fn a_province_of_three_procuratorates_never_reads_across_tenants() {
    province(World::offline());
}

/// The same on PostgreSQL (its own SQL for the register, accounts and sessions): run when a server is
/// there, required with `LIAISON_TEST_POSTGRES`.
#[test]
fn a_province_on_postgres_never_reads_across_tenants() {
    if let Some(w) = World::on_postgres("tenant isolation") {
        province(w);
    }
}

fn province(mut w: World) {
    // Served without rate limits: the walk makes tens of thousands of requests.
    w.start_with_args(&["--rate-per-address", "0", "--rate-per-account", "0", "--failures-per-address", "0"]);
    // The default tenant (the server's first start made it) becomes the county below the city.
    for t in &TENANTS[..2] {
        let mut args = vec!["tenant", "add", "--id", t.id, "--name", t.name, "--level", t.level];
        if let Some(p) = t.parent {
            args.extend(["--parent", p]);
        }
        let out = w.ok(&args);
        assert!(out.contains("lia_") && out.contains(t.name), "{out}");
    }
    w.ok(&["tenant", "place", "default", "--level", "county", "--parent", "hz"]);
    let tree = w.ok(&["tenant", "list", "--format", "csv"]);
    assert!(
        tree.contains("浙江省人民检察院")
            && tree.contains("  杭州市人民检察院")
            && tree.contains("    人民检察院"),
        "{tree}"
    );

    let mut held: BTreeMap<&str, Holdings> = BTreeMap::new();
    for t in &TENANTS {
        let office = (t.id == "default").then(|| w.office.clone());
        held.insert(t.id, furnish(&w, t.id, t.surname, t.word, office));
    }
    let (status, doc) = super::get(w.base(), "/api/v1/openapi.json", "");
    assert_eq!(status, 200);
    let ops = get_operations(&doc);
    assert!(ops.len() > 50 && ops.iter().any(|(p, _)| p == "/api/v1/rollup"), "{} GET operations", ops.len());
    let lists: Vec<_> = ops.iter().filter(|(_, p)| p.is_empty()).cloned().collect();
    let shows: Vec<_> = ops.iter().filter(|(_, p)| !p.is_empty()).cloned().collect();

    // Each tenant's own walk: every list with each of its accounts. What it reads is its own: every UUID
    // in it (to recognise a leak), and the identifiers a show route could take — the register's, the
    // records', the accounts' (the audit trail's record ids name no resource, so they are not tried in
    // paths). Its office's records are among them (the walk reaches real data), and its office's shows
    // answer for them.
    for (id, h) in held.iter_mut() {
        let mut values = BTreeSet::new();
        for (path, login, status, body) in walk(&w, &lists, h, &BTreeSet::new()) {
            if status == 200 {
                h.uuids.extend(uuids(&body));
                h.words.extend(words_in(&body));
                if login != "audit" && !path.starts_with("/api/v1/audit/") {
                    values.extend(uuids(&body));
                }
            }
        }
        for x in &h.written {
            assert!(h.uuids.contains(x), "{id}: its own {x} was not read by its own walk");
        }
        let office = Holdings {
            tokens: h.tokens[..1].to_vec(),
            uuids: BTreeSet::new(),
            words: BTreeSet::new(),
            written: vec![],
        };
        let written: BTreeSet<String> = h.written.iter().cloned().collect();
        let shown = walk(&w, &shows, &office, &written).into_iter().filter(|r| r.2 == 200).count();
        assert!(shown >= 5, "{id}: only {shown} of its own shows answered");
        h.uuids.extend(values.iter().cloned());
        h.words.extend(values);
    }

    // Across: each tenant, with each of its accounts, every list and every show with every identifier of
    // the other two. Nothing of theirs comes back: no UUID of theirs, no name or word of theirs; a UUID of
    // theirs in a path is refused (403/404/422), never answered.
    let mut calls = 0;
    let mut leaks = Vec::new();
    for (id, h) in &held {
        let others: Vec<(&str, &Holdings)> =
            held.iter().filter(|(o, _)| *o != id).map(|(o, x)| (*o, x)).collect();
        let marks: Vec<String> = TENANTS
            .iter()
            .filter(|t| t.id != *id)
            .flat_map(|t| [format!("{}明", t.surname), format!("{}芳", t.surname), t.word.to_owned()])
            .collect();
        let foreign_uuids: BTreeSet<String> =
            others.iter().flat_map(|(_, o)| o.uuids.difference(&h.uuids).cloned()).collect();
        // Path values: the others' resource ids and words (numbers, logins …), which their own walks found.
        let values: BTreeSet<String> = others.iter().flat_map(|(_, o)| o.words.iter().cloned()).collect();
        assert!(foreign_uuids.len() > 10, "{id}: too few foreign ids to try ({})", foreign_uuids.len());
        let results = walk(&w, &lists, h, &BTreeSet::new()).into_iter().chain(walk(&w, &shows, h, &values));
        for (path, login, status, body) in results {
            calls += 1;
            // A refusal may repeat the id asked for: what the caller sent is not a leak.
            let leaked_ids: Vec<&String> = uuids(&body)
                .iter()
                .filter(|u| !path.contains(u.as_str()))
                .filter_map(|u| foreign_uuids.get(u))
                .collect();
            let leaked_marks: Vec<&String> = marks.iter().filter(|m| body.contains(m.as_str())).collect();
            let by_foreign_id = foreign_uuids.iter().any(|u| path.contains(u.as_str()));
            let answered = (200..300).contains(&status);
            if !leaked_ids.is_empty()
                || !leaked_marks.is_empty()
                || (by_foreign_id && answered)
                || status >= 500
                || status == 429
            {
                leaks.push(format!(
                    "{id}/{login} GET {path} → {status}: ids {leaked_ids:?} marks {leaked_marks:?}"
                ));
            }
        }
    }
    assert!(
        leaks.is_empty(),
        "{} of {calls} calls read another tenant's data:\n{}",
        leaks.len(),
        leaks.join("\n")
    );
    assert!(calls > 3000, "only {calls} calls");
    liaison_store::testing::say(&format!(
        "tenant isolation: {calls} cross-tenant GETs, none read another tenant"
    ));

    // The roll-up (报备): the province's leader sees all three by name and level, figures only; the county's
    // office its own alone; an administrator none.
    let run_zj = |args: &[&str]| w.run(&[&["--tenant", "zj"][..], args].concat());
    super::ok(&run_zj(&["user", "add", "leader", "--name", "检察长", "--role", "leader"]));
    approve(&run_zj, "leader");
    let leader =
        super::ok(&run_zj(&["--as", "leader", "token", "create", "--label", "e2e"])).trim().to_owned();
    let year = super::chrono_year();
    let (status, r) = super::get(w.base(), &format!("/api/v1/rollup?year={year}"), &leader);
    assert_eq!(status, 200, "{r}");
    let rows: Vec<(u64, &str, u64)> = r["procuratorates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["tenant"]["depth"].as_u64().unwrap(),
                e["tenant"]["name"].as_str().unwrap(),
                e["figures"]["total"]["received"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![(0, "浙江省人民检察院", 2), (1, "杭州市人民检察院", 2), (2, "人民检察院", 2)],
        "{r}"
    );
    assert_eq!(r["total"]["received"], 6, "{r}");
    let text = r.to_string();
    assert!(
        uuids(&text).is_empty() && !text.contains("欧阳") && !text.contains("良渚"),
        "figures only: {text}"
    );
    let county = &held["default"].tokens[0].1;
    let (status, own) = super::get(w.base(), &format!("/api/v1/rollup?year={year}"), county);
    assert_eq!((status, own["procuratorates"].as_array().map(Vec::len)), (200, Some(1)), "{own}");
    let admin = &held["zj"].tokens[1].1;
    assert_eq!(super::get(w.base(), "/api/v1/rollup", admin).0, 403);
    let table = super::ok(&run_zj(&["--as", "leader", "rollup", "--year", &year.to_string()]));
    assert!(table.contains("  杭州市人民检察院") && table.contains("县级合计（1 个院）"), "{table}");
    assert!(table.contains("下级检察院无报备事项"), "{table}");

    transfer(&w, &held, &leader, year);
    w.verify_state();
}

/// The transfer (转办): the county's suggestion belongs to the city. The county's office transfers it; the
/// city receives it with its own number, the county's history and the deputy on its register; the
/// county's copy is final (已转办) and shows how the city handles it; the deputy is told; the roll-up
/// counts it once and lists it among the items reported from below. Refusals change nothing.
fn transfer(w: &World, held: &BTreeMap<&str, Holdings>, leader: &str, year: i32) {
    let (county, city) = (&held["default"].tokens[0].1, &held["hz"].tokens[0].1);
    let (_, list) = super::get(w.base(), "/api/v1/suggestions", county);
    let id = list["items"][0]["id"].as_str().unwrap_or_else(|| panic!("{list}")).to_owned();
    let path = format!("/api/v1/suggestions/{id}");
    let version =
        |token: &str, path: &str| super::get(w.base(), path, token).1["suggestion"]["version"].as_u64();
    let act = |to: &str, v: Option<u64>| {
        let body =
            json!({"to": to, "reason": "所提事项属市院管辖", "notice": "您的建议已转杭州市人民检察院办理。"});
        super::post(w.base(), &format!("{path}/transfer"), county, v, body)
    };
    // Refused, nothing changed: to itself, outside the tree, unknown, a stale version, no reason.
    let v = version(county, &path);
    for (to, code) in [("default", "tenant.transfer_to_self"), ("nowhere", "not_found")] {
        let (status, b) = act(to, v);
        assert!(status == 422 || status == 404 || status == 409, "{to}: {status} {b}");
        assert!(b.to_string().contains(code), "{to}: {b}");
    }
    let (status, _) = act("杭州市人民检察院", v.map(|v| v + 1));
    assert_eq!(status, 412);
    let body = json!({"to": "hz", "reason": "", "notice": "x"});
    let (status, b) = super::post(w.base(), &format!("{path}/transfer"), county, v, body);
    assert_eq!(status, 422, "{b}");
    assert_eq!(version(county, &path), v, "a refused transfer changed nothing");

    // Transferred, by the city's name.
    let (status, b) = act("杭州市人民检察院", v);
    assert_eq!(status, 200, "{b}");
    assert_eq!(b["suggestion"]["status"], "transferred", "{b}");
    assert_eq!(
        (b["transfer"]["direction"].as_str(), b["transfer"]["status"].as_str()),
        (Some("out"), Some("registered")),
        "{b}"
    );
    let there = b["transfer"]["suggestion"].as_str().unwrap().to_owned();
    assert_eq!(b["transfer"]["procuratorate"], "杭州市人民检察院");
    // Nothing more may be done here.
    let (status, _) = act("zj", version(county, &path));
    assert_eq!(status, 409);

    // The city has it: its own number, where it came from, the county's history first, the deputy on its
    // register (by name, level); the county's item itself stays the county's.
    let (status, item) = super::get(w.base(), &format!("/api/v1/suggestions/{there}"), city);
    assert_eq!(status, 200, "{item}");
    assert_eq!(
        (item["transfer"]["direction"].as_str(), item["transfer"]["procuratorate"].as_str()),
        (Some("in"), Some("人民检察院")),
        "{item}"
    );
    assert_eq!(item["suggestion"]["proposers"][0]["name"], "诸葛明", "{item}");
    let deputy = item["suggestion"]["proposers"][0]["deputy"].as_str().unwrap().to_owned();
    assert_eq!(super::get(w.base(), &format!("/api/v1/deputies/{deputy}"), city).0, 200);
    assert_eq!(super::get(w.base(), &path, city).0, 404, "the county's own item is not the city's to read");
    let (status, history) = super::get(w.base(), &format!("/api/v1/suggestions/{there}/history"), city);
    assert_eq!(status, 200, "{history}");
    let kinds: Vec<(&str, Option<&str>)> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["kind"].as_str().unwrap(), e["procuratorate"].as_str()))
        .collect();
    assert_eq!(kinds.first(), Some(&("suggestion.received", Some("人民检察院"))), "{kinds:?}");
    assert!(kinds.contains(&("suggestion.transferred", Some("人民检察院"))), "{kinds:?}");
    assert!(kinds.contains(&("suggestion.transfer_received", None)), "{kinds:?}");

    // The city assigns it; the county sees the city's state.
    let dept = "西湖检察部";
    let run_hz = |args: &[&str]| w.run(&[&["--tenant", "hz"][..], args].concat());
    super::ok(&run_hz(&[
        "user",
        "add",
        "hzdept",
        "--name",
        "承办检察官",
        "--role",
        "department",
        "--department",
        dept,
    ]));
    approve(&run_hz, "hzdept");
    let v = version(city, &format!("/api/v1/suggestions/{there}"));
    let body = json!({"lead": dept, "handler": "hzdept"});
    let (status, b) = super::post(w.base(), &format!("/api/v1/suggestions/{there}/assign"), city, v, body);
    assert_eq!(status, 200, "{b}");
    let (_, here) = super::get(w.base(), &path, county);
    assert_eq!(
        (here["suggestion"]["status"].as_str(), here["transfer"]["status"].as_str()),
        (Some("transferred"), Some("assigned")),
        "{here}"
    );

    // The deputy was told, by the county (whose register has the contact).
    let run_county = |args: &[&str]| w.run(&[&["--tenant", "default"][..], args].concat());
    let messages = super::ok(&run_county(&["--as", "office", "message", "list", "--format", "json"]));
    assert!(messages.contains("suggestion.transferred"), "{messages}");

    // The roll-up: counted once (received where it is handled), reported from below on both sides.
    let (status, r) = super::get(w.base(), &format!("/api/v1/rollup?year={year}"), leader);
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["total"]["received"], 6, "counted once: {r}");
    let told: Vec<(&str, Vec<&str>)> = r["told"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["procuratorate"].as_str().unwrap(),
                i["reasons"].as_array().unwrap().iter().map(|x| x.as_str().unwrap()).collect(),
            )
        })
        .collect();
    assert!(told.contains(&("人民检察院", vec!["transferred_out"])), "{told:?}");
    assert!(told.contains(&("杭州市人民检察院", vec!["transferred_in"])), "{told:?}");
    let text = r.to_string();
    assert!(!text.contains("诸葛") && !text.contains("良渚"), "no name, no title: {text}");
    let rows: BTreeSet<&str> =
        r["by_department"].as_array().unwrap().iter().map(|d| d["label"].as_str().unwrap()).collect();
    assert!(rows.contains(dept), "{rows:?}");
}

/// Signing in to a procuratorate (issue 20, part 2, A), with the real binaries and a browser at phone size:
/// the default tenant placed as a city, a county below it with its own security administrator and office.
/// The county's bookmarked login page (`/login?tenant=xh`) opens on the county; its office signs in through
/// it (password, authenticator, new password) and its pages show the county's register only, never the
/// city's; the county's own activation code is redeemed over the API naming the county, and its token reads
/// only the county's rows. After logout the login page opens on the county again (remembered).
#[test]
fn a_county_office_signs_in_through_its_own_login_page_and_reads_only_its_rows() {
    use super::browser::Browser;
    use super::pages::{NEW_PASSWORD, PASSWORD, base32_decode, sound};
    use liaison_app::login::totp;

    let mut w = World::new();
    w.ok(&["tenant", "place", "default", "--level", "city"]);
    w.ok(&[
        "tenant",
        "add",
        "--id",
        "xh",
        "--name",
        "西湖区人民检察院",
        "--level",
        "county",
        "--parent",
        "default",
    ]);
    let xh = |args: &[&str]| w.run(&[&["--tenant", "xh"][..], args].concat());
    super::ok(&xh(&["user", "add", "sec", "--name", "西湖安全管理员", "--role", "security_admin"]));
    super::ok(&xh(&["user", "add", "office", "--name", "西湖联络室", "--role", "office"]));
    super::ok(&xh(&["--as", "sec", "user", "approve", "office"]));
    let mut c = std::process::Command::new(super::bin("liaison"))
        .current_dir(w.dir())
        .env_remove("LIAISON_USER")
        .env_remove("LIAISON_DB")
        .args(["--tenant", "xh", "--as", "sec", "user", "set-password", "office", "--reason", "首次登录"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut c.stdin.take().unwrap(), format!("{PASSWORD}\n").as_bytes()).unwrap();
    let o = c.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // Each register holds its own deputy.
    w.deputy("诸葛明", "市");
    let xh_office =
        super::ok(&xh(&["--as", "office", "token", "create", "--label", "e2e"])).trim().to_owned();
    let body = json!({"name": "司马芳", "gender": "女", "level": "县", "term": "16", "region": "西湖区",
        "mobile": "13900000001", "term_start": "2023-01-01"});
    let (s, d) = super::post(w.base(), "/api/v1/deputies", &xh_office, None, body);
    assert_eq!(s, 201, "{d}");

    // Over the API: the county's activation code, redeemed naming the county (not without, not elsewhere).
    super::ok(&xh(&["user", "add", "audit", "--name", "西湖审计管理员", "--role", "auditor"]));
    let _ = xh(&["--as", "sec", "user", "approve", "audit"]);
    let code = super::ok(&xh(&["user", "activation", "audit"])).trim().to_owned();
    let redeem = |tenant: Option<&str>| {
        let mut b = json!({"code": code, "label": "e2e"});
        if let Some(t) = tenant {
            b["tenant"] = json!(t);
        }
        super::post(w.base(), "/api/v1/activate", "", None, b)
    };
    assert_eq!(redeem(None).0, 422, "two procuratorates: which one");
    assert_eq!(redeem(Some("nowhere")).1["code"], "tenant.unknown");
    assert_eq!(redeem(Some("default")).0, 401, "the city never issued it");
    let (s, t) = redeem(Some("xh"));
    assert_eq!(s, 201, "{t}");
    let (s, trail) = super::get(w.base(), "/api/v1/audit/records", t["token"].as_str().unwrap());
    assert_eq!(s, 200, "{trail}");
    let trail = trail.to_string();
    assert!(trail.contains("tenant.created") && !trail.contains("诸葛明"), "{trail}");

    w.stop();
    w.start_with(&["--insecure-cookies"]);
    let Some(b) = Browser::phone() else { return };
    let base = w.base().to_owned();
    let (width, height) = (390, 844);
    b.resize(width, height);
    b.open(&format!("{base}/login?tenant=xh"));
    assert_eq!(b.wait_for_heading("登录"), "登录");
    sound(&b, "/login?tenant=xh", width);
    assert_eq!(b.text("#tenant-name"), "西湖区人民检察院");
    assert_eq!(b.script("return document.querySelector('#tenant').value"), json!("xh"));
    let options = b.script("return [...document.querySelectorAll('#tenant option')].map(o => o.textContent)");
    assert_eq!(options, json!(["请选择检察院", "人民检察院", "\u{3000}西湖区人民检察院"]), "{options}");
    b.shot(&format!("login-tenant-{width}"));
    b.type_into("#login", "office");
    b.type_into("#password", PASSWORD);
    b.click("button[type=submit]");
    assert_eq!(b.wait_for_heading("绑定身份验证器"), "绑定身份验证器");
    let secret = base32_decode(&b.text("#secret"));
    b.type_into("#code", &totp::code_at_step(&secret, totp::step_of(chrono::Utc::now().timestamp())));
    b.click("form[action='/login/enrol'] button[type=submit]");
    assert_eq!(b.wait_for_heading("恢复码"), "请保存您的恢复码");
    b.click("main a[href='/']");
    assert_eq!(b.wait_for_heading("修改密码"), "修改密码");
    b.type_into("#current", PASSWORD);
    b.type_into("#new", NEW_PASSWORD);
    b.type_into("#repeat", NEW_PASSWORD);
    b.click("form[action='/account/password'] button[type=submit]");
    assert_eq!(b.wait_for_heading("密码已修改"), "密码已修改");
    b.click("main a[href='/']");
    assert_eq!(b.wait_for_heading("我的待办"), "我的待办");
    assert!(b.text("header").contains("西湖联络室"), "{}", b.text("header"));
    b.open(&format!("{base}/register"));
    assert_eq!(b.wait_for_heading("代表名册"), "代表名册");
    let register = b.text("main");
    assert!(register.contains("司马芳") && !register.contains("诸葛明"), "{register}");
    b.click("header form button[type=submit]");
    assert_eq!(b.wait_for_heading("登录"), "登录");
    b.open(&format!("{base}/login"));
    assert_eq!(b.wait_for_heading("登录"), "登录");
    assert_eq!(b.text("#tenant-name"), "西湖区人民检察院", "remembered");
}
