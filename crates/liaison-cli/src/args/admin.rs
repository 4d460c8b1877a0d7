//! The administration commands: the database (migrate, backup, restore), accounts and tokens, the audit
//! trail and its verification, demo registers and the deadline tools.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::EncodingArg;

#[derive(Debug, Subcommand)]
pub(crate) enum DbCmd {
    /// Create the database if needed and apply pending migrations (the service also does this on start).
    Migrate,
    /// Back up the database while it is in use: one consistent snapshot, written 0600 under a temporary
    /// name and renamed only when complete (SQLite: checked — integrity and audit chain — before the
    /// rename; PostgreSQL: pg_dump custom format). The master key is not in the backup: keep it apart.
    Backup {
        /// The backup file to write (must not exist).
        dest: PathBuf,
    },
    /// Restore a backup as the configured database (a new SQLite file, or an empty PostgreSQL database),
    /// then verify its audit chain under the configured key and check its state against the chain (as
    /// `liaison audit verify --state`); exit 1 when either fails (the restored database stays, for
    /// inspection).
    Restore {
        /// The backup file.
        src: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum UserCmd {
    /// Add an account (the system administrator). An administrator role (admin, security_admin, auditor)
    /// takes effect at once and is held alone; business roles (office, officer, leader, department) and a
    /// deputy's account wait for the security administrator: `liaison --as sec user approve LOGIN`.
    Add {
        login: String,
        #[arg(long)]
        name: String,
        /// admin, security_admin, auditor (one, alone); or office, officer, leader, department (repeat for
        /// several); or deputy (alone, with --deputy).
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
        /// For a `deputy` account: the deputy's id (the account rates and reads as that deputy only; one
        /// account per deputy).
        #[arg(long)]
        deputy: Option<String>,
        /// For a `department` account (required, and only for one): its department (name or id); it then
        /// handles only that department's items.
        #[arg(long)]
        department: Option<String>,
        /// For an `officer` account only: the organisation's liaison officer it is (name or id). It sees in
        /// full and changes only the deputies assigned to that officer and those of its --region grants
        /// (issue 12 item 7); without either, none.
        #[arg(long)]
        officer: Option<String>,
        /// For an `officer` account only: a region whose every deputy it reaches (repeat for several).
        #[arg(long = "region", value_name = "REGION")]
        regions: Vec<String>,
        /// An integration system's account (the case system, the congress's system), not a person's: the
        /// system administrator issues its tokens (`token create --user LOGIN`).
        #[arg(long)]
        service: bool,
        /// Why the account is opened (recorded).
        #[arg(long)]
        reason: Option<String>,
    },
    /// List accounts: kind, roles in effect, roles waiting for approval, active or disabled.
    List,
    /// Approve the roles waiting on these accounts (the security administrator; never one's own request).
    Approve {
        /// Logins.
        #[arg(required = true)]
        logins: Vec<String>,
    },
    /// Reject the roles waiting on an account (the security administrator).
    Reject {
        login: String,
        /// Why (recorded).
        #[arg(long)]
        reason: Option<String>,
    },
    /// Ask for a new set of roles for an account (the system administrator); it waits for the security
    /// administrator's approval.
    Roles {
        login: String,
        /// Every role the account is to hold (repeat for several).
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
        /// For the `department` role: the department (name or id).
        #[arg(long)]
        department: Option<String>,
        /// For the `officer` role: the liaison officer it is (name or id; "" for none; kept when not given).
        #[arg(long)]
        officer: Option<String>,
        /// For the `officer` role: every region granted (repeat; replaces the regions held).
        #[arg(long = "region", value_name = "REGION")]
        regions: Vec<String>,
        /// For the `officer` role: grant no region any more.
        #[arg(long, conflicts_with = "regions")]
        no_regions: bool,
    },
    /// Disable an account: every token of it stops at once (the system or the security administrator).
    Disable {
        login: String,
        /// Why (recorded).
        #[arg(long)]
        reason: Option<String>,
    },
    /// Enable a disabled account again (the security administrator); its old tokens stay revoked.
    Enable {
        login: String,
        /// Why (recorded).
        #[arg(long)]
        reason: Option<String>,
    },
    /// Issue a one-use activation code (3 days) for a person's account (the system administrator): the
    /// person redeems it for their own token with `POST /api/v1/activate`; a new code replaces the old.
    Activation { login: String },
    /// Set an account's password for the pages (the security administrator). The password is read from
    /// standard input (one line), never from an argument; it must have at least 10 characters, must not be
    /// or contain the login, and must not be a common breached password. Every session of the account ends.
    SetPassword {
        login: String,
        /// Why (recorded).
        #[arg(long)]
        reason: Option<String>,
    },
    /// Reset an account's second factor (the security administrator): its authenticator secret and
    /// recovery codes are cleared, every session ends, and the next login enrols again.
    ResetMfa {
        login: String,
        /// Why (recorded).
        #[arg(long)]
        reason: Option<String>,
    },
    /// Lift the lock an account got after 5 failed logins in a row (the security administrator); the lock
    /// also ends by itself after 15 minutes.
    Unlock {
        login: String,
        /// Why (recorded).
        #[arg(long)]
        reason: Option<String>,
    },
    /// List the accounts locked after failed logins, and those counting failures (the security
    /// administrator).
    Locked,
}

#[derive(Debug, Subcommand)]
pub(crate) enum TokenCmd {
    /// Create an API token (printed once; only its hash is stored): your own, or an integration account's
    /// (the system administrator). A person's token is made only by that person.
    Create {
        /// For this integration account (default: yourself).
        #[arg(long)]
        user: Option<String>,
        /// What it is for.
        #[arg(long, default_value = "cli")]
        label: String,
        /// Days it lives (default and most: the token policy's lifetime, 90 days unless changed).
        #[arg(long)]
        days: Option<u32>,
    },
    /// Revoke a token by id.
    Revoke {
        id: String,
        #[arg(long)]
        reason: Option<String>,
    },
    /// List tokens (never the tokens themselves).
    List,
    /// Show or set the token policy (the security administrator): lifetime and idle limit in days.
    Policy {
        /// Days a token lives (1–365; default 90).
        #[arg(long, requires = "idle_days")]
        lifetime_days: Option<u32>,
        /// Days without use after which a token stops working (1 to the lifetime; default 30).
        #[arg(long, requires = "lifetime_days")]
        idle_days: Option<u32>,
        /// Why (recorded).
        #[arg(long)]
        reason: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum AuditCmd {
    /// Verify the audit chain: any edit, deletion, insertion or reordering is named. With `--state`, also
    /// replay every aggregate's events and compare them with the stored state; with `--checkpoint`, also
    /// that the chain still holds what a checkpoint saw (a truncation of the newest records is named).
    /// Exit 1 when anything differs.
    Verify {
        /// Also check the stored state against the chain: replay each deputy's, the organisation's and every
        /// workflow record's events and name each difference (kind, id or number, field, stored value,
        /// replayed value) — columns, sort and search keys, duplicate keys, the masked copy, the sealed
        /// personal data as far as the chain tells (it opens; which fields are set), the records' state and
        /// parties. Personal values are never shown. Reads one consistent snapshot: safe while the service
        /// runs (about 5 s per 100,000 deputies, release build).
        #[arg(long)]
        state: bool,
        /// A checkpoint written earlier by `liaison audit checkpoint`.
        #[arg(long, value_name = "FILE")]
        checkpoint: Option<PathBuf>,
    },
    /// Write a signed checkpoint of the chain's head (tenant, last sequence number, head hash, time;
    /// HMAC-SM3 under a key derived from the master key for this use only) to a new file. Keep it apart
    /// from the database: `audit verify --checkpoint FILE` then names any later truncation.
    Checkpoint {
        /// The file to write (refused if it exists).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// List audit records, a page at a time (the audit administrator: role auditor).
    List(AuditFilterArgs),
    /// List the security alerts (`alert.*`, e.g. `alert.bulk_personal_data`: an account viewed more full
    /// cards than the limit allows in its window), a page at a time (the security administrator
    /// security_admin, or the audit administrator auditor).
    Alerts(AuditFilterArgs),
    /// Export every matching audit record as CSV for people (UTF-8 with its byte-order mark, formula-like
    /// cells neutralised), to a file or standard output (the audit administrator: role auditor).
    Export {
        #[command(flatten)]
        filter: AuditFilterArgs,
        /// The file to write (default: standard output).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

/// Which audit records (every filter given must hold).
#[derive(Debug, Args)]
pub(crate) struct AuditFilterArgs {
    /// A kind (deputy.registered), or every kind under a prefix ending in a dot (access.).
    #[arg(long)]
    pub(crate) kind: Option<String>,
    /// The acting account: login, user id or recorded name.
    #[arg(long)]
    pub(crate) actor: Option<String>,
    /// From this day (YYYY-MM-DD, China time) or moment (RFC 3339).
    #[arg(long)]
    pub(crate) from: Option<String>,
    /// To this day (inclusive) or before this moment.
    #[arg(long)]
    pub(crate) to: Option<String>,
    /// The aggregate: its id, or its type (deputy, suggestion, access …).
    #[arg(long)]
    pub(crate) aggregate: Option<String>,
    /// The cursor a previous page printed (list only).
    #[arg(long)]
    pub(crate) cursor: Option<String>,
    /// Page size, 1–1000 (list only).
    #[arg(long, default_value_t = 100)]
    pub(crate) limit: u32,
}

#[derive(Debug, Subcommand)]
pub(crate) enum DemoCmd {
    /// Write a deterministic synthetic register as CSV (Chinese headers), every term running at least to
    /// today (or LIAISON_NOW's day).
    Generate {
        /// How many deputies.
        #[arg(long, default_value_t = 400)]
        deputies: u64,
        /// Seed: the same seed gives the same register (on the same day).
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Output file (default: standard output).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Text encoding.
        #[arg(long, value_enum, default_value = "utf8")]
        encoding: EncodingArg,
    },
}

/// Deadlines on the working-day calendar.
#[derive(Debug, Subcommand)]
pub(crate) enum DeadlineCmd {
    /// How a deadline of a period from a day is computed: due day, days skipped, years assumed.
    Explain {
        /// The day the period runs from (not counted).
        #[arg(long)]
        from: String,
        /// The period: 3m (months) or 20d (working days).
        #[arg(long)]
        period: String,
    },
    /// Recompute the running answer deadlines on the calendar in force (each change recorded on its item).
    Recompute {
        /// List the changes and write nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

/// `liaison tenant`: the procuratorates of the deployment (issue 20), for whoever runs it at the console
/// with the database and its key (as `init`): no account of any one procuratorate adds or moves another.
#[derive(Debug, Subcommand)]
pub(crate) enum TenantCmd {
    /// Add a procuratorate below another, with its own system administrator `admin` (its token is printed
    /// once, as `init` prints the first one). Then act in it with `--tenant ID`.
    Add {
        /// Its name (院名), e.g. 杭州市人民检察院; unique among the procuratorates below the same parent.
        #[arg(long)]
        name: String,
        /// Its level: province (省级), city (市级) or county (县级).
        #[arg(long)]
        level: String,
        /// The procuratorate above it (its id): a city's is a province, a county's a city; a province has
        /// none.
        #[arg(long)]
        parent: Option<String>,
        /// Its id (a-z, 0-9, -; 1–40), used by `--tenant`; made up when absent.
        #[arg(long)]
        id: Option<String>,
    },
    /// Place a procuratorate made before tenants had levels (the one `init` made, id `default`) in the
    /// tree, once.
    Place {
        /// Its id.
        id: String,
        /// Its level: province, city or county.
        #[arg(long)]
        level: String,
        /// The procuratorate above it (its id).
        #[arg(long)]
        parent: Option<String>,
    },
    /// Every procuratorate of the deployment as a tree, by name.
    List,
    /// Link each deputy on a register with the same person's record on the other registers of its tree (a
    /// county deputy who is also a city deputy: one record in each procuratorate's register), found by the
    /// ID number's keyed hash. Registration and import link by themselves; this is for records made before
    /// links existed or given their ID number since. Each link is audited in both procuratorates' chains;
    /// running it again links nothing new.
    LinkDeputies {
        /// Only this procuratorate's register (its id); every procuratorate's when absent.
        #[arg(long)]
        id: Option<String>,
    },
}
