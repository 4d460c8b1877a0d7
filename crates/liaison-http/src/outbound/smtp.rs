//! E-mail over SMTP with `lettre` (issue 17): plain, STARTTLS (required, not opportunistic) or TLS from
//! the first byte; optional authentication; rustls (no OpenSSL) trusting the system's CA store and the
//! deployment's own CA certificates (`LIAISON_SMTP_CA`, a PEM file: an intranet's mail server with its own
//! CA). One connection per message.

use std::time::Duration;

use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use liaison_app::{Mail, Mailer, Sending, mask_address};
use liaison_core::message::Outcome;

/// How the connection to the SMTP server is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsMode {
    /// None (a relay on the same host or a trusted network).
    None,
    /// STARTTLS, required.
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
}

impl TlsMode {
    /// Parse `none`, `starttls` or `tls`.
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "none" => Some(Self::None),
            "starttls" => Some(Self::StartTls),
            "tls" => Some(Self::Tls),
            _ => None,
        }
    }
    /// The usual port.
    pub fn default_port(self) -> u16 {
        match self {
            Self::None => 25,
            Self::StartTls => 587,
            Self::Tls => 465,
        }
    }
}

/// The SMTP settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpConfig {
    /// The server.
    pub host: String,
    /// Its port.
    pub port: u16,
    /// How the connection is secured.
    pub tls: TlsMode,
    /// The login and password, if the server asks.
    pub auth: Option<(String, String)>,
    /// The sender (`联络室 <lianluo@example.cn>`).
    pub from: String,
    /// CA certificates (PEM) trusted for the server's certificate.
    pub ca_pem: Option<Vec<u8>>,
    /// How long a send may take.
    pub timeout: Duration,
}

/// Sends through one SMTP server.
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl SmtpMailer {
    /// A mailer for `c`; a bad sender or certificate is refused.
    pub fn new(c: &SmtpConfig) -> Result<Self, String> {
        let from: Mailbox = c.from.parse().map_err(|e| format!("LIAISON_SMTP_FROM: {e}"))?;
        let mut b = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&c.host)
            .port(c.port)
            .timeout(Some(c.timeout));
        if c.tls != TlsMode::None {
            let mut p = TlsParameters::builder(c.host.clone());
            for block in split_pem(c.ca_pem.as_deref().unwrap_or_default()) {
                let cert =
                    Certificate::from_pem(block.as_bytes()).map_err(|e| format!("LIAISON_SMTP_CA: {e}"))?;
                p = p.add_root_certificate(cert);
            }
            let p = p.build_rustls().map_err(|e| format!("LIAISON_SMTP_CA: {e}"))?;
            b = b.tls(if c.tls == TlsMode::Tls { Tls::Wrapper(p) } else { Tls::Required(p) });
        }
        if let Some((user, password)) = &c.auth {
            b = b.credentials(Credentials::new(user.clone(), password.clone()));
        }
        Ok(Self { transport: b.build(), from })
    }
}

/// The certificates of a PEM bundle, one block each (lettre reads one per call).
fn split_pem(pem: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(pem);
    let mut out = Vec::new();
    let mut cur = String::new();
    for line in text.lines() {
        if line.starts_with("-----BEGIN CERTIFICATE") {
            cur.clear();
        }
        cur.push_str(line);
        cur.push('\n');
        if line.starts_with("-----END CERTIFICATE") {
            out.push(std::mem::take(&mut cur));
        }
    }
    out
}

impl Mailer for SmtpMailer {
    fn send<'a>(&'a self, mail: &'a Mail) -> Sending<'a> {
        Box::pin(async move {
            // The reason is kept and shown: never with the address in it.
            let scrub = |e: String| e.replace(&mail.to, &mask_address(&mail.to));
            let to: Mailbox = match mail.to.parse() {
                Ok(to) => to,
                Err(_) => return Outcome::Failed("电子邮箱格式不正确 (not an e-mail address)".into()),
            };
            let domain = self.from.email.domain().to_owned();
            let message = Message::builder()
                .from(self.from.clone())
                .to(to)
                .subject(mail.subject.clone())
                .message_id(Some(format!("<{}@{domain}>", mail.message_id)))
                .header(ContentType::TEXT_PLAIN)
                .body(mail.body.clone());
            let message = match message {
                Ok(m) => m,
                Err(e) => return Outcome::Failed(scrub(format!("邮件无法生成 (message not built): {e}"))),
            };
            match self.transport.send(message).await {
                Ok(_) => Outcome::Sent,
                Err(e) => Outcome::Failed(scrub(format!("SMTP: {e}"))),
            }
        })
    }
}
