//! The accounts' rules, tested.

use chrono::TimeZone;
use uuid::Uuid;

use super::*;
use crate::Localized;
use crate::access::Role::*;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).unwrap()
}
fn user(n: u128) -> UserId {
    UserId(Uuid::from_u128(n))
}
const ADMIN: u128 = 1;
const SEC: u128 = 2;

fn new(roles: &[Role]) -> NewAccount {
    NewAccount {
        id: user(10),
        kind: AccountKind::Person,
        roles: roles.to_vec(),
        deputy: None,
        department: None,
        grant: Grant::default(),
    }
}

/// An account opened with `roles`, its business roles approved.
fn approved(roles: &[Role]) -> Account {
    let (mut a, _) = Account::open(&new(roles), user(ADMIN), None, now()).unwrap();
    if a.pending.is_some() {
        for e in a.decide(&AccountCommand::Approve, user(SEC), now()).unwrap() {
            a.apply(&e);
        }
    }
    a
}

#[test]
fn no_account_holds_two_administrator_roles_or_one_with_a_business_role() {
    use AccountError as E;
    let refused = |roles: &[Role]| Account::open(&new(roles), user(ADMIN), None, now()).unwrap_err();
    assert_eq!(refused(&[]), E::NoRole);
    assert_eq!(refused(&[Admin, Auditor]), E::TwoAdministrators(Admin, Auditor));
    assert_eq!(refused(&[Admin, Office, Auditor, Leader]), E::TwoAdministrators(Admin, Auditor));
    assert_eq!(refused(&[Office, SecurityAdmin]), E::AdministratorWithBusiness(SecurityAdmin, Office));
    assert_eq!(refused(&[Deputy, Office]), E::DeputyWithOther);
    assert_eq!(refused(&[Deputy]), E::DeputyMismatch, "a deputy's account names its deputy");
    assert_eq!(refused(&[Department]), E::DepartmentRequired);
    let e = refused(&[Admin, Office]);
    assert_eq!((e.field(), e.code()), (Some("roles"), "account.administrator_with_business_role"));
    assert!(e.zh().contains("系统管理员") && e.zh().contains("联络室"), "{}", e.zh());
    let service = |roles: &[Role]| NewAccount { kind: AccountKind::Service, ..new(roles) };
    assert_eq!(
        Account::open(&service(&[Admin]), user(ADMIN), None, now()).unwrap_err(),
        E::ServiceRole(Admin)
    );
    let dep = NewAccount { deputy: Some(DeputyId(Uuid::from_u128(5))), ..new(&[Deputy]) };
    assert_eq!(
        Account::open(&dep, user(ADMIN), Some("wang"), now()).unwrap_err(),
        E::DeputyHasAccount("wang".into()),
        "one deputy, one account"
    );
}

#[test]
fn business_roles_and_deputy_accounts_wait_for_a_second_person() {
    let (a, events) = Account::open(&new(&[Office, Officer]), user(ADMIN), None, now()).unwrap();
    assert!(a.roles.is_empty(), "nothing in effect before approval");
    assert_eq!(
        events.iter().map(AccountEvent::kind).collect::<Vec<_>>(),
        ["user.created", "user.roles_requested"]
    );
    assert_eq!(a.decide(&AccountCommand::Approve, user(ADMIN), now()), Err(AccountError::SamePerson));
    assert_eq!(a.decide(&AccountCommand::Approve, a.id, now()), Err(AccountError::OwnAccount));
    let mut b = a.clone();
    for e in a.decide(&AccountCommand::Approve, user(SEC), now()).unwrap() {
        b.apply(&e);
    }
    assert_eq!((b.roles.as_slice(), b.pending.is_none()), (&[Office, Officer][..], true));
    assert_eq!(b.decide(&AccountCommand::Approve, user(SEC), now()), Err(AccountError::NothingPending));
    // Administrators take effect at once (first start names the security administrator).
    let (s, _) = Account::open(&new(&[SecurityAdmin]), user(ADMIN), None, now()).unwrap();
    assert_eq!((s.roles.as_slice(), s.pending.is_none()), (&[SecurityAdmin][..], true));
}

/// Issue 12, item 7: an officer's account is linked to its liaison officer and granted regions by the
/// same request and approval as its roles; nobody else holds a grant.
#[test]
fn an_officers_grant_waits_for_approval_like_its_roles() {
    let g = Grant {
        officer: Some(crate::ids::OfficerId(Uuid::from_u128(3))),
        regions: ["鼓楼区".to_owned()].into(),
    };
    let open = |roles: &[Role], grant: &Grant| {
        Account::open(&NewAccount { grant: grant.clone(), ..new(roles) }, user(ADMIN), None, now())
    };
    assert_eq!(open(&[Leader], &g).unwrap_err(), AccountError::GrantWithoutOfficer);
    assert_eq!(AccountError::GrantWithoutOfficer.field(), Some("officer"));
    let (a, _) = open(&[Officer], &g).unwrap();
    assert_eq!((&a.grant, a.pending.as_ref().map(|p| &p.grant)), (&Grant::default(), Some(&g)));
    let mut b = a.clone();
    for e in a.decide(&AccountCommand::Approve, user(SEC), now()).unwrap() {
        b.apply(&e);
    }
    assert_eq!(b.grant, g, "in effect once approved");
    // A change of regions alone is a change, and waits; a role change keeps the grant unless given.
    let fewer = Grant { regions: Default::default(), ..g.clone() };
    let ask = |roles: &[Role], grant: Option<Grant>| AccountCommand::RequestRoles {
        roles: roles.to_vec(),
        department: None,
        grant,
    };
    assert_eq!(b.decide(&ask(&[Officer], None), user(ADMIN), now()), Err(AccountError::NoChange));
    let events = b.decide(&ask(&[Officer], Some(fewer.clone())), user(ADMIN), now()).unwrap();
    assert!(matches!(&events[..], [AccountEvent::RolesRequested { grant, .. }] if *grant == fewer));
    let events = b.decide(&ask(&[Officer, Leader], None), user(ADMIN), now()).unwrap();
    assert!(matches!(&events[..], [AccountEvent::RolesRequested { grant, .. }] if *grant == g));
    // Dropping the officer role drops the grant; giving one without it is refused.
    let events = b.decide(&ask(&[Leader], None), user(ADMIN), now()).unwrap();
    assert!(matches!(&events[..], [AccountEvent::RolesRequested { grant, .. }] if grant.is_empty()));
    assert_eq!(
        b.decide(&ask(&[Leader], Some(g.clone())), user(ADMIN), now()),
        Err(AccountError::GrantWithoutOfficer)
    );
}

#[test]
fn role_changes_disable_and_enable_follow_the_rules() {
    let a = approved(&[Officer]);
    let ask = |roles: &[Role]| AccountCommand::RequestRoles {
        roles: roles.to_vec(),
        department: None,
        grant: None,
    };
    assert_eq!(a.decide(&ask(&[Officer]), user(ADMIN), now()), Err(AccountError::NoChange));
    assert_eq!(a.decide(&ask(&[Deputy]), user(ADMIN), now()), Err(AccountError::DeputyMismatch));
    assert_eq!(a.decide(&ask(&[Department]), user(ADMIN), now()), Err(AccountError::DepartmentRequired));
    let mut b = a.clone();
    for e in a.decide(&ask(&[Leader]), user(ADMIN), now()).unwrap() {
        b.apply(&e);
    }
    assert_eq!(b.roles, [Officer], "a change waits for approval");
    assert_eq!(b.decide(&ask(&[Office]), user(ADMIN), now()), Err(AccountError::AlreadyPending));
    let mut c = b.clone();
    for e in b.decide(&AccountCommand::Reject, user(SEC), now()).unwrap() {
        c.apply(&e);
    }
    assert_eq!((c.roles.as_slice(), c.pending.is_none()), (&[Officer][..], true));
    // Disable, and nothing more until enabled; nobody disables themself.
    assert_eq!(c.decide(&AccountCommand::Disable, c.id, now()), Err(AccountError::OwnAccount));
    assert_eq!(c.decide(&AccountCommand::Enable, user(SEC), now()), Err(AccountError::NotDisabled));
    let mut d = c.clone();
    for e in c.decide(&AccountCommand::Disable, user(ADMIN), now()).unwrap() {
        d.apply(&e);
    }
    assert!(!d.active);
    assert_eq!(d.decide(&ask(&[Leader]), user(ADMIN), now()), Err(AccountError::Disabled));
    assert_eq!(d.decide(&AccountCommand::Disable, user(ADMIN), now()), Err(AccountError::Disabled));
    assert_eq!(
        d.decide(&AccountCommand::Enable, user(SEC), now()).unwrap(),
        [AccountEvent::Enabled { by: user(SEC) }]
    );
}

#[test]
fn the_last_system_or_security_administrator_stays_and_persons_tokens_are_their_own() {
    let sec = approved(&[SecurityAdmin]);
    let other = Account { id: user(11), ..sec.clone() };
    assert_eq!(
        sec.check_not_last(&AccountCommand::Disable, &[]),
        Err(AccountError::LastAdministrator(SecurityAdmin))
    );
    assert_eq!(sec.check_not_last(&AccountCommand::Disable, std::slice::from_ref(&other)), Ok(()));
    let disabled_other = Account { active: false, ..other };
    assert!(sec.check_not_last(&AccountCommand::Disable, &[disabled_other]).is_err());
    let office = approved(&[Office]);
    assert_eq!(office.check_not_last(&AccountCommand::Disable, &[]), Ok(()));
    // Tokens: one's own, or an integration account's by the system administrator; never a person's.
    assert_eq!(office.token_by(office.id, false), Ok(()));
    assert_eq!(office.token_by(user(ADMIN), true), Err(AccountError::PersonsToken));
    let service = Account { kind: AccountKind::Service, ..office };
    assert_eq!(service.token_by(user(ADMIN), true), Ok(()));
    assert_eq!(service.token_by(user(SEC), false), Err(AccountError::PersonsToken));
}

#[test]
fn roles_from_before_the_separation_are_cut_down() {
    assert_eq!(normalise(&[Office, Admin, Auditor, Leader]), [Admin]);
    assert_eq!(normalise(&[Auditor, Leader]), [Auditor]);
    assert_eq!(normalise(&[Leader, Office]), [Office, Leader]);
    let mut a = approved(&[Office]);
    a.roles = vec![Admin, Office, Auditor, Leader];
    let e = a.normalised().unwrap();
    assert_eq!(
        e,
        AccountEvent::RolesNormalised { from: vec![Admin, Office, Auditor, Leader], to: vec![Admin] }
    );
    a.apply(&e);
    assert_eq!(a.normalised(), None);
}

#[test]
fn tokens_expire_and_lapse_when_idle() {
    let p = TokenPolicy::default();
    let exp = p.expiry(now(), None).unwrap();
    assert_eq!(exp - now(), Duration::days(90));
    assert_eq!(p.expiry(now(), Some(91)), Err(AccountError::Lifetime { max: 90 }));
    assert_eq!(p.expiry(now(), Some(0)).unwrap_err().field(), Some("days"));
    assert_eq!(p.check(exp, now(), now() + Duration::days(29)), Ok(()));
    assert_eq!(p.check(exp, now(), now() + Duration::days(31)), Err(TokenLapse::Idle));
    assert_eq!(p.check(exp, exp - Duration::days(1), exp), Err(TokenLapse::Expired));
    assert_eq!(TokenPolicy::new(400, 30).unwrap_err().field(), Some("lifetime_days"));
    assert_eq!(TokenPolicy::new(30, 31).unwrap_err().field(), Some("idle_days"));
    assert!(TokenPolicy::new(30, 7).is_ok());
}

proptest::proptest! {
    /// Whatever is attempted, by whoever: the roles in effect always hold together (or are none), they
    /// change only by an approval from someone other than the one who asked, a disabled account has
    /// nothing waiting, and a refused command changes nothing.
    #[test]
    fn roles_change_only_by_a_second_persons_approval(
        steps in proptest::collection::vec((0u8..5, 0u8..8, 1u128..4), 1..40)
    ) {
        let all = Role::ALL;
        let (mut a, _) = Account::open(&new(&[Office]), user(ADMIN), None, now()).unwrap();
        for (cmd, role, by) in steps {
            let cmd = match cmd {
                0 => AccountCommand::RequestRoles { roles: vec![all[role as usize]], department: None, grant: None },
                1 => AccountCommand::Approve,
                2 => AccountCommand::Reject,
                3 => AccountCommand::Disable,
                _ => AccountCommand::Enable,
            };
            let before = a.clone();
            match a.decide(&cmd, user(by), now()) {
                Err(_) => proptest::prop_assert_eq!(&a, &before),
                Ok(events) => {
                    for e in &events {
                        if let AccountEvent::RolesGranted { requested_by, approved_by, .. } = e {
                            proptest::prop_assert_ne!(requested_by, approved_by);
                        }
                        a.apply(e);
                    }
                }
            }
            if a.roles != before.roles {
                proptest::prop_assert!(matches!(cmd, AccountCommand::Approve));
            }
            proptest::prop_assert!(a.roles.is_empty() || check_roles(a.kind, &a.roles).is_ok());
            proptest::prop_assert!(a.active || a.pending.is_none());
        }
    }
}
