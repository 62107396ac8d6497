//! Pseudonymised authors: every account that is not a focus account is replaced by a keyed hash,
//! `anon_` + the first 16 hex digits of HMAC-SHA256(key, account), wherever it appears —
//! as author (id, handle, display name), as reply target, in the mentions and as `@handle` (or
//! Reddit's `u/name`) inside texts — and in the registry, so roles still apply. An account is its
//! lower-cased handle when the data gives one (a reply target's id is resolved to its author's
//! handle when that author posted in the data), else its id, so one person keeps one pseudonym.
//! The same key gives the same pseudonyms in every run; without the key they cannot be reversed.
//! The platform is not part of the hash (a registry entry may hold for every platform), so one
//! handle on two platforms gets one pseudonym, as it shares one node in the networks.
//!
//! Focus accounts stay named: registered government accounts speak in public office, and the
//! factsheet is about them. Permalinks of pseudonymised posts are dropped (they hold the handle).
//! Names written in plain text (not as a mention) are not found.

use dialoog_model::{Account, Case, Platform, Post, Registry};
use hmac::{Hmac, Mac};
use regex::{Captures, Regex};
use sha2::Sha256;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

/// The shortest key accepted, in bytes: 128 bits.
pub const MIN_KEY_BYTES: usize = 16;

/// Hex digits of the HMAC kept (64 bits: no collisions in practice below billions of accounts).
const HEX_DIGITS: usize = 16;

/// The prefix of every pseudonym.
pub const PREFIX: &str = "anon_";

#[derive(Debug, thiserror::Error)]
pub enum PseudonymError {
    #[error("{path}: cannot read the pseudonymisation key: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{path}: the pseudonymisation key has {bytes} bytes; it needs at least {MIN_KEY_BYTES} (for example: head -c 32 /dev/urandom | base64 > {path})"
    )]
    ShortKey { path: PathBuf, bytes: usize },
}

/// Makes pseudonyms with one secret key.
#[derive(Clone)]
pub struct Pseudonymiser {
    mac: Hmac<Sha256>,
}

impl std::fmt::Debug for Pseudonymiser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pseudonymiser { key: hidden }")
    }
}

impl Pseudonymiser {
    /// Reads the key from a file: its bytes, surrounding whitespace (a final newline) trimmed.
    pub fn from_key_file(path: &Path) -> Result<Pseudonymiser, PseudonymError> {
        let bytes = std::fs::read(path).map_err(|source| PseudonymError::Io {
            path: path.to_owned(),
            source,
        })?;
        let key = bytes.trim_ascii();
        if key.len() < MIN_KEY_BYTES {
            return Err(PseudonymError::ShortKey {
                path: path.to_owned(),
                bytes: key.len(),
            });
        }
        Ok(Pseudonymiser::with_key(key))
    }

    /// A pseudonymiser with the given key (check its length first: see [`MIN_KEY_BYTES`]).
    pub fn with_key(key: &[u8]) -> Pseudonymiser {
        // HMAC accepts keys of any length; `new_from_slice` cannot fail for it.
        let mac = match Hmac::<Sha256>::new_from_slice(key) {
            Ok(mac) => mac,
            Err(_) => unreachable!("HMAC takes keys of any length"),
        };
        Pseudonymiser { mac }
    }

    /// The pseudonym of an account (a lower-cased handle, or an id prefixed by `id:`).
    fn pseudonym(&self, account: &str) -> String {
        let mut mac = self.mac.clone();
        mac.update(account.as_bytes());
        let digest = mac.finalize().into_bytes();
        let mut out = String::with_capacity(PREFIX.len() + HEX_DIGITS);
        out.push_str(PREFIX);
        for byte in digest.iter().take(HEX_DIGITS / 2) {
            out.push_str(&format!("{byte:02x}"));
        }
        out
    }

    /// The pseudonym of a handle.
    pub fn of_handle(&self, handle: &str) -> String {
        self.pseudonym(&handle.trim_start_matches('@').to_lowercase())
    }

    /// The pseudonym of an account known only by its id.
    pub fn of_id(&self, id: &str) -> String {
        self.pseudonym(&format!("id:{id}"))
    }
}

static MENTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?P<sigil>@|\bu/)(?P<name>[A-Za-z0-9_]+)").expect("a valid constant pattern")
});

/// Replaces every author that is not a focus account in `posts`, and returns the registry with
/// its non-focus accounts replaced the same way (so their roles still apply).
pub fn pseudonymise(
    posts: &mut [Post],
    registry: &Registry,
    case: &Case,
    key: &Pseudonymiser,
) -> Registry {
    let mut handles: HashMap<String, String> = HashMap::new();
    for post in posts.iter() {
        if !post.author_handle.is_empty() && !post.author_id.is_empty() {
            handles
                .entry(post.author_id.clone())
                .or_insert_with(|| post.author_handle.to_lowercase());
        }
    }
    let mut names = Names {
        key,
        registry,
        case,
        handles: &handles,
        cache: HashMap::new(),
    };
    for post in posts.iter_mut() {
        let platform = post.platform;
        if let Some(pseudonym) = names.of(platform, &post.author_id, &post.author_handle) {
            post.author_id = pseudonym.clone();
            post.author_handle = pseudonym.clone();
            post.author_name = pseudonym;
            post.url = None;
        }
        if let Some(target) = &post.in_reply_to_author_id
            && let Some(pseudonym) = names.of(platform, target, "")
        {
            post.in_reply_to_author_id = Some(pseudonym);
        }
        for mention in &mut post.mentions {
            if let Some(pseudonym) = names.of(platform, "", mention) {
                *mention = pseudonym;
            }
        }
        post.text = replace_mentions(&post.text, |name| names.of(platform, "", name));
    }
    let accounts = registry
        .accounts()
        .iter()
        .map(|account| {
            let platform = account.platform.unwrap_or(Platform::Other);
            let id = account.id.as_deref().unwrap_or_default();
            let handle = account.handle.as_deref().unwrap_or_default();
            match names.of(platform, id, handle) {
                Some(pseudonym) => Account {
                    handle: Some(pseudonym.clone()),
                    id: Some(pseudonym),
                    ..account.clone()
                },
                None => account.clone(),
            }
        })
        .collect();
    Registry::new(accounts)
}

/// `@name` and `u/name` in a text, not directly after a letter, digit, `_` or `@`, replaced by
/// `@` / `u/` + what `rename` gives (kept when it gives `None`).
fn replace_mentions(text: &str, mut rename: impl FnMut(&str) -> Option<String>) -> String {
    if !text.contains('@') && !text.contains("u/") {
        return text.to_owned();
    }
    MENTION
        .replace_all(text, |caps: &Captures| {
            let whole = caps.get(0).map_or("", |m| m.as_str());
            let start = caps.get(0).map_or(0, |m| m.start());
            let after_word = text[..start]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '@');
            let (Some(sigil), Some(name)) = (caps.name("sigil"), caps.name("name")) else {
                return whole.to_owned();
            };
            if after_word {
                return whole.to_owned();
            }
            match rename(name.as_str()) {
                Some(pseudonym) => format!("{}{pseudonym}", sigil.as_str()),
                None => whole.to_owned(),
            }
        })
        .into_owned()
}

/// Decides and remembers each account's pseudonym (`None`: a focus account, kept).
struct Names<'a> {
    key: &'a Pseudonymiser,
    registry: &'a Registry,
    case: &'a Case,
    /// Author id → lower-cased handle, from the posts.
    handles: &'a HashMap<String, String>,
    cache: HashMap<(Platform, String, String), Option<String>>,
}

impl Names<'_> {
    fn of(&mut self, platform: Platform, id: &str, handle: &str) -> Option<String> {
        let handle = if handle.is_empty() {
            self.handles.get(id).map_or("", String::as_str)
        } else {
            handle
        };
        if id.is_empty() && handle.is_empty() {
            return None;
        }
        let cache_key = (platform, id.to_owned(), handle.to_lowercase());
        if let Some(known) = self.cache.get(&cache_key) {
            return known.clone();
        }
        let focus = self
            .case
            .is_focus_account(self.registry, platform, id, handle);
        let name = (!focus && !handle.starts_with(PREFIX)).then(|| {
            if handle.is_empty() {
                self.key.of_id(id)
            } else {
                self.key.of_handle(handle)
            }
        });
        self.cache.insert(cache_key, name.clone());
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use dialoog_model::Role;

    fn key() -> Pseudonymiser {
        Pseudonymiser::with_key(b"0123456789abcdef-test-key")
    }

    fn post(id: &str, author_id: &str, handle: &str, text: &str) -> Post {
        let mut post = Post::new(
            Platform::Twitter,
            id,
            Utc.with_ymd_and_hms(2024, 1, 1, 12, 0, 0).unwrap(),
            author_id,
            handle,
        );
        post.text = text.into();
        post.author_name = format!("{handle} Name");
        post.url = Some(format!("https://twitter.com/{handle}/status/{id}"));
        post.mentions = dialoog_model_mentions(text);
        post
    }

    fn dialoog_model_mentions(text: &str) -> Vec<String> {
        MENTION
            .captures_iter(text)
            .filter(|c| &c["sigil"] == "@")
            .map(|c| c["name"].to_lowercase())
            .collect()
    }

    fn registry() -> Registry {
        Registry::new(vec![
            Account {
                platform: Some(Platform::Twitter),
                handle: Some("Gemeente".into()),
                id: None,
                role: Role::Government,
                organisation: "Gemeente".into(),
                level: "municipality".into(),
            },
            Account {
                platform: Some(Platform::Twitter),
                handle: None,
                id: Some("77".into()),
                role: Role::Media,
                organisation: "Krant".into(),
                level: String::new(),
            },
        ])
    }

    #[test]
    fn authors_mentions_and_reply_targets_get_one_pseudonym_focus_stays() {
        let mut posts = vec![
            post(
                "1",
                "10",
                "Jan",
                "@gemeente mijn straat is kapot, zie ook @Piet en u/piet",
            ),
            post("2", "20", "gemeente", "@jan bedankt, we kijken ernaar"),
            post("3", "77", "krant", "RT @jan: mijn straat"),
            post("4", "30", "piet", "hoi"),
        ];
        posts[1].in_reply_to_author_id = Some("10".into());
        posts[0].in_reply_to_author_id = Some("20".into());
        let original = posts.clone();
        let case = Case::default();
        let registry = pseudonymise(&mut posts, &registry(), &case, &key());

        let jan = key().of_handle("jan");
        let piet = key().of_handle("piet");
        assert!(jan.starts_with(PREFIX) && jan.len() == PREFIX.len() + HEX_DIGITS);
        assert_eq!(posts[0].author_handle, jan);
        assert_eq!(posts[0].author_id, jan);
        assert_eq!(posts[0].author_name, jan);
        assert_eq!(posts[0].url, None);
        assert_eq!(
            posts[0].text,
            format!("@gemeente mijn straat is kapot, zie ook @{piet} en u/{piet}")
        );
        assert_eq!(posts[0].mentions, vec!["gemeente".to_owned(), piet.clone()]);
        assert_eq!(posts[0].in_reply_to_author_id.as_deref(), Some("20"));
        // The focus account keeps its name; its reply target becomes the same pseudonym.
        assert_eq!(posts[1].author_handle, "gemeente");
        assert_eq!(posts[1].url, original[1].url);
        assert_eq!(posts[1].text, format!("@{jan} bedankt, we kijken ernaar"));
        assert_eq!(
            posts[1].in_reply_to_author_id.as_deref(),
            Some(jan.as_str())
        );
        assert_eq!(posts[3].author_handle, piet);
        // A registered non-focus account is pseudonymised in posts and registry alike.
        let krant = key().of_handle("krant");
        assert_eq!(posts[2].author_handle, krant);
        assert_eq!(posts[2].text, format!("RT @{jan}: mijn straat"));
        assert_eq!(registry.role_of(&posts[2]), Role::Media);
        assert_eq!(registry.role_of(&posts[1]), Role::Government);
        assert_eq!(registry.role_of(&posts[0]), Role::Citizen);
        // No original handle, id or name of a non-focus author is left anywhere.
        let all = format!("{posts:?}");
        for name in ["Jan", "jan", "piet", "krant", "\"10\"", "\"30\""] {
            assert!(!all.contains(name), "{name} left in {all}");
        }
    }

    #[test]
    fn stable_with_one_key_different_with_another() {
        let a = key().of_handle("@Jan");
        assert_eq!(a, key().of_handle("jan"));
        assert_ne!(a, key().of_handle("piet"));
        assert_ne!(
            a,
            Pseudonymiser::with_key(b"another key of 16+ bytes").of_handle("jan")
        );
        assert_ne!(a, key().of_id("jan"));
        let mut first = vec![post("1", "10", "jan", "@piet hoi")];
        let mut second = first.clone();
        pseudonymise(&mut first, &registry(), &Case::default(), &key());
        pseudonymise(&mut second, &registry(), &Case::default(), &key());
        assert_eq!(first, second);
    }

    #[test]
    fn key_files_must_exist_and_be_long_enough() {
        let folder = tempfile::tempdir().unwrap();
        let short = folder.path().join("short.key");
        std::fs::write(&short, "too short\n").unwrap();
        let error = Pseudonymiser::from_key_file(&short)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("short.key") && error.contains("9 bytes"),
            "{error}"
        );
        let missing = folder.path().join("missing.key");
        let error = Pseudonymiser::from_key_file(&missing)
            .unwrap_err()
            .to_string();
        assert!(error.contains("missing.key"), "{error}");
        let good = folder.path().join("good.key");
        std::fs::write(&good, "0123456789abcdef-test-key\n").unwrap();
        let from_file = Pseudonymiser::from_key_file(&good).unwrap();
        assert_eq!(from_file.of_handle("jan"), key().of_handle("jan"));
    }

    #[test]
    fn mentions_inside_words_and_emails_stay() {
        let renamed = replace_mentions("mail jan@piet.nl, @@x, @piet!", |_| Some("P".into()));
        assert_eq!(renamed, "mail jan@piet.nl, @@x, @P!");
    }
}
