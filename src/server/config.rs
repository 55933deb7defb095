//! Runtime settings: defaults in `Leptos.toml` (section `[atrium]`), overridden by
//! environment variables. Leptos' own settings (address, site root) are read by
//! `leptos::config::get_configuration` from the same file.

use crate::domain::works::VatMode;
use serde::Deserialize;
use std::path::Path;

#[derive(Clone, Debug)]
pub struct Config {
    /// `sqlite://…` or `postgres://…`.
    pub database_url: String,
    /// The address users reach the app at; links in e-mails start with it.
    pub public_url: String,
    /// `smtp://host:port` or `smtps://user:pass@host`; without it mail stays in the outbox.
    pub smtp_url: Option<String>,
    pub mail_from: String,
    pub session_idle_minutes: i64,
    pub session_absolute_hours: i64,
    pub reset_token_minutes: i64,
    pub login_failures_per_account: i64,
    pub login_failures_per_address: i64,
    pub login_failure_window_minutes: i64,
    /// Send the session cookie with `Secure` (default: when `public_url` is https).
    pub secure_cookies: bool,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_forwarded_for: bool,
    /// Where attachments are stored (shared by every instance of a scaled-out setup).
    pub files_dir: String,
    /// The largest attachment accepted, in megabytes.
    pub max_upload_mb: i64,
    /// How long a new message may stay unread before its members are notified (in-app
    /// and by e-mail, batched); whoever has the conversation open reads it before then.
    pub chat_notice_seconds: i64,
    /// How VAT applies to completed works: `none`, `included:20` or `on-top:20`.
    pub vat: VatMode,
    /// The currency of prices on acts (ISO code).
    pub currency: String,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
struct FileSettings {
    database_url: Option<String>,
    public_url: Option<String>,
    smtp_url: Option<String>,
    mail_from: Option<String>,
    session_idle_minutes: Option<i64>,
    session_absolute_hours: Option<i64>,
    reset_token_minutes: Option<i64>,
    login_failures_per_account: Option<i64>,
    login_failures_per_address: Option<i64>,
    login_failure_window_minutes: Option<i64>,
    secure_cookies: Option<bool>,
    trust_forwarded_for: Option<bool>,
    files_dir: Option<String>,
    max_upload_mb: Option<i64>,
    chat_notice_seconds: Option<i64>,
    vat: Option<String>,
    currency: Option<String>,
}

#[derive(Deserialize, Default)]
struct FileRoot {
    #[serde(default)]
    atrium: FileSettings,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {0}: {1}")]
    Read(String, std::io::Error),
    #[error("{0} is not valid TOML: {1}")]
    Parse(String, toml::de::Error),
    #[error("environment variable {0} must be {1}")]
    Env(&'static str, &'static str),
}

impl Config {
    /// Reads `path` (if it exists) and the environment.
    pub fn load(path: &Path, default_public_url: &str) -> Result<Config, ConfigError> {
        let file = if path.exists() {
            let text = std::fs::read_to_string(path)
                .map_err(|e| ConfigError::Read(path.display().to_string(), e))?;
            toml::from_str::<FileRoot>(&text)
                .map_err(|e| ConfigError::Parse(path.display().to_string(), e))?
                .atrium
        } else {
            FileSettings::default()
        };
        Self::from_sources(
            file,
            |name| std::env::var(name).ok().filter(|v| !v.is_empty()),
            default_public_url,
        )
    }

    fn from_sources(
        file: FileSettings,
        env: impl Fn(&str) -> Option<String>,
        default_public_url: &str,
    ) -> Result<Config, ConfigError> {
        let int = |name: &'static str,
                   file_value: Option<i64>,
                   default: i64|
         -> Result<i64, ConfigError> {
            match env(name) {
                Some(v) => v
                    .parse::<i64>()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or(ConfigError::Env(name, "a positive integer")),
                None => Ok(file_value.unwrap_or(default)),
            }
        };
        let flag = |name: &'static str,
                    file_value: Option<bool>,
                    default: bool|
         -> Result<bool, ConfigError> {
            match env(name).as_deref() {
                Some("1" | "true" | "yes") => Ok(true),
                Some("0" | "false" | "no") => Ok(false),
                Some(_) => Err(ConfigError::Env(name, "true or false")),
                None => Ok(file_value.unwrap_or(default)),
            }
        };
        let public_url = env("ATRIUM_PUBLIC_URL")
            .or(file.public_url)
            .unwrap_or_else(|| default_public_url.to_owned())
            .trim_end_matches('/')
            .to_owned();
        let https = public_url.starts_with("https://");
        Ok(Config {
            database_url: env("DATABASE_URL")
                .or(file.database_url)
                .unwrap_or_else(|| "sqlite://data/atrium.db".to_owned()),
            smtp_url: env("SMTP_URL").or(file.smtp_url),
            mail_from: env("ATRIUM_MAIL_FROM")
                .or(file.mail_from)
                .unwrap_or_else(|| "Atrium <no-reply@atrium.local>".to_owned()),
            session_idle_minutes: int(
                "ATRIUM_SESSION_IDLE_MINUTES",
                file.session_idle_minutes,
                120,
            )?,
            session_absolute_hours: int(
                "ATRIUM_SESSION_ABSOLUTE_HOURS",
                file.session_absolute_hours,
                168,
            )?,
            reset_token_minutes: int("ATRIUM_RESET_TOKEN_MINUTES", file.reset_token_minutes, 60)?,
            login_failures_per_account: int(
                "ATRIUM_LOGIN_FAILURES_PER_ACCOUNT",
                file.login_failures_per_account,
                5,
            )?,
            login_failures_per_address: int(
                "ATRIUM_LOGIN_FAILURES_PER_ADDRESS",
                file.login_failures_per_address,
                30,
            )?,
            login_failure_window_minutes: int(
                "ATRIUM_LOGIN_FAILURE_WINDOW_MINUTES",
                file.login_failure_window_minutes,
                15,
            )?,
            secure_cookies: flag("ATRIUM_SECURE_COOKIES", file.secure_cookies, https)?,
            trust_forwarded_for: flag(
                "ATRIUM_TRUST_FORWARDED_FOR",
                file.trust_forwarded_for,
                false,
            )?,
            files_dir: env("ATRIUM_FILES_DIR")
                .or(file.files_dir)
                .unwrap_or_else(|| "data/files".to_owned()),
            max_upload_mb: int("ATRIUM_MAX_UPLOAD_MB", file.max_upload_mb, 10)?,
            chat_notice_seconds: int("ATRIUM_CHAT_NOTICE_SECONDS", file.chat_notice_seconds, 120)?,
            vat: match env("ATRIUM_VAT").or(file.vat) {
                Some(text) => VatMode::parse(&text).ok_or(ConfigError::Env(
                    "ATRIUM_VAT",
                    "none, included:<percent> or on-top:<percent>",
                ))?,
                None => VatMode::OnTop(2000),
            },
            currency: {
                let code = env("ATRIUM_CURRENCY")
                    .or(file.currency)
                    .unwrap_or_else(|| "RUB".to_owned());
                if code.len() != 3 || !code.chars().all(|c| c.is_ascii_uppercase()) {
                    return Err(ConfigError::Env(
                        "ATRIUM_CURRENCY",
                        "a three-letter ISO code",
                    ));
                }
                code
            },
            public_url,
        })
    }

    /// Settings for tests: a given database, mail to the outbox, small limits.
    pub fn for_tests(database_url: &str) -> Config {
        Self::from_sources(FileSettings::default(), |_| None, "http://127.0.0.1:3000")
            .map(|c| Config {
                database_url: database_url.to_owned(),
                files_dir: std::env::temp_dir()
                    .join(format!("atrium-files-{}", std::process::id()))
                    .display()
                    .to_string(),
                ..c
            })
            .unwrap_or_else(|_| unreachable!("defaults are valid"))
    }

    pub fn is_postgres(&self) -> bool {
        self.database_url.starts_with("postgres:") || self.database_url.starts_with("postgresql:")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn environment_overrides_file_and_file_overrides_defaults() {
        let file: FileRoot = toml::from_str(
            "[atrium]\ndatabase-url = \"sqlite://x.db\"\nsession-idle-minutes = 30\npublic-url = \"https://desk.example.com/\"\n",
        )
        .unwrap();
        let env: HashMap<&str, &str> = [("DATABASE_URL", "postgres://db/atrium")].into();
        let config = Config::from_sources(
            file.atrium,
            |k| env.get(k).map(|v| v.to_string()),
            "http://localhost",
        )
        .unwrap();
        assert_eq!(config.database_url, "postgres://db/atrium");
        assert!(config.is_postgres());
        assert_eq!(config.session_idle_minutes, 30);
        assert_eq!(config.session_absolute_hours, 168);
        assert_eq!(config.public_url, "https://desk.example.com");
        assert!(
            config.secure_cookies,
            "https public URL implies Secure cookies"
        );
    }

    #[test]
    fn malformed_environment_values_are_refused() {
        let env: HashMap<&str, &str> = [("ATRIUM_SESSION_IDLE_MINUTES", "soon")].into();
        let result = Config::from_sources(
            FileSettings::default(),
            |k| env.get(k).map(|v| v.to_string()),
            "http://x",
        );
        assert!(matches!(
            result,
            Err(ConfigError::Env("ATRIUM_SESSION_IDLE_MINUTES", _))
        ));
    }
}
