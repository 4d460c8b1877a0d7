//! The FFI as its callers see it: the C functions give what the core gives (deadline and explanation, draw
//! verification, the rights rule), every bad input comes back as a problem, the checked-in header declares
//! exactly the exported functions and compiles in a C caller, and Python through `ctypes` gets the same
//! answers as Rust. `LIAISON_TEST_FFI=1` (set by `.ci/run`) makes the C and Python callers required.
#![allow(unsafe_code, reason = "the test calls the C functions as a C caller does")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::ffi::{CStr, CString, c_char};
use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::NaiveDate;
use liaison_core::calendar::{Period, Schedule, WorkCalendar};
use liaison_core::registry::DeputyLevel;
use liaison_core::rights::protection;
use liaison_core_ffi::{liaison_deadline, liaison_free, liaison_protection, liaison_verify_draw};
use serde_json::{Value, json};

const DRAW: &str = include_str!("../../liaison-core/examples/data/draw.json");
const HEADER: &str = include_str!("../include/liaison_core.h");
const ABI: &str = include_str!("../src/abi.rs");

/// Say a line past the test harness's capture (as the workspace's other required suites do).
fn say(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// Call a C function of the library as C would, and free its answer.
fn c_call(f: unsafe extern "C" fn(*const c_char) -> *mut c_char, input: Option<&[u8]>) -> Value {
    let arg = input.map(|b| CString::new(b).unwrap());
    let ptr = arg.as_ref().map_or(std::ptr::null(), |c| c.as_ptr());
    // SAFETY: a NUL-terminated string (or null) valid for the call; the answer is freed once, below.
    let out = unsafe { f(ptr) };
    assert!(!out.is_null());
    // SAFETY: the library returns a NUL-terminated string it allocated.
    let text = unsafe { CStr::from_ptr(out) }.to_str().unwrap().to_owned();
    // SAFETY: returned by the library, not freed before.
    unsafe { liaison_free(out) };
    serde_json::from_str(&text).unwrap()
}

fn official() -> WorkCalendar {
    let s: Schedule = toml::from_str(include_str!("../../../data/cn-holidays.toml")).unwrap();
    WorkCalendar::from_schedule(&s).unwrap()
}

fn requests() -> Value {
    // A schedule of the caller's own, unlike the built-in one: two days off in April, none in May.
    let own_schedule = json!({"2026": {"source": "test", "holidays": [
        {"name": "测试假", "from": "2026-04-13", "to": "2026-04-14"}]}});
    let mut forged: Value = serde_json::from_str(DRAW).unwrap();
    forged["draw"]["drawn"][0] = json!("市代表-02");
    json!({
        "deadline": [
            json!({"start": "2026-04-10", "period": {"unit": "working_days", "count": 20}}).to_string(),
            json!({"start": "2026-09-25", "period": {"unit": "months", "count": 1}}).to_string(),
            json!({"start": "2027-02-03", "period": {"unit": "working_days", "count": 5}}).to_string(),
            json!({"start": "2026-04-10", "period": {"unit": "working_days", "count": 20},
                   "schedule": own_schedule}).to_string(),
            json!({"start": "2026-04-10", "period": {"unit": "weeks", "count": 2}}).to_string(),
            json!({"start": "2026-04-10", "period": {"unit": "working_days", "count": 2},
                   "schedule": {"2026": {"source": "x", "workdays": ["2026-03-02"]}}}).to_string(),
        ],
        "verify_draw": [DRAW.to_owned(), json!({"activity": forged}).to_string(), "{\"draw\": null}".to_owned()],
        "protection": ["{\"level\": \"county\"}", "{\"level\": \"乡\"}", "{\"level\": \"village\"}", "not json"],
    })
}

/// What Rust gives for the same requests: the expected answers (problems only by their type).
fn expected() -> Value {
    let cal = official();
    let deadline = |cal: &WorkCalendar, start: &str, p: Period| {
        let b = cal.explain(day(start), p);
        json!({"due": b.due, "provisional": b.is_provisional(), "assumed_years": b.assumed_years,
               "note_zh": b.note_zh(), "note_en": b.note_en(), "basis": b})
    };
    let mut own = WorkCalendar::new();
    own.add_year(2026, "test", &[("测试假".into(), day("2026-04-13"), day("2026-04-14"))], &[]).unwrap();
    let record: liaison_core::lottery::DrawRecord =
        serde_json::from_value(serde_json::from_str::<Value>(DRAW).unwrap()["draw"].clone()).unwrap();
    let sm3 = |b: &[u8]| {
        use sm3::Digest;
        sm3::Sm3::digest(b).iter().map(|x| format!("{x:02x}")).collect::<String>()
    };
    let problem = |code: &str| json!({"type": format!("urn:liaison:problem:{code}")});
    json!({
        "deadline": [
            deadline(&cal, "2026-04-10", Period::WorkingDays(20)),
            deadline(&cal, "2026-09-25", Period::Months(1)),
            deadline(&cal, "2027-02-03", Period::WorkingDays(5)),
            deadline(&own, "2026-04-10", Period::WorkingDays(20)),
            problem("invalid_json"),
            problem("calendar.invalid"),
        ],
        "verify_draw": [record.verify(&sm3), {"ok": false}, problem("lottery.not_drawn")],
        "protection": [protection(DeputyLevel::County), protection(DeputyLevel::Township),
                       problem("invalid_level"), problem("invalid_json")],
        "null": problem("null_request"),
    })
}

/// `got` agrees with `want`: equal, except that a problem is matched by its type (with a title and a
/// detail present) and `{"ok": false}` by that member alone.
fn agrees(got: &Value, want: &Value, at: &str) {
    match want.get("type").and_then(Value::as_str) {
        Some(kind) => {
            assert_eq!(got["type"], kind, "{at}: {got}");
            assert!(got["title"].as_str().is_some_and(|t| !t.is_empty()), "{at}: {got}");
            assert!(got["detail"].is_string(), "{at}: {got}");
        }
        None if want.as_object().is_some_and(|o| o.len() == 1 && o.contains_key("ok")) => {
            assert_eq!(got["ok"], want["ok"], "{at}: {got}")
        }
        None => assert_eq!(got, want, "{at}"),
    }
}

fn check_all(got: &Value, caller: &str) {
    let want = expected();
    for call in ["deadline", "verify_draw", "protection"] {
        let (g, w) = (got[call].as_array().unwrap(), want[call].as_array().unwrap());
        assert_eq!(g.len(), w.len(), "{caller} {call}");
        for (i, (g, w)) in g.iter().zip(w).enumerate() {
            agrees(g, w, &format!("{caller} {call}[{i}]"));
        }
    }
    agrees(&got["null"], &want["null"], &format!("{caller} null"));
}

#[test]
fn the_c_functions_answer_as_the_core_does_and_refuse_with_problems() {
    let r = requests();
    let each = |f: unsafe extern "C" fn(*const c_char) -> *mut c_char, call: &str| -> Value {
        r[call].as_array().unwrap().iter().map(|x| c_call(f, Some(x.as_str().unwrap().as_bytes()))).collect()
    };
    let got = json!({
        "deadline": each(liaison_deadline, "deadline"),
        "verify_draw": each(liaison_verify_draw, "verify_draw"),
        "protection": each(liaison_protection, "protection"),
        "null": c_call(liaison_protection, None),
    });
    check_all(&got, "Rust through the C ABI");
    // A fact, not only an agreement: the feedback window across 劳动节 2026.
    assert_eq!(got["deadline"][0]["due"], "2026-05-12");
    assert_eq!(got["deadline"][2]["assumed_years"], json!([2027]));
    let own = got["deadline"][3]["note_zh"].as_str().unwrap();
    assert!(
        own.contains("测试假") && !own.contains("劳动节"),
        "the caller's schedule, not the built-in one: {own}"
    );
    assert_eq!(got["verify_draw"][0]["ok"], true);
    // Bytes that are not UTF-8 are a problem too, not a crash.
    assert_eq!(c_call(liaison_deadline, Some(&[0xff, 0xfe]))["type"], "urn:liaison:problem:invalid_utf8");
    // Freeing null is allowed.
    // SAFETY: null is documented as ignored.
    unsafe { liaison_free(std::ptr::null_mut()) };
}

/// The functions `src/abi.rs` exports and those `include/liaison_core.h` declares.
fn exported_and_declared() -> (Vec<String>, Vec<String>) {
    let mut exported: Vec<String> = ABI
        .split("pub unsafe extern \"C\" fn ")
        .skip(1)
        .filter_map(|rest| rest.split('(').next().map(str::to_owned))
        .collect();
    let mut declared: Vec<String> = HEADER
        .lines()
        .filter(|l| (l.starts_with("char *") || l.starts_with("void ")) && l.trim_end().ends_with(");"))
        .filter_map(|l| l.trim_start_matches("char *").trim_start_matches("void ").split('(').next())
        .map(str::to_owned)
        .collect();
    exported.sort();
    declared.sort();
    (exported, declared)
}

#[test]
fn the_header_declares_exactly_the_exported_functions() {
    let (exported, declared) = exported_and_declared();
    assert_eq!(exported, ["liaison_deadline", "liaison_free", "liaison_protection", "liaison_verify_draw"]);
    assert_eq!(declared, exported, "include/liaison_core.h and src/abi.rs disagree");
}

/// The shared library this test's build made (`target/<profile>/deps` or `target/<profile>`).
fn cdylib() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let name = format!("{}liaison_core_ffi{}", std::env::consts::DLL_PREFIX, std::env::consts::DLL_SUFFIX);
    exe.ancestors()
        .skip(1)
        .take(2)
        .map(|dir| dir.join(&name))
        .find(|p| p.exists())
        .unwrap_or_else(|| panic!("{name} not found beside {}", exe.display()))
}

/// Whether `tool` runs here; when it does not and the suite is required, fail.
fn have(tool: &str) -> bool {
    let ok = Command::new(tool).arg("--version").output().is_ok_and(|o| o.status.success());
    assert!(
        ok || std::env::var_os("LIAISON_TEST_FFI").is_none(),
        "LIAISON_TEST_FFI is set but {tool} is missing"
    );
    if !ok {
        say(&format!("SKIPPED the FFI's {tool} caller: no {tool} here (LIAISON_TEST_FFI=1 requires it)"));
    }
    ok
}

/// A scratch folder for a caller that needs `tool`, or `None` when the tool is missing (and not required).
fn scratch_for(tool: &str) -> Option<PathBuf> {
    if !have(tool) {
        return None;
    }
    let dir = std::env::temp_dir().join(format!("liaison-ffi-{}-{tool}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    Some(dir)
}

/// Remove the scratch folder and, when the callers are required, say that this one ran.
fn done(dir: &Path, caller: &str) {
    std::fs::remove_dir_all(dir).unwrap();
    if std::env::var_os("LIAISON_TEST_FFI").is_some() {
        say(&format!("required suite ran: liaison-core-ffi called from {caller}"));
    }
}

#[test]
fn python_through_ctypes_gets_what_rust_gets() {
    let Some(dir) = scratch_for("python3") else { return };
    let reqs = dir.join("requests.json");
    std::fs::write(&reqs, requests().to_string()).unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ffi_ctypes.py");
    let out = Command::new("python3").arg(&script).arg(cdylib()).arg(&reqs).output().unwrap();
    assert!(out.status.success(), "python3: {}", String::from_utf8_lossy(&out.stderr));
    let got: Value = serde_json::from_slice(&out.stdout).unwrap();
    check_all(&got, "Python (ctypes)");
    done(&dir, "Python through ctypes");
}

#[test]
fn a_c_caller_compiles_against_the_header_and_links() {
    let Some(dir) = scratch_for("cc") else { return };
    let src = dir.join("caller.c");
    std::fs::write(
        &src,
        r#"#include <stdio.h>
#include <string.h>
#include "liaison_core.h"
int main(void) {
    char *a = liaison_deadline("{\"start\":\"2026-04-10\",\"period\":{\"unit\":\"working_days\",\"count\":20}}");
    char *b = liaison_protection(NULL);
    int ok = strstr(a, "\"due\":\"2026-05-12\"") != NULL && strstr(b, "null_request") != NULL;
    printf("%s\n", a);
    liaison_free(a);
    liaison_free(b);
    return ok ? 0 : 1;
}
"#,
    )
    .unwrap();
    let lib = cdylib();
    let lib_dir = lib.parent().unwrap();
    let bin = dir.join("caller");
    let include = Path::new(env!("CARGO_MANIFEST_DIR")).join("include");
    let cc = Command::new("cc")
        .args(["-std=c99", "-Wall", "-Werror", "-o"])
        .arg(&bin)
        .arg(&src)
        .arg("-I")
        .arg(&include)
        .arg(&lib)
        .arg(format!("-Wl,-rpath,{}", lib_dir.display()))
        .output()
        .unwrap();
    assert!(cc.status.success(), "cc: {}", String::from_utf8_lossy(&cc.stderr));
    let run = Command::new(&bin).output().unwrap();
    assert!(run.status.success(), "the C caller: {}", String::from_utf8_lossy(&run.stdout));
    done(&dir, "C through include/liaison_core.h");
}
