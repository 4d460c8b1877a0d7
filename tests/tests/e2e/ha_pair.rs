//! A PostgreSQL primary and hot standby for the failover drill (issue 20): `scripts/pg-ha-pair.sh` in a
//! temporary folder, on two free ports, stopped and removed when the value is dropped — also when the drill
//! fails.

use std::path::PathBuf;
use std::process::Command;

/// The two clusters. Dropping it stops both (`pg-ha-pair.sh down`) and removes their folder.
pub(crate) struct Pair {
    dir: tempfile::TempDir,
    pub(crate) primary: u16,
    pub(crate) standby: u16,
}

fn script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../scripts/pg-ha-pair.sh")
}

/// A port nothing listens on now (the system's pick for an ephemeral bind, released at once).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// `psql`: the PostgreSQL programs' folder of the script's choice, else the PATH.
fn psql() -> PathBuf {
    let newest = std::fs::read_dir("/usr/lib/postgresql")
        .ok()
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path().join("bin/psql")))
        .filter(|p| p.exists())
        .max();
    newest.unwrap_or_else(|| "psql".into())
}

impl Pair {
    /// initdb, the primary started, its replication slot, `pg_basebackup -R`, the standby started and
    /// streaming; the database `liaison` on the primary (and so on the standby).
    pub(crate) fn up() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let (primary, standby) = (free_port(), free_port());
        let pair = Self { dir, primary, standby };
        pair.run(&["up", &primary.to_string(), &standby.to_string()]);
        pair
    }

    /// `pg-ha-pair.sh COMMAND DIR ARGS…`, which must succeed: its standard output.
    pub(crate) fn run(&self, args: &[&str]) -> String {
        let (cmd, rest) = args.split_first().unwrap();
        let out =
            Command::new("bash").arg(script()).arg(cmd).arg(self.dir.path()).args(rest).output().unwrap();
        assert!(
            out.status.success(),
            "pg-ha-pair.sh {}: exit {:?}\n{}\n{}\nlogs:\n{}",
            args.join(" "),
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
            self.logs()
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The tail of both clusters' logs, for a failure message.
    pub(crate) fn logs(&self) -> String {
        ["primary.log", "standby.log"]
            .iter()
            .map(|f| {
                let text = std::fs::read_to_string(self.dir.path().join(f)).unwrap_or_default();
                let lines: Vec<&str> = text.lines().collect();
                format!("== {f}\n{}", lines[lines.len().saturating_sub(20)..].join("\n"))
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The service's URL: both hosts, the primary first, and only a read-write session will do.
    pub(crate) fn url(&self) -> String {
        format!(
            "postgres://postgres@127.0.0.1:{},127.0.0.1:{}/liaison?target_session_attrs=read-write",
            self.primary, self.standby
        )
    }

    /// A URL naming one node only, whatever it is.
    pub(crate) fn url_of(&self, port: u16) -> String {
        format!("postgres://postgres@127.0.0.1:{port}/liaison")
    }

    /// One SQL statement on one node (`psql -At`): its output, trimmed.
    pub(crate) fn sql(&self, port: u16, sql: &str) -> String {
        let out = Command::new(psql())
            .args(["-X", "-At", "-v", "ON_ERROR_STOP=1", "-c", sql, &self.url_of(port)])
            .output()
            .unwrap();
        assert!(out.status.success(), "psql on {port}: {sql}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }
}

impl Drop for Pair {
    fn drop(&mut self) {
        let _ = Command::new("bash").arg(script()).arg("down").arg(self.dir.path()).output();
    }
}
