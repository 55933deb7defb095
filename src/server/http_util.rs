//! Small HTTP helpers: cookies, the client's address, random tokens.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use http::HeaderMap;
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::net::SocketAddr;

/// The value of a cookie in the request's `Cookie` headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim().to_owned())
}

pub struct CookieSpec<'a> {
    pub name: &'a str,
    pub value: &'a str,
    pub max_age_secs: i64,
    pub http_only: bool,
    pub secure: bool,
}

/// A `Set-Cookie` value: path `/`, `SameSite=Lax`, and the given flags.
pub fn set_cookie(spec: &CookieSpec<'_>) -> String {
    let mut out = format!(
        "{}={}; Path=/; Max-Age={}; SameSite=Lax",
        spec.name,
        spec.value,
        spec.max_age_secs.max(0)
    );
    if spec.http_only {
        out.push_str("; HttpOnly");
    }
    if spec.secure {
        out.push_str("; Secure");
    }
    out
}

/// The client's address: the socket peer, or — when the app sits behind a trusted proxy —
/// the last `X-Forwarded-For` hop, the one that proxy appended (earlier hops are whatever
/// the client chose to send).
pub fn client_ip(
    headers: &HeaderMap,
    peer: Option<SocketAddr>,
    trust_forwarded_for: bool,
) -> String {
    if trust_forwarded_for {
        if let Some(first) = headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .map(str::trim)
            .filter(|v| !v.is_empty() && v.len() <= 64)
        {
            return first.to_owned();
        }
    }
    peer.map(|p| p.ip().to_string())
        .unwrap_or_else(|| "unknown".to_owned())
}

/// 32 random bytes, URL-safe base64: the secret part of session cookies and links.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What the database stores instead of a token.
pub fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether the request is a plain HTML form post (no JavaScript): such requests get
/// redirects instead of JSON.
pub fn is_plain_form_post(headers: &HeaderMap) -> bool {
    headers
        .get(http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"))
}

/// A same-site path to go to after sign-in; anything else (other hosts, `//evil`,
/// `/\evil`) becomes `/`.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.starts_with("/\\")
                && path.len() <= 512
                && !path.chars().any(|c| c.is_control()) =>
        {
            path.to_owned()
        }
        _ => "/".to_owned(),
    }
}

pub use crate::domain::url::query_escape;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_found_among_several() {
        let mut headers = HeaderMap::new();
        headers.insert(
            http::header::COOKIE,
            "a=1; atrium_sid=xyz; b=2".parse().unwrap(),
        );
        assert_eq!(cookie(&headers, "atrium_sid").as_deref(), Some("xyz"));
        assert_eq!(cookie(&headers, "atrium"), None);
    }

    #[test]
    fn next_paths_stay_on_this_site() {
        assert_eq!(safe_next(Some("/tickets?tab=mine")), "/tickets?tab=mine");
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "javascript:alert(1)",
        ] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad}");
        }
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn tokens_are_random_and_hashes_stable() {
        let a = random_token();
        assert_ne!(a, random_token());
        assert_eq!(a.len(), 43);
        assert_eq!(
            token_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn forwarded_for_only_when_trusted() {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", "1.2.3.4, 203.0.113.7".parse().unwrap());
        let peer = Some("127.0.0.1:5000".parse().unwrap());
        assert_eq!(client_ip(&headers, peer, false), "127.0.0.1");
        // "1.2.3.4" was sent by the client itself; the proxy appended the real address.
        assert_eq!(client_ip(&headers, peer, true), "203.0.113.7");
    }

    #[test]
    fn cookie_flags() {
        let spec = CookieSpec {
            name: "s",
            value: "v",
            max_age_secs: 60,
            http_only: true,
            secure: true,
        };
        assert_eq!(
            set_cookie(&spec),
            "s=v; Path=/; Max-Age=60; SameSite=Lax; HttpOnly; Secure"
        );
    }
}
