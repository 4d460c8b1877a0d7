//! The tree of procuratorates: given the tenants, when a change, then its event or its refusal.

use proptest::prelude::*;

use super::*;

fn id(s: &str) -> TenantId {
    TenantId::parse(s).unwrap()
}

fn add(i: &str, name: &str, level: TenantLevel, parent: Option<&str>) -> TenantCommand {
    TenantCommand::Add { id: id(i), name: ShortText::parse(name).unwrap(), level, parent: parent.map(id) }
}

/// Given these commands (each must pass), the tree.
fn given(cmds: Vec<TenantCommand>) -> TenantTree {
    let mut tree = TenantTree::default();
    for c in cmds {
        for e in tree.decide(c).unwrap() {
            tree.apply(&e);
        }
    }
    tree
}

/// A province, two cities below it, a county below the first city.
fn province() -> TenantTree {
    use TenantLevel::*;
    given(vec![
        add("zj", "浙江省人民检察院", Province, None),
        add("hz", "杭州市人民检察院", City, Some("zj")),
        add("nb", "宁波市人民检察院", City, Some("zj")),
        add("xh", "西湖区人民检察院", County, Some("hz")),
    ])
}

fn refused(tree: &TenantTree, cmd: TenantCommand) -> &'static str {
    let before = tree.clone();
    let code = tree.decide(cmd).unwrap_err().code();
    assert_eq!(tree, &before);
    code
}

#[test]
fn a_province_of_cities_and_counties_is_built_and_walked_by_name() {
    let tree = province();
    let walked: Vec<(usize, &str)> = tree.walk().iter().map(|(d, t)| (*d, t.id.as_str())).collect();
    // In pinyin order: 杭州 (hang) before 宁波 (ning), though 宁 comes first by code point.
    assert_eq!(walked, vec![(0, "zj"), (1, "hz"), (2, "xh"), (1, "nb")]);
    let below: Vec<&str> = tree.subtree(&id("hz")).iter().map(|(_, t)| t.id.as_str()).collect();
    assert_eq!(below, vec!["hz", "xh"]);
    assert!(tree.is_at_or_above(&id("zj"), &id("xh")));
    assert!(!tree.is_at_or_above(&id("nb"), &id("xh")));
    assert!(!tree.is_at_or_above(&id("xh"), &id("zj")));
    assert!(tree.subtree(&id("nowhere")).is_empty());
}

#[test]
fn a_parent_is_exactly_one_level_up() {
    use TenantLevel::*;
    let tree = province();
    assert_eq!(refused(&tree, add("x1", "某县院", County, Some("zj"))), "tenant.wrong_parent_level");
    assert_eq!(refused(&tree, add("x2", "某市院", City, Some("hz"))), "tenant.wrong_parent_level");
    assert_eq!(refused(&tree, add("x3", "某省院", Province, Some("zj"))), "tenant.province_has_parent");
    assert_eq!(refused(&tree, add("x4", "某县院", County, Some("nowhere"))), "tenant.unknown");
    // A county below a city, and a city standing alone, are fine.
    assert!(tree.decide(add("x5", "江干区人民检察院", County, Some("hz"))).is_ok());
    assert!(tree.decide(add("x6", "某市人民检察院", City, None)).is_ok());
}

#[test]
fn names_are_unique_among_siblings_only_and_ids_everywhere() {
    use TenantLevel::*;
    let tree = province();
    assert_eq!(refused(&tree, add("hz2", "杭州市人民检察院", City, Some("zj"))), "tenant.name_taken");
    assert_eq!(refused(&tree, add("zj2", "浙江省人民检察院", Province, None)), "tenant.name_taken");
    assert_eq!(refused(&tree, add("hz", "另一个", County, Some("nb"))), "tenant.id_taken");
    // The same name below another parent is another procuratorate.
    given(vec![
        add("zj", "浙江省人民检察院", Province, None),
        add("hz", "杭州市人民检察院", City, Some("zj")),
        add("nb", "宁波市人民检察院", City, Some("zj")),
        add("a", "城区人民检察院", County, Some("hz")),
        add("b", "城区人民检察院", County, Some("nb")),
    ]);
}

#[test]
fn an_unplaced_tenant_is_placed_once_and_never_below_itself() {
    use TenantLevel::*;
    let mut tree = province();
    tree.apply(&TenantEvent::Added {
        tenant: Tenant { id: TenantId::single(), name: "人民检察院".into(), level: None, parent: None },
    });
    // Nothing can be placed below an unplaced tenant.
    assert_eq!(refused(&tree, add("c", "某县院", County, Some("default"))), "tenant.wrong_parent_level");
    let place = |level, parent: Option<&str>| TenantCommand::Place {
        id: TenantId::single(),
        level,
        parent: parent.map(id),
    };
    assert_eq!(refused(&tree, place(City, Some("default"))), "tenant.cycle");
    assert_eq!(refused(&tree, place(County, Some("zj"))), "tenant.wrong_parent_level");
    let events = tree.decide(place(County, Some("nb"))).unwrap();
    assert_eq!(events[0].kind(), "tenant.placed");
    tree.apply(&events[0]);
    assert_eq!(tree.get(&TenantId::single()).unwrap().parent, Some(id("nb")));
    assert_eq!(refused(&tree, place(County, Some("hz"))), "tenant.already_placed");
    assert_eq!(
        refused(&tree, TenantCommand::Place { id: id("nowhere"), level: City, parent: None }),
        "tenant.unknown"
    );
}

#[test]
fn a_stored_cycle_is_walked_without_looping() {
    // Rows edited by hand could make a loop: the walk shows each tenant once and stops.
    let t = |i: &str, p: &str| Tenant {
        id: id(i),
        name: i.into(),
        level: Some(TenantLevel::City),
        parent: Some(id(p)),
    };
    let tree = TenantTree::new([t("a", "b"), t("b", "a")]);
    assert_eq!(tree.walk().len(), 2);
    assert_eq!(tree.subtree(&id("a")).len(), 2);
    assert!(tree.is_at_or_above(&id("b"), &id("a")));
    assert!(!tree.is_at_or_above(&id("c"), &id("a")));
}

#[test]
fn levels_parse_and_name_themselves() {
    for l in TenantLevel::ALL {
        assert_eq!(TenantLevel::parse(l.code()), Ok(l));
        assert_eq!(TenantLevel::parse(l.zh()), Ok(l));
    }
    assert!(TenantLevel::parse("township").is_err());
    assert_eq!(TenantError::NameTaken("x".into()).zh(), "同一上级之下已有名为“x”的检察院");
}

proptest! {
    /// Whatever is tried, the tree keeps its rules: every parent is one level up, no tenant is its own
    /// ancestor, sibling names are unique; a refusal changes nothing.
    #[test]
    fn random_additions_keep_the_tree_sound(cmds in prop::collection::vec((0u8..12, 0u8..6, 0u8..3, 0u8..13), 1..40)) {
        let mut tree = TenantTree::default();
        for (i, name, level, parent) in cmds {
            let cmd = TenantCommand::Add {
                id: id(&format!("t{i}")),
                name: ShortText::parse(&format!("院{name}")).unwrap(),
                level: TenantLevel::ALL[usize::from(level)],
                parent: (parent < 12).then(|| id(&format!("t{parent}"))),
            };
            let before = tree.clone();
            match tree.decide(cmd) {
                Ok(events) => events.iter().for_each(|e| tree.apply(e)),
                Err(_) => prop_assert_eq!(&tree, &before),
            }
            for (_, t) in tree.walk() {
                if let Some(p) = &t.parent {
                    let p = tree.get(p).unwrap();
                    prop_assert_eq!(p.level, t.level.and_then(TenantLevel::parent_level));
                    prop_assert!(!tree.is_at_or_above(&t.id, &p.id));
                }
                let names: Vec<_> = tree.children(t.parent.as_ref()).iter().map(|s| s.name.clone()).collect();
                let unique: std::collections::BTreeSet<_> = names.iter().collect();
                prop_assert_eq!(names.len(), unique.len());
            }
            prop_assert_eq!(tree.walk().len(), tree.tenants.len());
        }
    }
}

#[test]
fn a_transfer_goes_to_another_placed_procuratorate_of_the_same_tree() {
    use TenantLevel::*;
    let mut tree = province();
    for e in tree.decide(add("js", "江苏省人民检察院", Province, None)).unwrap() {
        tree.apply(&e);
    }
    tree.apply(&TenantEvent::Added {
        tenant: Tenant { id: id("old"), name: "未定层级院".into(), level: None, parent: None },
    });
    // Up, down and across within the province.
    for (from, to) in [("xh", "hz"), ("zj", "xh"), ("xh", "nb"), ("hz", "zj")] {
        assert_eq!(tree.check_transfer(&id(from), &id(to)).map(|t| t.id.as_str()), Ok(to), "{from} → {to}");
    }
    assert_eq!(tree.root_of(&id("xh")).map(|t| t.id.as_str()), Some("zj"));
    let code = |from: &str, to: &str| tree.check_transfer(&id(from), &id(to)).unwrap_err().code();
    assert_eq!(code("xh", "xh"), "tenant.transfer_to_self");
    assert_eq!(code("xh", "js"), "tenant.outside_tree");
    assert_eq!(code("xh", "old"), "tenant.outside_tree");
    assert_eq!(code("old", "xh"), "tenant.outside_tree");
    assert_eq!(code("xh", "nowhere"), "tenant.unknown");
}
