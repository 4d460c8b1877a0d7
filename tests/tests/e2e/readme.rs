//! The README runs as written (issue 14, item 9): every ```sh block of `README.md`, in order, in one bash
//! (`set -e -o pipefail`, so a variable a block sets is there for the next), on a fresh folder, with the
//! real binaries. What the test changes, and only this:
//!
//! - `cargo build --release -p liaison-cli` and `cargo test --workspace` are skipped: the binaries are the
//!   debug build cargo made for this test, and their folder is first on `PATH` (so the README's
//!   `export PATH="$PWD/target/release:$PATH"` finds nothing there and changes nothing);
//! - `cargo run --release -p liaison-http …` and `liaison-http …` (the README's first terminal) start in the
//!   background, are waited for until they listen, and are stopped at the end;
//! - `127.0.0.1:8080` becomes a free port, and `0.0.0.0:8080` (the PostgreSQL block's server) another;
//! - the PostgreSQL block runs on a fresh database (its `postgres://…/liaison` becomes that database) when a
//!   server answers, and is skipped, saying so, otherwise (`LIAISON_TEST_POSTGRES` requires it);
//! - `LIAISON_NOW` is set for the whole run, the server's first start included, to the day the tour's
//!   first lines give (`export LIAISON_NOW=…`), as the README asks of a reader who follows it exactly.
//!
//! A line ending in a comment `# refused: …` must fail with exit code 1 (refused, not a usage error);
//! every other command must succeed. A failure names the block (its section and README line), the line and
//! its exit code, with the end of the output.

use std::fmt::Write as _;
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::bin;

/// A fenced ```sh block of the README.
struct Block {
    section: String,
    /// The README line of its opening fence.
    at: usize,
    /// Its lines, with their README line numbers.
    lines: Vec<(usize, String)>,
}

fn blocks(readme: &str) -> Vec<Block> {
    let (mut out, mut section, mut open) = (Vec::new(), String::new(), None::<Block>);
    for (i, line) in readme.lines().enumerate() {
        let n = i + 1;
        match (&mut open, line.trim()) {
            (None, "```sh") => open = Some(Block { section: section.clone(), at: n, lines: Vec::new() }),
            (Some(_), "```") => out.extend(open.take()),
            (Some(b), _) => b.lines.push((n, line.to_owned())),
            (None, _) => {
                if let Some(h) = line.strip_prefix("## ") {
                    section = h.trim().to_owned();
                }
            }
        }
    }
    assert!(open.is_none(), "README.md: a ```sh block is not closed");
    out
}

/// Two free ports (held together while chosen, so they differ).
fn free_ports() -> (u16, u16) {
    let bind = || TcpListener::bind("127.0.0.1:0").expect("a free port");
    let (a, b) = (bind(), bind());
    let port = |l: &TcpListener| l.local_addr().expect("a bound port").port();
    (port(&a), port(&b))
}

/// The delimiter of a here-document the line opens (`cat > notice.txt <<'EOF'`), if it opens one.
fn heredoc(line: &str) -> Option<String> {
    let rest = line.split_once("<<")?.1.trim_start_matches('-').trim_start();
    let word: String = rest
        .trim_start_matches(['\'', '"'])
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    (!word.is_empty()).then_some(word)
}

/// The bash run before the blocks: strict mode, the failure report (`$LINENO` is mapped back to the README
/// by the test), the background server and the check of a refusal.
const PRELUDE: &str = r#"set -e -o pipefail
trap '__rc=$?; echo "__README_FAILED__ $LINENO $__rc" >&2' ERR
trap 'kill $(cat .readme-servers 2>/dev/null) 2>/dev/null; wait' EXIT
serve() {
  local log=".readme-server-$((++__servers)).log"
  liaison-http "$@" >"$log" 2>&1 &
  echo $! >> .readme-servers
  for _ in $(seq 300); do
    grep -q '^listening on ' "$log" && return 0
    kill -0 $! 2>/dev/null || break
    sleep 0.1
  done
  echo "the server did not start:" >&2; cat "$log" >&2; return 1
}
__refused() {
  if [ "$1" -ne 1 ]; then echo "__README_NOT_REFUSED__ $2 $1" >&2; exit 1; fi
}
"#;

/// A line of a block as the test runs it (see the module's documentation).
fn rewrite(line: &str, port: u16, pg_port: u16, pg_url: Option<&str>) -> String {
    let mut l = line
        .replace("127.0.0.1:8080", &format!("127.0.0.1:{port}"))
        .replace("0.0.0.0:8080", &format!("127.0.0.1:{pg_port}"));
    if let Some(url) = pg_url {
        l = l.replace("postgres://postgres@127.0.0.1:5432/liaison", url);
    }
    let code = l.split(" #").next().unwrap_or_default().trim();
    if code.starts_with("cargo build") || code.starts_with("cargo test") {
        return format!("true  # skipped by the test: {}", line.trim());
    }
    if let Some(rest) = code.strip_prefix("cargo run --release -p liaison-http") {
        let args = rest.trim().strip_prefix("--").unwrap_or(rest).trim();
        let listen =
            if args.contains("--listen") { String::new() } else { format!(" --listen 127.0.0.1:{port}") };
        return format!("serve {args}{listen}");
    }
    if let Some(args) = code.strip_prefix("liaison-http ") {
        return format!("serve {}", args.trim());
    }
    l
}

#[test]
fn every_block_of_the_readme_runs_as_written() {
    let started = Instant::now();
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md"))
        .expect("README.md");
    let blocks = blocks(&readme);
    assert!(blocks.len() > 10, "README.md has {} ```sh blocks", blocks.len());
    // The day the tour is written as of: the tour's first lines say so.
    let tour = blocks.iter().find(|b| b.section == "A tour").expect("a section \"A tour\" with a block");
    let now = tour
        .lines
        .iter()
        .find_map(|(_, l)| l.trim().strip_prefix("export LIAISON_NOW="))
        .and_then(|v| v.split_whitespace().next())
        .expect("the tour's first block sets LIAISON_NOW");

    let tmp = tempfile::tempdir().expect("a temporary folder");
    let dir = tmp.path();
    let (port, pg_port) = free_ports();
    let pg = liaison_store::testing::TestDatabase::create("the README (its PostgreSQL block)")
        .expect("the PostgreSQL server named by LIAISON_TEST_POSTGRES");

    // The script, and for each of its lines the README line it runs.
    let mut script = PRELUDE.to_owned();
    let mut origin: Vec<Option<(usize, usize)>> = vec![None; script.lines().count()];
    let (mut commands, mut refusals) = (0, 0);
    for (b, block) in blocks.iter().enumerate() {
        if block.section == "On PostgreSQL" && pg.is_none() {
            continue;
        }
        let mut here_doc: Option<String> = None;
        for (n, line) in &block.lines {
            let l = rewrite(line, port, pg_port, pg.as_ref().map(|d| d.url.as_str()));
            // A here-document's lines are data, as written; a comment or a blank line is nothing to run.
            let data = match &here_doc {
                Some(end) => {
                    if line.trim() == end.as_str() {
                        here_doc = None;
                    }
                    true
                }
                None => false,
            };
            if data || l.trim().is_empty() || l.trim_start().starts_with('#') {
                script.push_str(&l);
                script.push('\n');
                origin.push(Some((b, *n)));
                continue;
            }
            commands += 1;
            here_doc = heredoc(line);
            if line.contains("# refused") {
                refusals += 1;
                // Refused as the README says: exit code 1, and the run goes on.
                writeln!(script, "{{ {l}\n}} && __rc=0 || __rc=$?; __refused $__rc {n}").unwrap();
                origin.extend([Some((b, *n)), Some((b, *n))]);
            } else {
                script.push_str(&l);
                script.push('\n');
                origin.push(Some((b, *n)));
            }
        }
    }
    script.push_str("echo __README_DONE__\n");
    std::fs::write(dir.join("readme.sh"), &script).expect("the script");

    // Run it, with nothing of the caller's liaison settings, and stop it if it hangs.
    let bin_dir = bin("liaison").parent().expect("the binaries' folder").to_owned();
    let path = std::env::join_paths(
        std::iter::once(bin_dir).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())),
    )
    .expect("PATH");
    let log = std::fs::File::create(dir.join("readme.out")).expect("the output file");
    let mut cmd = Command::new("bash");
    cmd.arg("readme.sh").current_dir(dir).env("PATH", path).stdin(Stdio::null());
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("LIAISON_") {
            cmd.env_remove(&k);
        }
    }
    cmd.env("LIAISON_NOW", now);
    let mut child =
        cmd.stdout(log.try_clone().expect("the output file")).stderr(log).spawn().expect("bash runs");
    let status = loop {
        if let Some(s) = child.try_wait().expect("waiting for bash") {
            break Some(s);
        }
        if started.elapsed() > Duration::from_secs(300) {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    // The servers are stopped by the script's EXIT trap; after a timeout, here.
    if let Ok(pids) = std::fs::read_to_string(dir.join(".readme-servers")) {
        for pid in pids.split_whitespace() {
            let _ = Command::new("kill").arg(pid).stderr(Stdio::null()).status();
        }
    }
    let out = std::fs::read_to_string(dir.join("readme.out")).unwrap_or_default();

    let tail = || {
        let lines: Vec<&str> = out.lines().filter(|l| !l.starts_with("__README_")).collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    };
    let name = |(b, n): (usize, usize)| {
        let block = &blocks[b];
        let line = readme.lines().nth(n - 1).unwrap_or_default().trim();
        format!(
            "README block {} (section \"{}\", README.md line {}), line {n}: `{line}`",
            b + 1,
            block.section,
            block.at
        )
    };
    for l in out.lines() {
        let words: Vec<&str> = l.split_whitespace().collect();
        match words.as_slice() {
            ["__README_FAILED__", at, rc] => {
                let at: usize = at.parse().unwrap_or(0);
                let Some(Some(o)) = origin.get(at.saturating_sub(1)) else {
                    panic!("the test's own script failed at its line {at} (exit {rc}):\n{}", tail())
                };
                panic!("{} failed (exit {rc}); the end of the output:\n{}", name(*o), tail());
            }
            ["__README_NOT_REFUSED__", n, rc] => {
                let n: usize = n.parse().unwrap_or(0);
                let o = origin.iter().flatten().find(|(_, m)| *m == n).copied().unwrap_or((0, n));
                panic!(
                    "{} is marked `# refused` but exited {rc} (a refusal exits 1); the end of the output:\n{}",
                    name(o),
                    tail()
                );
            }
            _ => {}
        }
    }
    let Some(status) = status else { panic!("the README's commands took over 300 s:\n{}", tail()) };
    assert!(
        status.success() && out.contains("__README_DONE__"),
        "the README's commands stopped ({status}):\n{}",
        tail()
    );
    liaison_store::testing::say(&format!(
        "the README ran as written: {} blocks, {commands} commands ({refusals} refused as marked){}, in {:.1} s",
        blocks.len() - usize::from(pg.is_none()),
        if pg.is_none() { "; its PostgreSQL block SKIPPED (no server)" } else { ", PostgreSQL included" },
        started.elapsed().as_secs_f64()
    ));
}
