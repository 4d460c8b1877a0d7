//! How long the staff pages take to render on the server (issue 16: every page under 50 ms at 400
//! deputies and under 200 ms at 100k): a register of each size (imported as an office does), the
//! suggestions of every state the figures distinguish, an office account signed in through the real
//! login (password, authenticator enrolment), then each page requested in-process through the service's
//! router — session check, reads and template included, no network — `rounds` times; the median, p95 and
//! worst are reported beside the target. Each page is measured in Chinese and again in English
//! (`Accept-Language: en`: the rendering marked, walked and translated by the catalogue).

use std::time::{Duration, Instant};

use axum::body::Body;
use http_body_util::BodyExt;
use hyper::Request;
use liaison_app::import::ImportOptions;
use liaison_app::login::totp;
use tower::ServiceExt;

use crate::{Backend, cast, csv, site};

const PASSWORD: &str = "基准测试用的足够长口令2026";

fn base32_decode(s: &str) -> anyhow::Result<Vec<u8>> {
    let (mut out, mut buf, mut bits) = (Vec::new(), 0u32, 0u32);
    for c in s.trim().bytes() {
        let v = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
            .iter()
            .position(|&a| a == c)
            .ok_or_else(|| anyhow::anyhow!("not base32: {s}"))? as u32;
        buf = (buf << 5) | v;
        bits += 5;
        if bits >= 8 {
            out.push((buf >> (bits - 8)) as u8);
            bits -= 8;
        }
    }
    Ok(out)
}

fn quantile(sorted: &[Duration], q: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * q).round() as usize]
}

pub(crate) async fn pages(sizes: &[u64], rounds: usize) -> anyhow::Result<()> {
    println!(
        "pages: server-side render of each staff page (in-process: session, reads, template), {rounds} rounds"
    );
    for &n in sizes {
        let s = site(Backend::Sqlite { max_batch: 512 }).await?;
        let c = cast(&s).await?;
        let made = crate::scale::templates(&s, &c).await?;
        let t = Instant::now();
        let r = s
            .app
            .import_deputies(&s.office, &csv(n.saturating_sub(3), 1)?, &ImportOptions::default(), None)
            .await?;
        eprintln!("  {} deputies imported in {:.1?}; {made} suggestions", r.imported + 3, t.elapsed());
        // The office signs in as a person would: password, then the authenticator's first code.
        let sec = s.app.principal_for_login(&s.office.tenant, "sec")?;
        s.app.set_password(&sec, "office", PASSWORD, None).await?;
        let started = s.app.login_password(&s.office.tenant, "office", PASSWORD).await?;
        let enrolment = s.app.begin_enrolment(&started.cookie).await?;
        let secret = base32_decode(&enrolment.secret)?;
        let code = totp::code_at_step(&secret, totp::step_of(s.app.now().timestamp()));
        s.app.confirm_enrolment(&started.cookie, &code).await?;
        // The password the security administrator set is changed first, as the pages require.
        let renewed = s.app.change_password(&started.cookie, PASSWORD, "基准测试者自己选的口令2027").await?;
        let cookie = format!("__Host-liaison_session={}", renewed.cookie);
        let router =
            liaison_http::app(liaison_http::AppState::new(s.app.clone()), liaison_http::Limits::default());
        let target = if n <= 400 { 50 } else { 200 };
        println!("  {n} deputies (target: under {target} ms)");
        let deputy = format!("/register/{}", c.deputies[0].0);
        let budget = format!("/budget/{}", liaison_core::dates::china_year(s.app.now()));
        for path in [
            "/",
            deputy.as_str(),
            "/figures",
            "/figures?by=department",
            "/register",
            "/register?q=wang",
            "/suggestions",
            "/suggestions/2026-0001",
            "/notices",
            "/calendar",
            "/plan",
            "/activities",
            "/activities/fairness",
            "/register/coverage",
            "/register/organisation",
            "/suggestions/new",
            "/appointments",
            "/hotline",
            "/cards",
            "/services",
            "/reviews",
            "/supervisors",
            "/inspections",
            "/deliberations",
            "/measures",
            "/commendation",
            budget.as_str(),
        ]
        .into_iter()
        .flat_map(|p| [(p, "zh-CN"), (p, "en")])
        {
            let (path, lang) = path;
            let mut times = Vec::with_capacity(rounds);
            let mut bytes = 0;
            for _ in 0..rounds {
                let req = Request::get(path)
                    .header("cookie", &cookie)
                    .header("accept-language", lang)
                    .body(Body::empty())?;
                let t = Instant::now();
                let resp = router.clone().oneshot(req).await?;
                let status = resp.status();
                let body = resp.into_body().collect().await?.to_bytes();
                times.push(t.elapsed());
                anyhow::ensure!(status.is_success(), "{path}: {status}: {}", String::from_utf8_lossy(&body));
                bytes = body.len();
            }
            times.sort();
            let (median, p95, worst) =
                (quantile(&times, 0.5), quantile(&times, 0.95), times[times.len() - 1]);
            let verdict = if p95 < Duration::from_millis(target) { "ok" } else { "OVER TARGET" };
            println!(
                "    {:<28} {lang:<5} median {:>7.2} ms   p95 {:>7.2} ms   max {:>7.2} ms   {:>6} bytes   {verdict}",
                if path == deputy { "/register/{id}" } else { path },
                median.as_secs_f64() * 1e3,
                p95.as_secs_f64() * 1e3,
                worst.as_secs_f64() * 1e3,
                bytes
            );
        }
    }
    Ok(())
}
