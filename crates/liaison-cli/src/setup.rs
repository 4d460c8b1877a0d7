//! Opening the app for a command: the configuration (with its secrets), the environment every command
//! honours (`LIAISON_CALENDAR`, `LIAISON_NOW`, the full-view limit), the runtime and the console's account.

use std::sync::Arc;

use anyhow::Context;
use liaison_app::{App, Config, Principal};

use crate::args::Cli;
use crate::secrets;

pub(crate) fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_current_thread().build()?)
}

pub(crate) fn config(cli: &Cli) -> anyhow::Result<Config> {
    secrets::config(cli)
}

pub(crate) fn open(cli: &Cli) -> anyhow::Result<App> {
    let config = config(cli)?;
    if config.database_url.is_none() && !cli.db.exists() {
        anyhow::bail!(
            "找不到数据库 {}：请先运行 `liaison init`（no database at {}: run `liaison init` first）",
            cli.db.display(),
            cli.db.display()
        );
    }
    with_environment(App::open(&config)?)
}

/// The working-day calendar in force: the built-in schedule, or `LIAISON_CALENDAR`.
pub(crate) fn calendar_in_force() -> anyhow::Result<liaison_core::calendar::WorkCalendar> {
    match std::env::var("LIAISON_CALENDAR") {
        Ok(path) => {
            let text = std::fs::read_to_string(&path).with_context(|| format!("读取节假日安排 {path}"))?;
            Ok(liaison_app::calendar::from_toml(&text)?)
        }
        Err(_) => Ok(liaison_app::calendar::official()?),
    }
}

/// The environment's settings every command honours, `init` included: `LIAISON_CALENDAR` (a newer holiday
/// schedule), `LIAISON_NOW` (a rehearsal year) and the message settings (`LIAISON_QUIET_HOURS` …).
pub(crate) fn with_environment(mut app: App) -> anyhow::Result<App> {
    if let Ok(path) = std::env::var("LIAISON_CALENDAR") {
        let text = std::fs::read_to_string(&path).with_context(|| format!("读取节假日安排 {path}"))?;
        app = app.with_calendar(liaison_app::calendar::from_toml(&text)?);
    }
    if let Ok(now) = std::env::var("LIAISON_NOW") {
        let at = now_from(&now)?;
        app = app.with_clock(Arc::new(move || at));
    }
    // The limit of full views per account (issue 12 item 7), as the server takes it.
    let number = |name: &str, default: u32| -> anyhow::Result<u32> {
        match std::env::var(name) {
            Ok(v) => v.trim().parse().with_context(|| format!("{name} 须为正整数 (a whole number): {v}")),
            Err(_) => Ok(default),
        }
    };
    let d = liaison_core::scope::BulkViewLimit::default();
    let limit = liaison_core::scope::BulkViewLimit::new(
        number("LIAISON_FULL_VIEWS", d.max_views)?,
        number("LIAISON_FULL_VIEW_WINDOW", d.window_minutes)?,
    )
    .map_err(|(field, e)| {
        let name = if field == "max_views" { "LIAISON_FULL_VIEWS" } else { "LIAISON_FULL_VIEW_WINDOW" };
        anyhow::anyhow!("{name}：{}（{e}）", liaison_core::Localized::zh(&e))
    })?;
    // What is sent and on which channels (issue 17), as the server takes it: a command's event queues the
    // same messages whichever binary runs it.
    let env = |k: &str| std::env::var(k).ok().map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
    let messages = liaison_app::MessageSettings::from_vars(env)
        .map_err(|e| anyhow::anyhow!("{}", liaison_core::Localized::zh(&e)))?;
    Ok(app.with_bulk_view_limit(limit).with_message_settings(messages))
}

/// `LIAISON_NOW`: run the command as of this moment (RFC 3339, or a date taken at 09:00 China time), for
/// rehearsals and tests. The audit records carry that moment; the store refuses one earlier than the last
/// recorded change, so nothing can be backdated this way.
pub(crate) fn now_from(s: &str) -> anyhow::Result<chrono::DateTime<chrono::Utc>> {
    liaison_app::rehearsal_moment(s)
        .ok_or_else(|| anyhow::anyhow!("LIAISON_NOW 不是时间（RFC 3339）或日期：{s}"))
}

/// The account the command acts as (`--as`), never a deputy's; its records name the console and the
/// operating-system user running it.
pub(crate) fn principal(app: &App, cli: &Cli) -> anyhow::Result<Principal> {
    let os_user = os_user();
    let tenant = tenant(cli)?;
    if !app.tenant_tree()?.iter().any(|t| t.id == tenant.as_str()) {
        anyhow::bail!(
            "找不到检察院 {tenant}（--tenant）：见 `liaison tenant list`（no tenant {tenant}: see `liaison tenant list`）"
        );
    }
    Ok(app.console_principal(&tenant, &cli.acting, os_user.as_deref())?)
}

/// The procuratorate the command acts in (`--tenant`), checked to exist.
pub(crate) fn tenant(cli: &Cli) -> anyhow::Result<liaison_core::ids::TenantId> {
    liaison_core::ids::TenantId::parse(cli.acting_tenant.trim()).map_err(|e| {
        anyhow::anyhow!("--tenant {}：{}（{e}）", cli.acting_tenant, liaison_core::Localized::zh(&e))
    })
}

/// The operating-system user running the command, which console records name.
pub(crate) fn os_user() -> Option<String> {
    std::env::var("USER").or_else(|_| std::env::var("LOGNAME")).ok()
}
