//! The principal cache under the authentication epoch (issue 19): a change made by a *second* `App` on the
//! same database (what the CLI and a second server are) takes effect on this one's very next request — a
//! changed role, a disabled account, a revoked token, a stricter token policy — on SQLite and on
//! PostgreSQL. Each of these would pass the cache's check without the epoch and is refused by it. The
//! idle-use touch is still noted for a cached principal.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{TimeZone, Utc};
use liaison_core::access::Role;
use liaison_core::ids::DeputyId;
use liaison_store::default_tenant;

use crate::tests::rt;
use crate::*;

const HOUR: i64 = 3600;
const DAY: i64 = 24 * HOUR;

/// Two apps on one database sharing a clock the test moves.
struct Pair {
    this: App,
    other: App,
    now: Arc<AtomicI64>,
    _keep: Box<dyn std::any::Any>,
}

fn clock(now: &Arc<AtomicI64>) -> Clock {
    let now = now.clone();
    Arc::new(move || Utc.timestamp_opt(now.load(Ordering::SeqCst), 0).unwrap())
}

fn pair(config: &Config, keep: Box<dyn std::any::Any>) -> Pair {
    let now = Arc::new(AtomicI64::new(Utc.with_ymd_and_hms(2026, 3, 10, 2, 0, 0).unwrap().timestamp()));
    let this = App::open(config).expect("first app opens").with_clock(clock(&now));
    rt().block_on(this.bootstrap("测试市人民检察院")).expect("bootstrap").expect("a fresh database");
    let other = App::open(config).expect("second app opens on the same database").with_clock(clock(&now));
    Pair { this, other, now, _keep: keep }
}

fn sqlite_pair() -> Pair {
    let dir = tempfile::tempdir().expect("temporary folder");
    let config = Config::for_db(&dir.path().join("t.db"));
    pair(&config, Box::new(dir))
}

fn postgres_pair() -> Option<Pair> {
    let db = liaison_store::testing::TestDatabase::create("the principal cache").expect("PostgreSQL")?;
    let config = Config { key: KeySource::Hex("cd".repeat(32)), ..Config::for_url(&db.url) };
    Some(pair(&config, Box::new(db)))
}

impl Pair {
    fn advance(&self, seconds: i64) {
        self.now.fetch_add(seconds, Ordering::SeqCst);
    }

    /// A token of the `office` account, made through this app.
    fn office_token(&self) -> TokenCreated {
        let office = self.this.principal_for_login(&default_tenant(), "office").expect("office account");
        rt().block_on(self.this.create_token(&office, "office", "联络室终端", None)).expect("token")
    }

    /// Authenticate through this app twice: the second answer comes from its cache.
    fn cached(&self, token: &str) -> Principal {
        let first = self.this.authenticate(token).expect("authenticates");
        assert!(self.this.tokens.len() >= 1, "the principal is kept");
        let again = self.this.authenticate(token).expect("authenticates again, from the cache");
        assert_eq!(first, again);
        again
    }

    /// The token's last use is now (the touch is a write the request does not wait for: looked for up to
    /// five seconds).
    fn noted(&self, id: &str) {
        let admin = self.other.principal_for_login(&default_tenant(), "admin").expect("admin");
        let mut seen = None;
        for _ in 0..250 {
            seen = self.other.tokens(&admin).expect("tokens").into_iter().find(|x| x.id == id);
            if seen.as_ref().and_then(|x| x.last_used_at) == Some(self.this.now()) {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        panic!("the use at {} was not noted: {seen:?}", self.this.now());
    }

    fn refused(&self, token: &str, what: &str) {
        let r = self.this.authenticate(token);
        assert!(matches!(r, Err(AppError::Unauthenticated)), "{what}: {r:?}");
    }
}

fn story(p: &Pair) {
    let t = default_tenant();
    let office = crate::tests::approved_user(
        &p.this,
        &NewUser {
            login: "office".into(),
            display_name: "联络室".into(),
            roles: vec!["office".into()],
            ..Default::default()
        },
    );
    let sec = crate::tests::security_admin(&p.other);
    let admin = p.other.principal_for_login(&t, "admin").expect("admin");
    let token = p.office_token();
    assert_eq!(p.cached(&token.token).roles, office.roles);

    // A role changed by the other process: the next request acts with the new roles.
    let change = RoleChange { roles: vec!["officer".into()], ..Default::default() };
    rt().block_on(p.other.request_roles(&admin, "office", None, &change)).expect("roles asked");
    rt().block_on(p.other.account_step(&sec, "office", None, AccountStep::Approve, None)).expect("approved");
    assert_eq!(p.this.authenticate(&token.token).expect("still a valid token").roles, [Role::Officer]);
    assert_eq!(p.cached(&token.token).roles, [Role::Officer]);

    // Disabled by the other process: refused on the next request.
    let why = Some("离职".to_owned());
    rt().block_on(p.other.account_step(&admin, "office", None, AccountStep::Disable, why)).expect("disabled");
    p.refused(&token.token, "a disabled account's token");
    rt().block_on(p.other.account_step(&sec, "office", None, AccountStep::Enable, None)).expect("enabled");
    p.refused(&token.token, "its tokens stay revoked after the account is enabled again");

    // A token revoked by the other process: refused on the next request.
    let second = p.office_token();
    p.cached(&second.token);
    rt().block_on(p.other.revoke_token(&admin, &second.id, Some("丢失".into()))).expect("revoked");
    p.refused(&second.token, "a revoked token");

    // A stricter idle limit set by the other process applies to the cached token at once.
    let third = p.office_token();
    p.cached(&third.token);
    p.advance(2 * DAY);
    rt().block_on(p.other.set_token_policy(&sec, Some(0), 90, 1, Some("收紧".into()))).expect("policy set");
    p.refused(&third.token, "idle for two days under a one-day limit");

    // A cached principal still notes its use to the hour, and the note changes nothing else.
    let fourth = p.office_token();
    p.cached(&fourth.token);
    p.advance(2 * HOUR);
    p.cached(&fourth.token);
    p.noted(&fourth.id);
    let epoch = |app: &App| app.read(|q| q.auth_epoch(&t)).expect("epoch");
    let before = epoch(&p.this);
    p.advance(2 * HOUR);
    p.cached(&fourth.token);
    p.noted(&fourth.id);
    assert_eq!(epoch(&p.other), before, "noting a use does not empty the caches");

    // Through `read_as`: the principal and the record on one connection, refused alike once revoked.
    let (who, name) =
        p.this.read_as(&fourth.token, |pr, q| Ok(q.tenant(&pr.tenant)?)).expect("authenticated read");
    assert_eq!((who.login.as_str(), name.as_deref()), ("office", Some("测试市人民检察院")));
    rt().block_on(p.other.revoke_token(&admin, &fourth.id, None)).expect("revoked");
    let r = p.this.read_as(&fourth.token, |_, q| Ok(q.tenant(&t)?));
    assert!(matches!(r, Err(AppError::Unauthenticated)), "{r:?}");

    // Through `deputy_as` (GET one deputy): the epoch read together with the deputy (one round trip on
    // PostgreSQL), and still refused on the very next request once revoked; a caller the check refuses
    // gets nothing of what was read.
    let fifth = p.office_token();
    let d = rt()
        .block_on(p.this.register_deputy(&office, demo::generate(1, 5).next().unwrap(), None, None))
        .expect("registered");
    let read = |token: &str| p.this.deputy_as(token, DeputyId(d.id), |_| Ok(()));
    assert_eq!(read(&fifth.token).expect("read").1.name, d.name);
    assert_eq!(read(&fifth.token).expect("read from the cache").1.name, d.name);
    let refused =
        p.this.deputy_as(&fifth.token, DeputyId(d.id), |_| Err(AppError::Forbidden { action: "x" }));
    assert!(matches!(refused, Err(AppError::Forbidden { .. })), "{refused:?}");
    rt().block_on(p.other.revoke_token(&admin, &fifth.id, None)).expect("revoked");
    let r = read(&fifth.token);
    assert!(matches!(r, Err(AppError::Unauthenticated)), "{r:?}");
}

#[test]
fn sqlite_a_change_by_another_process_takes_effect_on_the_next_request() {
    story(&sqlite_pair());
}

#[test]
fn postgresql_a_change_by_another_process_takes_effect_on_the_next_request() {
    let Some(p) = postgres_pair() else { return };
    story(&p);
}
