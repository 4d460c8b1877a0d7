//! Transport and edge with the real server (issue 12, items 11 and 16): HTTPS with a certificate made in
//! the test (openssl), HSTS, the certificate reloaded on SIGHUP; plain HTTP refused on a public address
//! unless told; the connection cap, the header-read (and idle) timeout, token guessing held up by 429;
//! and the shipped nginx configuration in front of the service (`LIAISON_TEST_NGINX` makes it required).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use super::{bin, liaison, ok, serve_with};

/// A self-signed certificate for localhost and 127.0.0.1 (P-256), as `cert.pem` and `key.pem` in `dir`.
fn certificate(dir: &Path, name: &str) {
    let out = Command::new("openssl")
        .current_dir(dir)
        .args(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"])
        .args(["-keyout", &format!("{name}-key.pem"), "-out", &format!("{name}-cert.pem"), "-days", "2"])
        .args(["-subj", &format!("/CN={name}"), "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"])
        .output()
        .expect("openssl is installed (.ci/run checks it)");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// `curl` over HTTPS trusting `ca`: (status, headers and body).
fn curl(ca: &Path, url: &str, extra: &[&str]) -> (u16, String) {
    let out = Command::new("curl")
        .args(["-s", "-i", "--max-time", "10", "--cacert"])
        .arg(ca)
        .args(extra)
        .arg(url)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let status = text.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, text)
}

fn port_of(base: &str) -> u16 {
    base.rsplit(':').next().unwrap().trim_end_matches('/').parse().unwrap()
}

#[test]
fn https_with_hsts_and_the_certificate_reloaded_on_sighup() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    certificate(dir, "first");
    std::fs::copy(dir.join("first-cert.pem"), dir.join("cert.pem")).unwrap();
    std::fs::copy(dir.join("first-key.pem"), dir.join("key.pem")).unwrap();
    let s = serve_with(dir, &["--db", "liaison.db", "--tls-cert", "cert.pem", "--tls-key", "key.pem"]);
    assert!(s.1.starts_with("https://"), "{}", s.1);
    let first = dir.join("first-cert.pem");
    let (status, text) = curl(&first, &format!("{}/livez", s.1), &[]);
    assert_eq!(status, 200, "{text}");
    assert!(text.to_ascii_lowercase().contains("strict-transport-security: max-age=31536000"), "{text}");
    // Plain HTTP on the TLS port gets nothing.
    let plain =
        Command::new("curl").args(["-s", "--max-time", "5"]).arg(s.1.replace("https", "http")).output();
    assert!(!String::from_utf8_lossy(&plain.unwrap().stdout).contains("ok"));

    // Renewed files, then SIGHUP: new connections get the new certificate, no restart.
    certificate(dir, "second");
    std::fs::copy(dir.join("second-cert.pem"), dir.join("cert.pem")).unwrap();
    std::fs::copy(dir.join("second-key.pem"), dir.join("key.pem")).unwrap();
    let hup = Command::new("kill").args(["-HUP", &s.0.id().to_string()]).status().unwrap();
    assert!(hup.success());
    let second = dir.join("second-cert.pem");
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (status, _) = curl(&second, &format!("{}/livez", s.1), &[]);
        if status == 200 {
            break;
        }
        assert!(Instant::now() < deadline, "the new certificate is not served after SIGHUP");
        std::thread::sleep(Duration::from_millis(100));
    }
    let (status, _) = curl(&first, &format!("{}/livez", s.1), &[]);
    assert_eq!(status, 0, "the old certificate is no longer served");

    // A broken file on reload: the certificate in use stays.
    std::fs::write(dir.join("cert.pem"), "not a certificate").unwrap();
    assert!(Command::new("kill").args(["-HUP", &s.0.id().to_string()]).status().unwrap().success());
    std::thread::sleep(Duration::from_millis(300));
    let (status, _) = curl(&second, &format!("{}/livez", s.1), &[]);
    assert_eq!(status, 200);
}

#[test]
fn plain_http_on_a_public_address_is_refused_unless_told() {
    let tmp = tempfile::tempdir().unwrap();
    let out = Command::new(bin("liaison-http"))
        .current_dir(tmp.path())
        .args(["--db", "liaison.db", "--listen", "0.0.0.0:0"])
        .env("LIAISON_LOG", "warn")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--insecure-http") && err.contains("--tls-cert"), "{err}");
    assert!(!tmp.path().join("liaison.db").exists() || err.contains("明文"), "{err}");
}

/// Read until the server closes the connection (or `limit` passes): whether it closed.
fn closed_within(s: &mut TcpStream, limit: Duration) -> bool {
    s.set_read_timeout(Some(limit)).unwrap();
    let mut buf = [0u8; 4096];
    let start = Instant::now();
    loop {
        match s.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return true,
            Err(_) => return false,
        }
        if start.elapsed() > limit {
            return false;
        }
    }
}

#[test]
fn connection_cap_header_timeout_and_guessing_held_up() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let s = serve_with(
        dir,
        &[
            "--db",
            "liaison.db",
            "--max-connections",
            "2",
            "--header-timeout-secs",
            "1",
            "--failures-per-address",
            "3",
        ],
    );
    let addr = s.1.trim_start_matches("http://").to_owned();

    // A client that sends half a request head is dropped after the header-read timeout.
    let mut slow = TcpStream::connect(&addr).unwrap();
    slow.write_all(b"GET /livez HTTP/1.1\r\nHost: x\r\n").unwrap();
    let t0 = Instant::now();
    assert!(closed_within(&mut slow, Duration::from_secs(5)), "a slow head is cut off");
    assert!(t0.elapsed() >= Duration::from_millis(800), "{:?}", t0.elapsed());
    // A kept-alive connection that idles is closed too.
    let mut idle = TcpStream::connect(&addr).unwrap();
    idle.write_all(b"GET /livez HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let mut buf = [0u8; 512];
    let n = idle.read(&mut buf).unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
    assert!(closed_within(&mut idle, Duration::from_secs(5)), "an idle keep-alive connection is closed");

    // Two connections held open: the third is closed at once; once one goes, the next is served.
    let held: Vec<TcpStream> = (0..2).map(|_| TcpStream::connect(&addr).unwrap()).collect();
    std::thread::sleep(Duration::from_millis(200));
    let mut third = TcpStream::connect(&addr).unwrap();
    let _ = third.write_all(b"GET /livez HTTP/1.1\r\nHost: x\r\n\r\n");
    assert!(closed_within(&mut third, Duration::from_millis(900)), "over the cap");
    drop(held);
    std::thread::sleep(Duration::from_millis(200));
    let (status, _) = super::get(&s.1, "/livez", "");
    assert_eq!(status, 200);

    // Token guessing: after three failures the address gets 429 with Retry-After.
    let mut statuses = Vec::new();
    for i in 0..5 {
        let (status, _) = super::get(&s.1, "/api/v1/me", &format!("lia_{i:012}_guess"));
        statuses.push(status);
    }
    assert_eq!(statuses, [401, 401, 401, 429, 429]);
    // The pages' login shares the budget: the address held up for guessing tokens is held up at the login
    // form too (a password or a code guessed there counts the same).
    let login = super::agent()
        .post(&format!("{}/login", s.1))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .send("login=office&password=guess&csrf=x")
        .unwrap();
    assert_eq!(login.status().as_u16(), 429, "the login form shares the failure budget");
    let r = super::agent()
        .get(&format!("{}/api/v1/me", s.1))
        .header("Authorization", "Bearer lia_000000000000_x")
        .call()
        .unwrap();
    let retry: u32 = r.headers().get("retry-after").unwrap().to_str().unwrap().parse().unwrap();
    assert!((1..=6).contains(&retry), "{retry}");
    // The refusals are in the trail with the client's address.
    ok(&liaison(dir, &["user", "add", "auditor", "--name", "审计", "--role", "auditor"]));
    let trail = ok(&liaison(
        dir,
        &["--as", "auditor", "audit", "list", "--kind", "access.unauthenticated", "--format", "json"],
    ));
    let v: serde_json::Value = serde_json::from_str(&trail).unwrap();
    assert_eq!(v["items"].as_array().unwrap().len(), 3, "{v}");
    assert_eq!(v["items"][0]["payload"]["client"], "127.0.0.1");
}

#[test]
fn the_shipped_nginx_configuration_fronts_the_service() {
    let Ok(nginx) = which("nginx") else {
        assert!(
            std::env::var_os("LIAISON_TEST_NGINX").is_none(),
            "LIAISON_TEST_NGINX is set but nginx is missing"
        );
        liaison_store::testing::say(
            "SKIPPED nginx in front (no nginx; LIAISON_TEST_NGINX makes it required)",
        );
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    certificate(dir, "proxy");
    let s = serve_with(dir, &["--db", "liaison.db", "--trusted-proxy", "127.0.0.1"]);
    let admin = std::fs::read_to_string(dir.join("liaison-admin.token")).unwrap().trim().to_owned();
    let free = || std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let (https, http) = (free(), free());
    let shipped =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../deploy/nginx.conf")).unwrap();
    let d = dir.display();
    let conf = shipped
        .replace("pid /run/nginx-liaison.pid;", &format!("pid {d}/nginx.pid;"))
        .replace("server 127.0.0.1:8080;", &format!("server 127.0.0.1:{};", port_of(&s.1)))
        .replace("listen 80;", &format!("listen 127.0.0.1:{http};"))
        .replace("listen 443 ssl;", &format!("listen 127.0.0.1:{https} ssl;"))
        .replace("/etc/liaison/tls/cert.pem", &format!("{d}/proxy-cert.pem"))
        .replace("/etc/liaison/tls/key.pem", &format!("{d}/proxy-key.pem"))
        .replace("http {", &format!("http {{\n    access_log {d}/access.log;\n    client_body_temp_path {d};\n    proxy_temp_path {d};"));
    assert_ne!(conf, shipped);
    std::fs::write(dir.join("nginx.conf"), &conf).unwrap();
    let mut proxy = Command::new(&nginx)
        .args([
            "-p",
            &d.to_string(),
            "-c",
            &format!("{d}/nginx.conf"),
            "-g",
            &format!("daemon off; error_log {d}/error.log;"),
        ])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // SIGTERM lets the master stop its workers (SIGKILL would orphan them).
    struct Stop<'a>(&'a mut std::process::Child);
    impl Drop for Stop<'_> {
        fn drop(&mut self) {
            let _ = Command::new("kill").args(["-TERM", &self.0.id().to_string()]).status();
            let _ = self.0.wait();
        }
    }
    let _stop = Stop(&mut proxy);
    let deadline = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(("127.0.0.1", https)).is_err() {
        assert!(
            Instant::now() < deadline,
            "nginx did not start: {}",
            std::fs::read_to_string(dir.join("error.log")).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let ca = dir.join("proxy-cert.pem");
    let base = format!("https://localhost:{https}");
    let resolve = format!("localhost:{https}:127.0.0.1");
    let bearer = format!("Authorization: Bearer {admin}");
    let (status, text) = curl(&ca, &format!("{base}/api/v1/me"), &["--resolve", &resolve, "-H", &bearer]);
    assert_eq!(status, 200, "{text}");
    assert!(
        text.to_ascii_lowercase().contains("strict-transport-security"),
        "HSTS over the proxy's TLS: {text}"
    );
    // A client on 127.0.0.2 forging X-Forwarded-For: the service sees 127.0.0.2.
    let (status, _) = curl(
        &ca,
        &format!("{base}/api/v1/me"),
        &[
            "--resolve",
            &resolve,
            "--interface",
            "127.0.0.2",
            "-H",
            "X-Forwarded-For: 6.6.6.6",
            "-H",
            "Authorization: Bearer lia_000000000000_x",
        ],
    );
    assert_eq!(status, 401);
    let (status, _) = curl(&ca, &format!("{base}/metrics"), &["--resolve", &resolve]);
    assert_eq!(status, 404, "metrics stay inside");
    let redirect =
        Command::new("curl").args(["-s", "-i", &format!("http://127.0.0.1:{http}/livez")]).output().unwrap();
    assert!(String::from_utf8_lossy(&redirect.stdout).starts_with("HTTP/1.1 301"));
    ok(&liaison(dir, &["user", "add", "auditor", "--name", "审计", "--role", "auditor"]));
    let trail = ok(&liaison(
        dir,
        &["--as", "auditor", "audit", "list", "--kind", "access.unauthenticated", "--format", "json"],
    ));
    let v: serde_json::Value = serde_json::from_str(&trail).unwrap();
    assert_eq!(v["items"][0]["payload"]["client"], "127.0.0.2", "{v}");
    liaison_store::testing::say("required suite ran: nginx in front of the service (deploy/nginx.conf)");
}

fn which(tool: &str) -> Result<std::path::PathBuf, ()> {
    for dir in ["/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin", "/sbin"] {
        let p = Path::new(dir).join(tool);
        if p.exists() {
            return Ok(p);
        }
    }
    Err(())
}
