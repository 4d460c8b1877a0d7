//! A real browser for the pages: headless Chromium driven through ChromeDriver over the W3C WebDriver
//! protocol (plain JSON over HTTP, so no client crate). `LIAISON_TEST_BROWSER=1` makes the browser
//! required (`.ci/run` installs Chromium and sets it); without it, a machine with no ChromeDriver skips
//! the browser steps and says so.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// The key under which WebDriver returns an element reference.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// The Tab key (WebDriver's code for it).
pub(crate) const TAB: &str = "\u{E004}";
/// The Enter key.
pub(crate) const ENTER: &str = "\u{E007}";

/// A ChromeDriver process and one browser session in it, closed on drop.
pub(crate) struct Browser {
    driver: Child,
    base: String,
    session: String,
}

fn chromedriver() -> Option<String> {
    let path = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
    std::path::Path::new(&path).exists().then_some(path)
}

fn call(method: &str, url: &str, body: Option<Value>) -> Result<Value, String> {
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let mut r = match (method, body) {
        ("GET", _) => agent.get(url).call(),
        ("DELETE", _) => agent.delete(url).call(),
        (_, b) => agent.post(url).send_json(b.unwrap_or_else(|| json!({}))),
    }
    .map_err(|e| format!("{method} {url}: {e}"))?;
    let status = r.status().as_u16();
    let v: Value = r.body_mut().read_json().map_err(|e| format!("{method} {url}: {e}"))?;
    if status >= 400 {
        return Err(format!("{method} {url}: {status} {v}"));
    }
    Ok(v["value"].clone())
}

impl Browser {
    /// A headless Chromium the size of a phone (390 × 844), or `None` (after saying why) when there is none
    /// here and none is required.
    pub(crate) fn phone() -> Option<Self> {
        let required = std::env::var_os("LIAISON_TEST_BROWSER").is_some();
        let Some(driver) = chromedriver() else {
            assert!(!required, "LIAISON_TEST_BROWSER is set but there is no chromedriver");
            liaison_store::testing::say(
                "SKIPPED the browser steps: no chromedriver here (set LIAISON_TEST_BROWSER to require them)",
            );
            return None;
        };
        let port = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).unwrap();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let base = format!("http://127.0.0.1:{port}");
        let start = Instant::now();
        while call("GET", &format!("{base}/status"), None).map(|v| v["ready"] != true).unwrap_or(true) {
            assert!(start.elapsed() < Duration::from_secs(20), "chromedriver did not get ready");
            std::thread::sleep(Duration::from_millis(100));
        }
        let caps = json!({"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
            "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=390,844", "--lang=zh-CN"],
            // A Chinese browser's Accept-Language (headless Chromium sends en-US otherwise, and the pages
            // would answer in English).
            "prefs": {"intl": {"accept_languages": "zh-CN,zh"}}
        }}}});
        let mut b = Self { driver: child, base, session: String::new() };
        let v = call("POST", &format!("{}/session", b.base), Some(caps)).expect("a browser session");
        b.session = v["sessionId"].as_str().expect("session id").to_owned();
        if required {
            liaison_store::testing::say("required suite ran: the pages in headless Chromium");
        }
        Some(b)
    }

    /// Resize the window (the viewport of headless Chromium): 1366 × 768 for a desktop, 390 × 844 for a
    /// phone.
    pub(crate) fn resize(&self, width: u32, height: u32) {
        call("POST", &self.url("/window/rect"), Some(json!({"width": width, "height": height}))).unwrap();
    }

    fn url(&self, path: &str) -> String {
        format!("{}/session/{}{path}", self.base, self.session)
    }

    /// Open a page.
    pub(crate) fn open(&self, url: &str) {
        call("POST", &self.url("/url"), Some(json!({"url": url}))).unwrap();
    }

    /// The element a CSS selector finds first.
    pub(crate) fn find(&self, css: &str) -> String {
        let v = call("POST", &self.url("/element"), Some(json!({"using": "css selector", "value": css})))
            .unwrap_or_else(|e| panic!("{css}: {e}"));
        v[ELEMENT].as_str().expect("an element reference").to_owned()
    }

    /// Click it.
    pub(crate) fn click(&self, css: &str) {
        let e = self.find(css);
        call("POST", &self.url(&format!("/element/{e}/click")), None).unwrap();
    }

    /// Type into it.
    pub(crate) fn type_into(&self, css: &str, text: &str) {
        let e = self.find(css);
        call("POST", &self.url(&format!("/element/{e}/value")), Some(json!({"text": text}))).unwrap();
    }

    /// Its visible text.
    pub(crate) fn text(&self, css: &str) -> String {
        self.try_text(css).unwrap_or_else(|e| panic!("{css}: {e}"))
    }

    fn try_text(&self, css: &str) -> Result<String, String> {
        let v = call("POST", &self.url("/element"), Some(json!({"using": "css selector", "value": css})))?;
        let e = v[ELEMENT].as_str().ok_or("no element reference")?;
        Ok(call("GET", &self.url(&format!("/element/{e}/text")), None)?.as_str().unwrap_or("").to_owned())
    }

    /// Run a script in the page and return its value.
    pub(crate) fn script(&self, js: &str) -> Value {
        call("POST", &self.url("/execute/sync"), Some(json!({"script": js, "args": []}))).unwrap()
    }

    /// Press keys on the keyboard (W3C actions): text as typed, `TAB` and `ENTER` as keys; they go to the
    /// element that has the focus, as a person's would.
    pub(crate) fn keys(&self, text: &str) {
        let actions: Vec<Value> = text
            .chars()
            .flat_map(|c| {
                [
                    json!({"type": "keyDown", "value": c.to_string()}),
                    json!({"type": "keyUp", "value": c.to_string()}),
                ]
            })
            .collect();
        let body = json!({"actions": [{"type": "key", "id": "keyboard", "actions": actions}]});
        call("POST", &self.url("/actions"), Some(body)).unwrap();
    }

    /// Press Tab until the element with `id` has the focus (at most 30 presses), checking on the way that
    /// every element that takes the focus shows it (an outline): keyboard use with a visible focus.
    pub(crate) fn tab_to(&self, id: &str) {
        for _ in 0..30 {
            self.keys(TAB);
            let v = self.script(
                "const e = document.activeElement; const s = getComputedStyle(e); \
                 return {id: e.id, tag: e.tagName, text: (e.innerText || e.value || '').slice(0, 30), \
                 outline: s.outlineStyle !== 'none' && s.outlineWidth !== '0px'};",
            );
            assert_eq!(v["outline"], Value::Bool(true), "the focus is not visible on {v}");
            if v["id"] == id {
                return;
            }
        }
        panic!("Tab never reached #{id}");
    }

    /// Press Tab until the focused element's text is `text` (a link or a button without an id).
    pub(crate) fn tab_to_text(&self, text: &str) {
        for _ in 0..30 {
            self.keys(TAB);
            let v = self
                .script("const e = document.activeElement; return (e.innerText || e.value || '').trim();");
            if v == text {
                return;
            }
        }
        panic!("Tab never reached “{text}”");
    }

    /// The whole page as a PNG, when `LIAISON_SHOTS` names a folder: saved there as `NAME.png`, to
    /// look at (the window grows to the page's height for the picture, then shrinks back).
    pub(crate) fn shot(&self, name: &str) {
        let Some(dir) = std::env::var_os("LIAISON_SHOTS") else { return };
        let rect = call("GET", &self.url("/window/rect"), None).unwrap();
        let (w, h) = (rect["width"].as_u64().unwrap_or(390), rect["height"].as_u64().unwrap_or(844));
        let tall = self.script("return document.documentElement.scrollHeight").as_u64().unwrap_or(h);
        call("POST", &self.url("/window/rect"), Some(json!({"width": w, "height": tall.max(h)}))).unwrap();
        let v = call("GET", &self.url("/screenshot"), None).unwrap();
        call("POST", &self.url("/window/rect"), Some(json!({"width": w, "height": h}))).unwrap();
        let png = {
            use base64::Engine as _;
            base64::engine::general_purpose::STANDARD.decode(v.as_str().unwrap_or_default()).unwrap()
        };
        std::fs::write(std::path::Path::new(&dir).join(format!("{name}.png")), png).unwrap();
    }

    /// Wait until the page's `<h1>` reads `want` (after a navigation).
    pub(crate) fn wait_for_heading(&self, want: &str) -> String {
        let start = Instant::now();
        loop {
            // During a navigation the old page's elements go stale: ask again.
            let h = self.try_text("h1").unwrap_or_default();
            if h.contains(want) || start.elapsed() > Duration::from_secs(10) {
                return h;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Browser {
    /// Wait until a script returns `true` (after an htmx swap or a navigation); whether it did in 10 s.
    pub(crate) fn wait_until(&self, js: &str) -> bool {
        let start = Instant::now();
        loop {
            let ok = call("POST", &self.url("/execute/sync"), Some(json!({"script": js, "args": []})))
                .is_ok_and(|v| v == Value::Bool(true));
            if ok || start.elapsed() > Duration::from_secs(10) {
                return ok;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = call("DELETE", &self.url(""), None);
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
