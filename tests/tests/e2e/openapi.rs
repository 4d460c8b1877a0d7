//! The API document as an integrator uses it (issue 14, item 8): the served document is validated by an
//! OpenAPI 3.1 validator (`openapi-spec-validator`, from PyPI), a client is generated from it
//! (`openapi-python-client`), and three operations are called through that client against a live server.
//! `LIAISON_TEST_OPENAPI=1` makes the tools required (`.ci/run` installs them and sets it); without it, a
//! machine without them skips and says so.

use std::process::Command;

use super::World;

/// Whether the Python tools are here; panics when they are required and missing.
fn tools() -> bool {
    let required = std::env::var_os("LIAISON_TEST_OPENAPI").is_some();
    let have = |args: &[&str]| Command::new("python3").args(args).output().is_ok_and(|o| o.status.success());
    let present = have(&["-c", "import openapi_spec_validator"])
        && Command::new("openapi-python-client").arg("--version").output().is_ok_and(|o| o.status.success());
    assert!(
        present || !required,
        "LIAISON_TEST_OPENAPI is set but openapi-spec-validator or openapi-python-client is missing"
    );
    if !present {
        liaison_store::testing::say(
            "SKIPPED the generated-client test: no openapi-spec-validator/openapi-python-client here \
             (pip install openapi-spec-validator openapi-python-client; LIAISON_TEST_OPENAPI=1 requires it)",
        );
    } else if required {
        liaison_store::testing::say(
            "required suite ran: the OpenAPI document validated and a generated client",
        );
    }
    present
}

#[test]
fn the_api_document_validates_and_a_generated_client_calls_the_server() {
    if !tools() {
        return;
    }
    let w = World::new();
    let (dir, token) = (w.dir(), &w.office);
    let (status, doc) = w.get("/api/v1/openapi.json", token);
    assert_eq!(status, 200);
    std::fs::write(dir.join("doc.json"), doc.to_string()).unwrap();
    let run = |cmd: &str, args: &[&str]| {
        let o = Command::new(cmd).current_dir(dir).args(args).output().unwrap();
        let text = format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
        assert!(o.status.success(), "{cmd} {args:?}: {text}");
        text
    };
    let valid = run("python3", &["-m", "openapi_spec_validator", "doc.json"]);
    assert!(valid.contains("OK"), "{valid}");
    run(
        "openapi-python-client",
        &["generate", "--path", "doc.json", "--output-path", "client", "--meta", "none"],
    );
    std::fs::write(
        dir.join("calls.py"),
        r#"import sys
sys.path.insert(0, ".")
from client import AuthenticatedClient
from client.api.identity import me
from client.api.deputies import list_deputies
from client.api.liaison import coverage
c = AuthenticatedClient(base_url=sys.argv[1], token=sys.argv[2])
r = me.sync_detailed(client=c)
assert r.status_code == 200, r
r = list_deputies.sync_detailed(client=c, level="county", limit=3)
assert r.status_code == 200 and r.parsed.items == [], r
r = coverage.sync_detailed(client=c)
assert r.status_code == 200 and type(r.parsed).__name__ == "CoverageView", r
print("three operations answered")
"#,
    )
    .unwrap();
    let out = run("python3", &["calls.py", w.base(), token]);
    assert!(out.contains("three operations answered"), "{out}");
}
