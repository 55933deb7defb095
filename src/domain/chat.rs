//! The rules of a ticket's conversation, shared by the browser and the server: what a
//! message may hold, the key that makes a retried send idempotent, and where a stream
//! resumes.

use super::role::Role;
use super::validate::{self, FieldErrors, Problem};
use serde::{Deserialize, Serialize};

/// The longest message, in characters. Longer text belongs in an attachment.
pub const MESSAGE_MAX: usize = 4_000;
/// Files attached to one message.
pub const MESSAGE_FILES_MAX: usize = 5;
/// Messages fetched in one page of a conversation's history.
pub const PAGE: i64 = 50;

/// A file attached to a message (served, like every attachment, by `/files/{id}`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatFile {
    pub id: i64,
    pub name: String,
    pub size_bytes: i64,
    pub is_image: bool,
}

/// One message as every view of the conversation sees it, on the page and in the
/// stream alike.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatMessage {
    pub id: i64,
    pub ticket_id: i64,
    /// The message's place in the conversation: 1, 2, 3… without gaps.
    pub seq: i64,
    pub author_id: Option<i64>,
    pub author: String,
    pub role: Option<Role>,
    pub body: String,
    pub at: i64,
    /// The sender's idempotency key: lets the sender's views replace the optimistic copy.
    pub client_key: Option<String>,
    pub files: Vec<ChatFile>,
}

/// What a stream carries besides messages: someone read the conversation up to `seq`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadMark {
    pub ticket_id: i64,
    pub user_id: i64,
    pub seq: i64,
}

/// What the composer sends.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MessageInput {
    pub body: String,
    pub client_key: String,
    pub attachments: Vec<i64>,
}

impl MessageInput {
    /// The message as it will be stored, or every problem with it, by field. A message
    /// with files may have no text.
    pub fn check(&self) -> Result<(String, Vec<i64>), FieldErrors> {
        let mut errors = FieldErrors::new();
        let body = if self.body.trim().is_empty() && !self.attachments.is_empty() {
            String::new()
        } else {
            match validate::multiline(&self.body, MESSAGE_MAX) {
                Ok(body) => body,
                Err(problem) => {
                    errors.add("body", problem);
                    String::new()
                }
            }
        };
        if !client_key_ok(&self.client_key) {
            errors.add("client_key", Problem::InvalidFormat);
        }
        let mut files = self.attachments.clone();
        files.sort_unstable();
        files.dedup();
        if files.len() > MESSAGE_FILES_MAX {
            errors.add(
                "attachments",
                Problem::OutOfRange {
                    min: 0,
                    max: MESSAGE_FILES_MAX as i64,
                },
            );
        }
        if errors.0.is_empty() {
            Ok((body, files))
        } else {
            Err(errors)
        }
    }
}

/// A client key: 8 to 64 letters, digits, `-` or `_` (the browser sends a random one).
pub fn client_key_ok(key: &str) -> bool {
    (8..=64).contains(&key.len())
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Where a stream resumes: the `Last-Event-ID` header wins over the `after` parameter;
/// each must be a plain non-negative number of at most 18 digits. `None`: malformed.
pub fn resume_point(last_event_id: Option<&str>, after: Option<&str>) -> Option<i64> {
    let raw = last_event_id.or(after).unwrap_or("0").trim();
    if raw.is_empty() || raw.len() > 18 || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    raw.parse().ok()
}

/// A short excerpt of a message for lists and notices: one line, at most `max`
/// characters, with an ellipsis when cut.
pub fn excerpt(body: &str, max: usize) -> String {
    let line: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() <= max {
        return line;
    }
    let mut cut: String = line.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(body: &str) -> MessageInput {
        MessageInput {
            body: body.to_owned(),
            client_key: "k-1234567890".to_owned(),
            attachments: vec![],
        }
    }

    #[test]
    fn empty_and_huge_messages_are_refused_at_the_body() {
        let empty = input("   \n ").check().unwrap_err();
        assert_eq!(empty.0[0].field, "body");
        assert_eq!(empty.0[0].problem, Problem::Required);
        let huge = input(&"a".repeat(1_000_000)).check().unwrap_err();
        assert_eq!(
            huge.0[0].problem,
            Problem::TooLong {
                max: MESSAGE_MAX as u32
            }
        );
        assert!(input(&"я".repeat(MESSAGE_MAX)).check().is_ok());
    }

    #[test]
    fn markup_is_kept_as_text_and_files_alone_are_a_message() {
        let (body, _) = input("  <script>alert(1)</script>\r\nsecond ")
            .check()
            .unwrap();
        assert_eq!(body, "<script>alert(1)</script>\nsecond");
        let files = MessageInput {
            attachments: vec![3, 3, 2],
            ..input("")
        };
        assert_eq!(files.check().unwrap(), (String::new(), vec![2, 3]));
    }

    #[test]
    fn client_keys_and_resume_points_have_one_shape() {
        assert!(client_key_ok("f3a9c2e1-7b"));
        assert!(!client_key_ok("short"));
        assert!(!client_key_ok("has space in it"));
        assert!(input("hi").check().is_ok());
        let bad = MessageInput {
            client_key: "<x>".repeat(5),
            ..input("hi")
        };
        assert_eq!(bad.check().unwrap_err().0[0].field, "client_key");

        assert_eq!(resume_point(None, None), Some(0));
        assert_eq!(resume_point(Some("42"), Some("7")), Some(42));
        assert_eq!(resume_point(None, Some("7")), Some(7));
        assert_eq!(resume_point(Some("-1"), None), None);
        assert_eq!(resume_point(Some("1e3"), None), None);
        assert_eq!(resume_point(Some("9999999999999999999999"), None), None);
        assert_eq!(resume_point(None, Some("")), None);
    }

    #[test]
    fn excerpts_are_one_short_line() {
        assert_eq!(excerpt("a\n  b", 10), "a b");
        assert_eq!(excerpt("abcdefghijkl", 5), "abcd…");
    }
}
