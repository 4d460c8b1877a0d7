//! The link of a deputy's records on two registers: given the tree and the links held, when a link is
//! asked for, then the event or the refusal.

use super::*;
use crate::tenant::{Tenant, TenantLevel};

fn id(s: &str) -> TenantId {
    TenantId::parse(s).expect("a tenant id")
}

fn tenant(i: &str, level: TenantLevel, parent: Option<&str>) -> Tenant {
    Tenant { id: id(i), name: format!("{i}院"), level: Some(level), parent: parent.map(id) }
}

/// 浙江 (zj) → 杭州 (hz) → 西湖 (xh); 江苏 (js) a tree of its own.
fn tree() -> TenantTree {
    TenantTree::new([
        tenant("zj", TenantLevel::Province, None),
        tenant("hz", TenantLevel::City, Some("zj")),
        tenant("xh", TenantLevel::County, Some("hz")),
        tenant("js", TenantLevel::Province, None),
    ])
}

fn entry(t: &str, n: u128, level: DeputyLevel) -> RegisterEntry {
    RegisterEntry { tenant: id(t), deputy: DeputyId(uuid::Uuid::from_u128(n)), level }
}

fn given(links: &[LinkEvent]) -> RegisterLinks {
    let mut l = RegisterLinks::default();
    links.iter().for_each(|e| l.apply(e));
    l
}

fn link(a: &RegisterEntry, b: &RegisterEntry) -> Result<Vec<LinkEvent>, LinkError> {
    given(&[]).decide(&tree(), a.clone(), b.clone(), LinkBasis::SameIdNumber)
}

#[test]
fn a_county_deputy_who_is_also_a_city_deputy_is_linked_across_the_two_registers() {
    let county = entry("xh", 1, DeputyLevel::County);
    let city = entry("hz", 2, DeputyLevel::City);
    let events = link(&county, &city).expect("linked");
    // The sides in procuratorate order, whichever was named first.
    let expected = LinkEvent::Linked {
        link: DeputyLink { first: city.clone(), second: county.clone(), basis: LinkBasis::SameIdNumber },
    };
    assert_eq!(events, vec![expected.clone()]);
    assert_eq!(link(&city, &county).expect("linked"), vec![expected.clone()]);
    assert_eq!(expected.kind(), "deputy.linked");
    let LinkEvent::Linked { link: l } = &expected;
    assert_eq!(l.sides(&id("xh")), Some((&county, &city)));
    assert_eq!(l.sides(&id("hz")), Some((&city, &county)));
    assert_eq!(l.sides(&id("zj")), None);
    assert!(l.holds(&county) && l.holds(&city) && !l.holds(&entry("xh", 3, DeputyLevel::County)));
    // Across two levels of the tree too (a county deputy who is also a provincial deputy).
    assert!(link(&county, &entry("zj", 4, DeputyLevel::Provincial)).is_ok());
}

#[test]
fn the_same_register_the_same_level_an_unknown_procuratorate_and_another_tree_are_refused() {
    let county = entry("xh", 1, DeputyLevel::County);
    let e = link(&county, &entry("xh", 2, DeputyLevel::City)).unwrap_err();
    assert_eq!((e.code(), e.is_input()), ("deputy_link.same_tenant", false));
    let e = link(&county, &entry("hz", 2, DeputyLevel::County)).unwrap_err();
    assert_eq!(e, LinkError::SameLevel(DeputyLevel::County));
    assert!(e.zh().contains("县人大代表"), "{}", e.zh());
    let e = link(&county, &entry("nowhere", 2, DeputyLevel::City)).unwrap_err();
    assert_eq!((e.code(), e.is_input()), ("deputy_link.unknown_tenant", true));
    assert_eq!(e.zh(), "找不到检察院 nowhere");
    let e = link(&county, &entry("js", 2, DeputyLevel::Provincial)).unwrap_err();
    assert_eq!(e, LinkError::OtherTree(id("xh"), id("js")));
}

#[test]
fn a_record_is_linked_once_into_each_other_register() {
    let county = entry("xh", 1, DeputyLevel::County);
    let city = entry("hz", 2, DeputyLevel::City);
    let held = given(&link(&county, &city).expect("linked"));
    let again = |a: &RegisterEntry, b: &RegisterEntry| {
        held.decide(&tree(), a.clone(), b.clone(), LinkBasis::SameIdNumber)
    };
    assert_eq!(again(&county, &city).unwrap_err(), LinkError::AlreadyLinked(id("xh"), id("hz")));
    assert_eq!(again(&city, &county).unwrap_err(), LinkError::AlreadyLinked(id("hz"), id("xh")));
    // Another record of the city's register for the same county record, or the reverse: refused.
    let other_city = entry("hz", 3, DeputyLevel::Provincial);
    assert_eq!(again(&county, &other_city).unwrap_err().code(), "deputy_link.already_linked");
    let other_county = entry("xh", 4, DeputyLevel::Township);
    assert_eq!(again(&other_county, &city).unwrap_err().code(), "deputy_link.already_linked");
    // A third register is another link.
    assert!(again(&county, &entry("zj", 5, DeputyLevel::Provincial)).is_ok());
    assert_eq!(held.links().len(), 1);
}
