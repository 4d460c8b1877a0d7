//! Issue 17's Done-when: the R1 scenario with real messages end to end. A real SMTP server (Debian's
//! `python3-aiosmtpd`, a Maildir) catches the e-mail; a stand-in of Alibaba Cloud's SMS API, here, checks
//! each request's signature and payload and catches the SMS. The assignment e-mail reaches the department;
//! after the (rehearsal) clock passes the due day, the overdue reminder does; the answer reaches each
//! co-signer by SMS or e-mail with their own link, and a deputy rates through it; with the SMTP server down,
//! an e-mail is retried and then shown as failed (`liaison message list --failed`). `LIAISON_TEST_SMTP`
//! makes the test required instead of skipped.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};

use super::{World, agent, china_today};

pub(super) const SECRET: &str = "stand-in-secret";

/// The SMTP server of the test: aiosmtpd writing each message into a Maildir.
pub(super) struct Smtp {
    child: Child,
    pub(super) port: u16,
    maildir: PathBuf,
}

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl Smtp {
    /// Started, or `None` when no Python here has aiosmtpd.
    pub(super) fn start(dir: &Path) -> Option<Self> {
        let python = ["/usr/bin/python3", "python3"].into_iter().find(|p| {
            Command::new(p).args(["-c", "import aiosmtpd"]).output().is_ok_and(|o| o.status.success())
        })?;
        let (port, maildir) = (free_port(), dir.join("maildir"));
        let child = Command::new(python)
            .args([
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &format!("127.0.0.1:{port}"),
                "-c",
                "aiosmtpd.handlers.Mailbox",
            ])
            .arg(&maildir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let smtp = Self { child, port, maildir };
        let start = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(start.elapsed() < Duration::from_secs(20), "aiosmtpd did not listen");
            std::thread::sleep(Duration::from_millis(100));
        }
        Some(smtp)
    }

    /// Every message caught so far: (recipient, decoded body).
    fn mails(&self) -> Vec<(String, String)> {
        let Ok(dir) = std::fs::read_dir(self.maildir.join("new")) else { return vec![] };
        dir.filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
            .map(|raw| decode_mail(&raw))
            .collect()
    }

    /// Wait for a message to `to` whose body contains every one of `words`.
    pub(super) fn wait_for(&self, to: &str, words: &[&str]) -> String {
        let start = Instant::now();
        loop {
            if let Some((_, body)) =
                self.mails().into_iter().find(|(r, b)| r.contains(to) && words.iter().all(|w| b.contains(w)))
            {
                return body;
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "no mail to {to} with {words:?}: {:?}",
                self.mails()
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

/// The recipient and the body of a raw message, its transfer encoding (base64, quoted-printable) undone.
fn decode_mail(raw: &str) -> (String, String) {
    let (head, body) = raw.split_once("\n\n").or_else(|| raw.split_once("\r\n\r\n")).unwrap_or((raw, ""));
    let header = |name: &str| {
        head.lines()
            .find(|l| l.to_ascii_lowercase().starts_with(&format!("{}:", name.to_ascii_lowercase())))
            .map(|l| l[name.len() + 1..].trim().to_owned())
            .unwrap_or_default()
    };
    let to = header("To");
    let text = match header("Content-Transfer-Encoding").to_ascii_lowercase().as_str() {
        "base64" => {
            let b: String = body.split_whitespace().collect();
            String::from_utf8_lossy(&base64::engine::general_purpose::STANDARD.decode(b).unwrap_or_default())
                .into()
        }
        "quoted-printable" => {
            let joined = body.replace("=\r\n", "").replace("=\n", "");
            let bytes = joined.as_bytes();
            let (mut out, mut i) = (Vec::new(), 0);
            while i < bytes.len() {
                if bytes[i] == b'='
                    && i + 2 < bytes.len()
                    && let Ok(b) = u8::from_str_radix(&joined[i + 1..i + 3], 16)
                {
                    out.push(b);
                    i += 3;
                    continue;
                }
                out.push(bytes[i]);
                i += 1;
            }
            String::from_utf8_lossy(&out).into()
        }
        _ => body.to_owned(),
    };
    (to, text)
}

/// One SMS request the stand-in received.
#[derive(Debug, Clone)]
pub(super) struct Caught {
    pub(super) params: BTreeMap<String, String>,
    pub(super) signature_ok: bool,
}

/// RFC 3986 encoding, as Alibaba Cloud's signature documentation writes it (the stand-in's own).
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn decode(s: &str) -> String {
    let (b, mut out, mut i) = (s.as_bytes(), Vec::new(), 0);
    while i < b.len() {
        match b[i] {
            b'%' if i + 2 < b.len() => {
                out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap_or(b'?'));
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The stand-in of Alibaba Cloud's `SendSms`: checks the signature (HMAC-SHA1 over `POST&%2F&<sorted,
/// encoded query>` under `<secret>&`) and answers `OK`, or `SignatureDoesNotMatch`.
pub(super) fn sms_stand_in() -> (u16, Arc<Mutex<Vec<Caught>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let caught = Arc::new(Mutex::new(Vec::new()));
    let keep = caught.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut r = BufReader::new(stream);
            let mut length = 0usize;
            let mut request_line = String::new();
            r.read_line(&mut request_line).unwrap_or_default();
            loop {
                let mut line = String::new();
                if r.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            r.read_exact(&mut body).unwrap_or_default();
            let body = String::from_utf8_lossy(&body).into_owned();
            let mut params: BTreeMap<String, String> = body
                .split('&')
                .filter_map(|kv| kv.split_once('='))
                .map(|(k, v)| (decode(k), decode(v)))
                .collect();
            let signature = params.remove("Signature").unwrap_or_default();
            let query: Vec<String> =
                params.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect();
            let to_sign = format!("POST&{}&{}", encode("/"), encode(&query.join("&")));
            let mut mac = Hmac::<sha1::Sha1>::new_from_slice(format!("{SECRET}&").as_bytes()).unwrap();
            mac.update(to_sign.as_bytes());
            let expected = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
            let ok = request_line.starts_with("POST / ") && expected == signature;
            keep.lock().unwrap().push(Caught { params, signature_ok: ok });
            let answer = if ok {
                json!({"Code": "OK", "Message": "OK", "BizId": "900619746936498440^0", "RequestId": "F655A8D5"})
            } else {
                json!({"Code": "SignatureDoesNotMatch", "Message": "Specified signature is not matched"})
            };
            let text = answer.to_string();
            let mut s = r.into_inner();
            let _ = write!(
                s,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
                text.len()
            );
        }
    });
    (port, caught)
}

pub(super) fn wait_sms(caught: &Mutex<Vec<Caught>>, n: usize) -> Vec<Caught> {
    let start = Instant::now();
    loop {
        let got = caught.lock().unwrap().clone();
        if got.len() >= n {
            return got;
        }
        assert!(start.elapsed() < Duration::from_secs(30), "{} SMS caught, {n} awaited: {got:?}", got.len());
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn as_refs(e: &[(String, String)]) -> Vec<(&str, &str)> {
    e.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

fn link_in(text: &str) -> String {
    let at = text.find("https://lx.example.cn/feedback/").unwrap_or_else(|| panic!("no link in {text}"));
    text[at..].split(|c: char| c.is_whitespace() || c == '"').next().unwrap().to_owned()
}

#[test]
fn the_r1_scenario_runs_with_real_messages_end_to_end() {
    let mut w = World::offline().with_department("第一检察部", "dept1").with_leader();
    let Some(smtp) = Smtp::start(w.dir()) else {
        assert!(
            std::env::var_os("LIAISON_TEST_SMTP").is_none(),
            "LIAISON_TEST_SMTP is set but aiosmtpd is missing"
        );
        liaison_store::testing::say(
            "SKIPPED messages end to end (no aiosmtpd; LIAISON_TEST_SMTP makes it required)",
        );
        return;
    };
    let (sms_port, caught) = sms_stand_in();
    let (smtp_port, sms_url) = (smtp.port.to_string(), format!("http://127.0.0.1:{sms_port}/"));
    let env = |now: Option<&str>| {
        let mut e = vec![
            ("LIAISON_MESSAGE_INTERVAL", "1"),
            ("LIAISON_MESSAGE_ATTEMPTS", "3"),
            ("LIAISON_MESSAGE_BACKOFF", "1"),
            ("LIAISON_PUBLIC_URL", "https://lx.example.cn"),
            ("LIAISON_SMTP_HOST", "127.0.0.1"),
            ("LIAISON_SMTP_PORT", smtp_port.as_str()),
            ("LIAISON_SMTP_TLS", "none"),
            ("LIAISON_SMTP_FROM", "联络室 <lianluo@example.cn>"),
            ("LIAISON_SMS_PROVIDER", "aliyun"),
            ("LIAISON_SMS_ENDPOINT", sms_url.as_str()),
            ("LIAISON_SMS_KEY_ID", "stand-in-id"),
            ("LIAISON_SMS_KEY_SECRET", SECRET),
            ("LIAISON_SMS_SIGN_NAME", "某市人民检察院"),
            ("LIAISON_SMS_TEMPLATES", "suggestion.answered=SMS_1001,feedback.reminder=SMS_1002"),
        ];
        e.extend(now.map(|n| ("LIAISON_NOW", n)));
        e.into_iter().map(|(k, v)| (k.to_owned(), v.to_owned())).collect::<Vec<_>>()
    };
    // The department's handler by e-mail; three co-signers: two by SMS (their mobiles), one by e-mail.
    w.ok(&["--as", "office", "message", "contact", "user:dept1", "--email", "dept1@example.cn"]);
    let office = w.office.clone();
    let e0 = env(None);
    w.start_with_env(&as_refs(&e0));
    let deputies = [
        w.deputy("王芳", "全国"),
        w.deputy("李强", "县"),
        w.deputy_with("张敏", "乡", json!({"email": "zhang@example.cn"})),
    ];
    w.ok(&["--as", "office", "message", "contact", &format!("deputy:{}", deputies[2]), "--prefer", "email"]);
    let (status, s) = w.post(
        "/api/v1/suggestions",
        &office,
        None,
        json!({"title": "关于加强未成年人检察工作的建议", "content": "建议在各乡镇设立联络点。", "source": "闭会期间",
               "deputies": deputies}),
    );
    assert_eq!(status, 201, "{s}");
    let number = s["suggestion"]["number"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/suggestions/{number}");
    let version = |w: &World| w.version(&path, "/suggestion/version");
    let act = |w: &World, token: &str, action: &str, body: Value| {
        let (status, b) = w.post(&format!("{path}/{action}"), token, Some(version(w)), body);
        assert_eq!(status, 200, "{action}: {b}");
    };
    act(&w, &office, "assign", json!({"lead": "第一检察部", "handler": "dept1"}));

    // The assignment e-mail reaches the department (caught by the SMTP server).
    let mail = smtp.wait_for("dept1@example.cn", &[&number, "已交办第一检察部主办"]);
    assert!(mail.contains("关于加强未成年人检察工作的建议"), "{mail}");

    // The clock passes the due day (three months): the overdue reminder reaches the department.
    w.stop();
    let later = (china_today() + chrono::Duration::days(100)).to_string();
    // Tokens of that day (an idle token lapses), made before the server runs on that clock.
    let token = |login: &str| {
        let o =
            w.run_with_env(&[("LIAISON_NOW", &later)], &["--as", login, "token", "create", "--label", "e2e"]);
        super::ok(&o).trim().to_owned()
    };
    let (dept, office, leader) = (token("dept1"), token("office"), token("leader"));
    w.office = office.clone();
    let e1 = env(Some(&later));
    w.start_with_env(&as_refs(&e1));
    let overdue = smtp.wait_for("dept1@example.cn", &[&number, "已逾期"]);
    assert!(overdue.contains("请尽快办理"), "{overdue}");
    // The escalation is its own message of the same sweep: it may land a moment after the e-mail.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let leader_inbox = loop {
        let inbox = w.get("/api/v1/inbox", &leader).1;
        if inbox.to_string().contains("逾期督办") || std::time::Instant::now() > deadline {
            break inbox;
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    };
    assert!(leader_inbox.to_string().contains("逾期督办"), "escalated to the leadership: {leader_inbox}");

    // The answer reaches each co-signer with their own link: two by SMS, one by e-mail.
    act(&w, &dept, "contact", json!({"phase": "办前", "means": "电话", "summary": "电话征求三位代表意见"}));
    act(&w, &dept, "answer", json!({"class": "A", "text": "已在两个乡镇设立联络点。"}));
    let sms = wait_sms(&caught, 2);
    assert!(sms.iter().all(|c| c.signature_ok), "every request signed as documented: {sms:?}");
    let mut links = Vec::new();
    for c in &sms {
        assert_eq!(c.params["Action"], "SendSms");
        assert_eq!(
            (c.params["TemplateCode"].as_str(), c.params["SignName"].as_str()),
            ("SMS_1001", "某市人民检察院")
        );
        assert!(c.params["PhoneNumbers"].starts_with("139"), "{c:?}");
        let p: Value = serde_json::from_str(&c.params["TemplateParam"]).unwrap();
        assert_eq!(p["number"], number.as_str());
        links.push(link_in(p["link"].as_str().unwrap()));
    }
    let mail = smtp.wait_for("zhang@example.cn", &[&number, "评价链接"]);
    links.push(link_in(&mail));
    links.sort();
    links.dedup();
    assert_eq!(links.len(), 3, "each co-signer their own link: {links:?}");
    // Staff never see a link: not in the delivery list, not in the trail.
    let list = w.ok(&["--as", "office", "message", "list", "--format", "json"]);
    let trail = w.ok(&["--as", "office", "suggestion", "history", &number]);
    for l in &links {
        let secret = l.rsplit('.').next().unwrap();
        assert!(!list.contains(secret) && !trail.contains(secret), "a link's secret shown to staff");
    }

    // A deputy rates through the link from the SMS.
    let token = links[0].rsplit('/').next().unwrap().to_owned();
    let (status, b) = w.post(&format!("/api/v1/feedback/{token}"), "", None, json!({"rating": "满意"}));
    assert_eq!(status, 200, "{b}");
    let (status, _) = w.post(&format!("/api/v1/feedback/{token}"), "", None, json!({"rating": "满意"}));
    assert_eq!(status, 410, "one use");

    // The SMTP server goes down: a new assignment's e-mail is retried, then shown as failed.
    drop(smtp);
    let (status, s2) = w.post(
        "/api/v1/suggestions",
        &office,
        None,
        json!({"title": "关于检察开放日的建议", "content": "建议每季度举办一次。", "source": "闭会期间",
               "deputies": [deputies[0]]}),
    );
    assert_eq!(status, 201, "{s2}");
    let n2 = s2["suggestion"]["number"].as_str().unwrap().to_owned();
    let (status, b) = w.post(
        &format!("/api/v1/suggestions/{n2}/assign"),
        &office,
        Some(s2["suggestion"]["version"].as_u64().unwrap()),
        json!({"lead": "第一检察部", "handler": "dept1"}),
    );
    assert_eq!(status, 200, "{b}");
    let start = Instant::now();
    let failed = loop {
        let v = w.json(&[
            "--as",
            "office",
            "message",
            "list",
            "--failed",
            "--item",
            &format!("suggestion:{n2}"),
            "--format",
            "json",
        ]);
        let items = v.as_array().cloned().or_else(|| v["items"].as_array().cloned()).unwrap_or_default();
        if let Some(m) = items.into_iter().find(|m| m["channel"] == "email") {
            break m;
        }
        assert!(start.elapsed() < Duration::from_secs(40), "no failed e-mail: {v}");
        std::thread::sleep(Duration::from_millis(500));
    };
    assert_eq!(failed["attempts"], 3, "retried, then given up: {failed}");
    assert!(failed["last_error"].as_str().unwrap().contains("SMTP"), "{failed}");
    let table = w.ok(&["--as", "office", "message", "list", "--failed"]);
    assert!(table.contains("发送失败") && table.contains("电子邮件"), "{table}");
    liaison_store::testing::say("required suite ran: messages end to end (aiosmtpd, the SMS stand-in)");
}

/// Issue 17 items 1, 2 and 5 end to end with the SMS stand-in (no SMTP needed, so it always runs): a notice
/// sent to the county deputies reaches one by SMS with her own acknowledgement link; the page the link
/// opens acknowledges it once; `liaison notice show` lists the SMS beside the acknowledgement. A published
/// answer's invitation reaches her the same way with a rating link of her own; the office only learns how
/// many were queued, and neither link ever reaches a staff screen or the trail.
#[test]
fn a_notice_and_a_published_answer_reach_a_deputy_by_sms_with_her_own_links() {
    let mut w = World::offline().with_department("第一检察部", "dept1").with_leader();
    let (sms_port, caught) = sms_stand_in();
    let sms_url = format!("http://127.0.0.1:{sms_port}/");
    let env = [
        ("LIAISON_MESSAGE_INTERVAL", "1"),
        ("LIAISON_PUBLIC_URL", "https://lx.example.cn"),
        ("LIAISON_SMS_PROVIDER", "aliyun"),
        ("LIAISON_SMS_ENDPOINT", sms_url.as_str()),
        ("LIAISON_SMS_KEY_ID", "stand-in-id"),
        ("LIAISON_SMS_KEY_SECRET", SECRET),
        ("LIAISON_SMS_SIGN_NAME", "某市人民检察院"),
        ("LIAISON_SMS_TEMPLATES", "notice.sent=SMS_2001,publication.rating_invited=SMS_2002"),
    ];
    w.start_with_env_args(&env, &["--insecure-cookies"]);
    let wang = w.deputy("王芳", "县");
    let id = w.json(&[
        "--as",
        "office",
        "notice",
        "draft",
        "--title",
        "关于开展公益诉讼专项活动的通报",
        "--content",
        "本院将于二季度开展公益诉讼专项监督活动，欢迎代表监督。",
        "--scope",
        "level",
        "--value",
        "县",
        "--channel",
        "短信",
        "--format",
        "json",
    ])["notice"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    w.ok(&["--as", "leader", "notice", "approve", &id]);
    let (status, v) = w.post(&format!("/api/v1/notices/{id}/send"), &w.office, Some(2), json!({}));
    assert_eq!(status, 200, "{v}");
    let sms = wait_sms(&caught, 1);
    assert!(sms[0].signature_ok && sms[0].params["TemplateCode"] == "SMS_2001", "{sms:?}");
    let p: Value = serde_json::from_str(&sms[0].params["TemplateParam"]).unwrap();
    let link = p["link"].as_str().unwrap().to_owned();
    let path = link.strip_prefix("https://lx.example.cn").unwrap().to_owned();
    assert!(path.starts_with("/ack/"), "{link}");
    let token = path.trim_start_matches("/ack/").to_owned();
    // The page the link opens, then its button.
    let url = format!("{}{path}", w.base());
    let mut r = agent().get(&url).call().unwrap();
    let page = r.body_mut().read_to_string().unwrap();
    assert!(
        page.contains("关于开展公益诉讼专项活动的通报")
            && page.contains("王芳")
            && page.contains("确认已知悉"),
        "{page}"
    );
    // In a browser, a phone's width and a desk's: no sideways scrolling, the button there.
    let browser = super::browser::Browser::phone();
    if let Some(b) = &browser {
        for (width, height) in [(390, 844), (1280, 900)] {
            b.resize(width, height);
            b.open(&url);
            assert_eq!(b.wait_for_heading("重大事项通报"), "重大事项通报");
            let fits = b.script("return document.documentElement.scrollWidth <= window.innerWidth");
            assert_eq!(fits, Value::Bool(true), "/ack at {width}: sideways scrolling");
            assert!(b.text("form button").contains("确认已知悉"));
            b.shot(&format!("ack-{width}"));
        }
    }
    let mut r = agent().post(&url).send_empty().unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.body_mut().read_to_string().unwrap().contains("已确认知悉"));
    let (status, b) = w.post(&format!("/api/v1/notice-ack/{token}"), "", None, json!({}));
    assert_eq!((status, b["code"].as_str()), (410, Some("notice_link.used")), "{b}");
    // The delivery table: the SMS and the inbox copy beside the acknowledgement; never the link.
    let shown = w.ok(&["--as", "office", "notice", "show", &id]);
    assert!(
        shown.contains("王芳") && shown.contains("短信 已发出") && shown.contains(&china_today().to_string()),
        "{shown}"
    );
    let secret = token.rsplit('.').next().unwrap().to_owned();
    // The staff notice page: the same table, by name, never the link.
    if let Some(b) = &browser {
        let base = w.base().to_owned();
        super::pages::set_password(&w, "office");
        super::pages::sign_in(b, &base, "office", (1280, 900));
        for (width, height) in [(1280, 900), (390, 844)] {
            b.resize(width, height);
            b.open(&format!("{base}/notices/{id}"));
            b.wait_for_heading("关于开展公益诉讼专项活动的通报");
            super::pages::sound(b, "/notices/{id}", width);
            let row = b.text("ul.recipients li");
            assert!(row.contains("王芳") && row.contains("短信 已发出") && row.contains("回执"), "{row}");
            assert!(!b.text("main").contains(&secret));
            b.shot(&format!("notice-deliveries-{width}"));
        }
    }
    let list = w.ok(&["--as", "office", "message", "list", "--format", "json"]);
    assert!(!shown.contains(&secret) && !list.contains(&secret));

    // A published answer: the invitation reaches her by SMS with a rating link of her own.
    let other = w.deputy("李强", "全国");
    let number = w.json(&[
        "--as",
        "office",
        "suggestion",
        "file",
        "--title",
        "关于加强公益诉讼的建议",
        "--content",
        "加强。",
        "--source",
        "来信",
        "--deputy",
        &other,
        "--format",
        "json",
    ])["suggestion"]["number"]
        .as_str()
        .unwrap()
        .to_owned();
    w.ok(&["--as", "office", "suggestion", "assign", &number, "--lead", "第一检察部", "--handler", "dept1"]);
    w.ok(&[
        "--as",
        "dept1",
        "suggestion",
        "contact",
        &number,
        "--phase",
        "before",
        "--means",
        "phone",
        "--summary",
        "沟通",
    ]);
    w.ok(&[
        "--as",
        "dept1",
        "suggestion",
        "answer",
        &number,
        "--class",
        "A",
        "--text",
        "已办理两件公益诉讼案件。",
    ]);
    w.ok(&["--as", "office", "suggestion", "publish", &number, "--scope", "level", "--value", "县"]);
    // The CLI with the service's environment (which channels are configured is the deployment's).
    let o = w.run_with_env(
        &env,
        &["--as", "office", "suggestion", "body-links", &number, "--reason", "公开后征询"],
    );
    let queued = super::ok(&o);
    assert!(
        queued.contains("1 位代表中的 1 位") && queued.contains("短信 1") && !queued.contains("/feedback/"),
        "{queued}"
    );
    let sms = wait_sms(&caught, 2);
    let invite = sms.iter().find(|c| c.params["TemplateCode"] == "SMS_2002").expect("the invitation");
    assert!(invite.params["PhoneNumbers"] == sms[0].params["PhoneNumbers"], "to her");
    let p: Value = serde_json::from_str(&invite.params["TemplateParam"]).unwrap();
    let rating = link_in(p["link"].as_str().unwrap());
    let token = rating.rsplit('/').next().unwrap().to_owned();
    let (status, b) = w.post(&format!("/api/v1/feedback/{token}"), "", None, json!({"rating": "满意"}));
    assert_eq!(status, 200, "{b}");
    let trail = w.ok(&["--as", "office", "suggestion", "history", &number]);
    assert!(!trail.contains(token.rsplit('.').next().unwrap()), "{trail}");
    let _ = wang;
    w.verify_state();
}
