//! The service's outgoing transports (issue 17): e-mail over SMTP and SMS through Alibaba Cloud, set up
//! from the environment, and the channels the delivery worker sends through (the inbox always; e-mail and
//! SMS when configured). Secrets (the SMTP password, the SMS AccessKey secret) come from the environment
//! or a file, never the command line.

pub mod sms;
pub mod smtp;

use std::sync::Arc;
use std::time::Duration;

use liaison_app::{App, Channels, EmailChannel, SmsChannel};
use liaison_core::message::MessageChannel;

/// The environment variables of the transports, with what each means (`liaison-http --help`, README).
pub const VARS: &[(&str, &str)] = &[
    ("LIAISON_SMTP_HOST", "the SMTP server: setting it turns e-mail on"),
    ("LIAISON_SMTP_PORT", "its port (default: 25 none, 587 starttls, 465 tls)"),
    ("LIAISON_SMTP_TLS", "none | starttls (default, required) | tls"),
    (
        "LIAISON_SMTP_USER, LIAISON_SMTP_PASSWORD",
        "the login, if the server asks (the password: environment only)",
    ),
    ("LIAISON_SMTP_FROM", "the sender, e.g. 联络室 <lianluo@example.cn> (required with e-mail)"),
    ("LIAISON_SMTP_CA", "a PEM file of CA certificates trusted for the server besides the system's"),
    ("LIAISON_SMS_PROVIDER", "aliyun: setting it turns SMS on"),
    ("LIAISON_SMS_ENDPOINT", "the API's address (default https://dysmsapi.aliyuncs.com/)"),
    ("LIAISON_SMS_KEY_ID, LIAISON_SMS_KEY_SECRET", "the AccessKey (the secret: environment only)"),
    ("LIAISON_SMS_SIGN_NAME", "the approved signature name (签名)"),
    ("LIAISON_SMS_REGION", "the region (default cn-hangzhou)"),
    ("LIAISON_SMS_TEMPLATES", "kind=code pairs, e.g. suggestion.answered=SMS_1,duty.overdue=SMS_2"),
    ("LIAISON_SMS_CA", "a PEM file of the CA certificates trusted for an https endpoint"),
];

/// The help text listing every message setting (the app's and the transports').
pub fn help() -> String {
    let mut out = String::from("消息发送 (outgoing messages, issue 17) — environment:\n");
    for (k, v) in liaison_app::SETTINGS_VARS.iter().chain(VARS) {
        out.push_str(&format!("  {k}\n      {v}\n"));
    }
    out
}

fn file(get: &dyn Fn(&str) -> Option<String>, var: &str) -> Result<Option<Vec<u8>>, String> {
    get(var).map(|p| std::fs::read(&p).map_err(|e| format!("{var}: cannot read {p}: {e}"))).transpose()
}

/// The SMTP settings from the environment (`None`: e-mail is off).
pub fn smtp_config(get: &dyn Fn(&str) -> Option<String>) -> Result<Option<smtp::SmtpConfig>, String> {
    let Some(host) = get("LIAISON_SMTP_HOST") else { return Ok(None) };
    let tls = match get("LIAISON_SMTP_TLS") {
        None => smtp::TlsMode::StartTls,
        Some(t) => smtp::TlsMode::parse(&t).ok_or("LIAISON_SMTP_TLS: none, starttls or tls")?,
    };
    let port = match get("LIAISON_SMTP_PORT") {
        None => tls.default_port(),
        Some(p) => p.parse().map_err(|_| "LIAISON_SMTP_PORT: a port number")?,
    };
    let auth = match (get("LIAISON_SMTP_USER"), get("LIAISON_SMTP_PASSWORD")) {
        (Some(u), Some(p)) => Some((u, p)),
        (None, None) => None,
        _ => return Err("LIAISON_SMTP_USER and LIAISON_SMTP_PASSWORD go together".into()),
    };
    let from = get("LIAISON_SMTP_FROM").ok_or("LIAISON_SMTP_FROM: the sender is required with e-mail")?;
    let ca_pem = file(get, "LIAISON_SMTP_CA")?;
    Ok(Some(smtp::SmtpConfig { host, port, tls, auth, from, ca_pem, timeout: Duration::from_secs(30) }))
}

/// The SMS settings from the environment (`None`: SMS is off).
pub fn sms_config(get: &dyn Fn(&str) -> Option<String>) -> Result<Option<sms::AliyunConfig>, String> {
    match get("LIAISON_SMS_PROVIDER").as_deref() {
        None => return Ok(None),
        Some("aliyun") => {}
        Some(_) => return Err("LIAISON_SMS_PROVIDER: aliyun (the one adapter)".into()),
    }
    let need = |k: &str| get(k).ok_or_else(|| format!("{k} is required with SMS"));
    let mut templates = std::collections::BTreeMap::new();
    for pair in get("LIAISON_SMS_TEMPLATES").unwrap_or_default().split(',').filter(|p| !p.trim().is_empty()) {
        let (kind, code) = pair.split_once('=').ok_or("LIAISON_SMS_TEMPLATES: kind=code pairs")?;
        if liaison_core::message::MessageKind::parse(kind).is_none() {
            return Err(format!("LIAISON_SMS_TEMPLATES: no message kind {}", kind.trim()));
        }
        templates.insert(kind.trim().to_owned(), code.trim().to_owned());
    }
    Ok(Some(sms::AliyunConfig {
        endpoint: get("LIAISON_SMS_ENDPOINT").unwrap_or_else(|| "https://dysmsapi.aliyuncs.com/".into()),
        key_id: need("LIAISON_SMS_KEY_ID")?,
        key_secret: need("LIAISON_SMS_KEY_SECRET")?,
        sign_name: need("LIAISON_SMS_SIGN_NAME")?,
        region: get("LIAISON_SMS_REGION").unwrap_or_else(|| "cn-hangzhou".into()),
        templates,
        ca_pem: file(get, "LIAISON_SMS_CA")?,
    }))
}

/// The worker's channels from the environment: the inbox, and e-mail and SMS when configured.
pub fn channels(app: &App, get: &dyn Fn(&str) -> Option<String>) -> Result<Channels, String> {
    let mut c = Channels::standard(app);
    if let Some(cfg) = smtp_config(get)? {
        let mailer = Arc::new(smtp::SmtpMailer::new(&cfg)?);
        c = c.with(MessageChannel::Email, Arc::new(EmailChannel::new(app, mailer)));
    }
    if let Some(cfg) = sms_config(get)? {
        let gateway = Arc::new(sms::AliyunSms::new(cfg)?);
        c = c.with(MessageChannel::Sms, Arc::new(SmsChannel::new(app, gateway)));
    }
    Ok(c)
}

/// A variable of the environment, trimmed, none when empty.
pub fn env(k: &str) -> Option<String> {
    std::env::var(k).ok().map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}
