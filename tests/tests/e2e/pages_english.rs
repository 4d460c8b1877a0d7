//! The staff pages in English in a real browser (issue 16: "English where Accept-Language or a user
//! setting asks"): the office signs in (in Chinese, the default), uses the footer's switch, and the work
//! list, the register, a deputy's page, the suggestions, a suggestion and today's workspaces (appointments,
//! budget, case reviews, inspections, commendation, the liaison organisation) read in English at desktop
//! and phone width — `<html lang="en">`, no sideways scrolling, every input labelled — with the data (names,
//! titles) as entered; after signing out, the login page stays English (the cookie). With
//! `LIAISON_SHOTS=DIR` each page is saved there as `en-NAME-WIDTH.png`.

use super::World;
use super::browser::Browser;
use super::pages::{enrol, set_password, sound_in};

fn look(b: &Browser, name: &str, width: u32) {
    sound_in(b, name, width, "en");
    b.shot(&format!("en-{name}-{width}"));
}

#[test]
fn the_pages_in_english_after_the_switch_at_desktop_and_phone_width() {
    let mut w = World::new();
    let ids = w.deputies(&[("欧阳晓岚", "县"), ("王芳", "全国"), ("李强", "乡")]);
    w.ok(&[
        "--as",
        "office",
        "suggestion",
        "file",
        "--title",
        "关于完善公益诉讼线索移送机制的建议",
        "--content",
        "建议建立线索移送台账。",
        "--source",
        "闭会期间",
        "--deputy",
        &ids[0],
        "--deputy",
        &ids[2],
    ]);
    set_password(&w, "office");
    w.stop();
    w.start_with(&["--insecure-cookies"]);
    let Some(b) = Browser::phone() else { return };
    enrol(&b, w.base(), "office", (1366, 768));
    // The switch in the footer: the same page again, in English.
    b.click("footer .lang a");
    assert_eq!(b.wait_for_heading("My work"), "My work");
    for (width, height) in [(1366, 768), (390, 844)] {
        b.resize(width, height);
        b.open(&format!("{}/", w.base()));
        assert_eq!(b.wait_for_heading("My work"), "My work");
        look(&b, "work", width);
        b.open(&format!("{}/register", w.base()));
        assert_eq!(b.wait_for_heading("Register of deputies"), "Register of deputies");
        let list = b.text("main");
        assert!(list.contains("欧阳晓岚") && list.contains("deputies, in pinyin order"), "{list}");
        look(&b, "register", width);
        b.click("#results a.reg-name");
        b.wait_until(
            "return document.querySelector('h1') && document.querySelector('h1').textContent.length > 0",
        );
        look(&b, "deputy", width);
        b.open(&format!("{}/suggestions", w.base()));
        assert_eq!(b.wait_for_heading("Suggestions"), "Suggestions");
        assert!(b.text("main").contains("关于完善公益诉讼线索移送机制的建议"), "a title is data");
        look(&b, "suggestions", width);
        b.open(&format!("{}/suggestions/2026-0001", w.base()));
        assert!(b.wait_for_heading("2026-0001").contains("关于完善公益诉讼线索移送机制的建议"));
        assert!(b.text("main").contains("What you can do"));
        look(&b, "suggestion", width);
        // Today's workspaces: their headings (and the rest, `sound_in` checks) in English.
        for (path, heading, name) in [
            ("/appointments", "Appointments with deputies", "appointments"),
            ("/budget", "Liaison work budget", "budget"),
            ("/reviews", "Case reviews", "reviews"),
            ("/inspections", "Inspections, evaluations and rectification", "inspections"),
            ("/commendation", "Commendation of deputies", "commendation"),
            ("/register/organisation", "Liaison organisation", "organisation"),
        ] {
            b.open(&format!("{}{path}", w.base()));
            let h = b.wait_for_heading(heading);
            assert!(h.contains(heading), "{path}: {h}");
            look(&b, name, width);
        }
    }
    b.click("header form[action='/logout'] button[type=submit]");
    assert_eq!(b.wait_for_heading("Sign in"), "Sign in");
    look(&b, "login", 390);
}
