//! URL helpers shared by the browser and the server.

/// Percent-encodes a query value (everything but unreserved characters).
pub fn query_escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::query_escape;

    #[test]
    fn reserved_and_non_ascii_bytes_are_encoded() {
        assert_eq!(query_escape("a b&c=д"), "a%20b%26c%3D%D0%B4");
        assert_eq!(
            query_escape("/relationship?token=x"),
            "%2Frelationship%3Ftoken%3Dx"
        );
    }
}
