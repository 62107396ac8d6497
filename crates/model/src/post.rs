//! The canonical post and the small enums around it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                let lower = s.trim().to_ascii_lowercase();
                match lower.as_str() {
                    $($text => Ok($name::$variant),)+
                    _ => Err(format!(
                        "unknown {} '{}': expected one of {}",
                        stringify!($name).to_ascii_lowercase(),
                        s,
                        [$($text),+].join(", ")
                    )),
                }
            }
        }
    };
}

string_enum!(
    /// The platform a post was published on.
    Platform {
        Twitter => "twitter",
        Facebook => "facebook",
        Instagram => "instagram",
        Mastodon => "mastodon",
        Bluesky => "bluesky",
        Reddit => "reddit",
        Youtube => "youtube",
        Tiktok => "tiktok",
        Telegram => "telegram",
        Web => "web",
        Other => "other",
    }
);

string_enum!(
    /// What a row is: an original post, a reply in a thread, a comment under a post, a plain
    /// reshare (retweet, boost, repost) or a quote.
    PostKind {
        Post => "post",
        Reply => "reply",
        Comment => "comment",
        Reshare => "reshare",
        Quote => "quote",
    }
);

string_enum!(
    /// The role of an account, from the registry; unregistered accounts are citizens.
    Role {
        Government => "government",
        Politician => "politician",
        Media => "media",
        Organisation => "organisation",
        Citizen => "citizen",
    }
);

string_enum!(
    /// Participation mode of a government post, after the Twente study's ladder
    /// (informeren, adviseren, raadplegen, meebeslissen, coproduceren), plus internal
    /// communication, referral to another channel, and other.
    Mode {
        Inform => "inform",
        Advise => "advise",
        Consult => "consult",
        CoDecide => "co_decide",
        CoProduce => "co_produce",
        Internal => "internal",
        Referral => "referral",
        Other => "other",
    }
);

impl Mode {
    /// The Dutch name the study uses.
    pub fn dutch(self) -> &'static str {
        match self {
            Mode::Inform => "informeren",
            Mode::Advise => "adviseren",
            Mode::Consult => "raadplegen",
            Mode::CoDecide => "meebeslissen",
            Mode::CoProduce => "coproduceren",
            Mode::Internal => "intern",
            Mode::Referral => "doorverwijzen",
            Mode::Other => "overig",
        }
    }
}

/// One post, reply, comment, reshare or quote, whatever platform or export it came from.
/// Counts are `None` when the source does not say them: unknown is never 0.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Post {
    pub platform: Platform,
    /// Platform-native id; (platform, id) is unique in a store.
    pub id: String,
    pub url: Option<String>,
    pub created_at: DateTime<Utc>,
    pub author_id: String,
    /// Handle without the leading '@'.
    pub author_handle: String,
    pub author_name: String,
    pub author_followers: Option<u64>,
    pub kind: PostKind,
    /// Full text with entities expanded; empty for plain reshares.
    pub text: String,
    pub lang: Option<String>,
    /// Id of the thread root.
    pub conversation_id: Option<String>,
    pub in_reply_to_id: Option<String>,
    pub in_reply_to_author_id: Option<String>,
    pub reshare_of_id: Option<String>,
    pub quote_of_id: Option<String>,
    /// Lower-cased handles without '@'.
    pub mentions: Vec<String>,
    /// Lower-cased tags without '#'.
    pub hashtags: Vec<String>,
    /// Expanded URLs.
    pub urls: Vec<String>,
    pub likes: Option<u64>,
    pub reshares: Option<u64>,
    pub replies: Option<u64>,
    pub quotes: Option<u64>,
    pub views: Option<u64>,
    /// Provenance: the file the record came from and its record number (1-based).
    pub source_file: String,
    pub source_record: u64,
}

impl Post {
    /// A post with the required fields set and everything else empty; parsers fill the rest.
    pub fn new(
        platform: Platform,
        id: impl Into<String>,
        created_at: DateTime<Utc>,
        author_id: impl Into<String>,
        author_handle: impl Into<String>,
    ) -> Post {
        Post {
            platform,
            id: id.into(),
            url: None,
            created_at,
            author_id: author_id.into(),
            author_handle: author_handle.into(),
            author_name: String::new(),
            author_followers: None,
            kind: PostKind::Post,
            text: String::new(),
            lang: None,
            conversation_id: None,
            in_reply_to_id: None,
            in_reply_to_author_id: None,
            reshare_of_id: None,
            quote_of_id: None,
            mentions: Vec::new(),
            hashtags: Vec::new(),
            urls: Vec::new(),
            likes: None,
            reshares: None,
            replies: None,
            quotes: None,
            views: None,
            source_file: String::new(),
            source_record: 0,
        }
    }

    /// Reactions as exported: likes + reshares + replies + quotes, counting unknown as absent.
    pub fn reactions(&self) -> u64 {
        [self.likes, self.reshares, self.replies, self.quotes]
            .iter()
            .flatten()
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enums_round_trip_through_their_names() {
        for p in Platform::ALL {
            assert_eq!(p.as_str().parse::<Platform>(), Ok(*p));
        }
        for m in Mode::ALL {
            assert_eq!(m.as_str().parse::<Mode>(), Ok(*m));
        }
        assert_eq!(" Government ".parse::<Role>(), Ok(Role::Government));
        assert!("ministry".parse::<Role>().is_err());
    }

    #[test]
    fn reactions_ignore_unknown_counts() {
        let mut p = Post::new(Platform::Twitter, "1", DateTime::UNIX_EPOCH, "a", "a");
        assert_eq!(p.reactions(), 0);
        p.likes = Some(3);
        p.quotes = Some(2);
        assert_eq!(p.reactions(), 5);
    }
}
