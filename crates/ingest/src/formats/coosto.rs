//! Coosto's CSV export of messages: the social-media monitoring tool many Dutch governments'
//! webcare teams use. Recognised by its columns, Dutch or English, as AmCAT's importer of these
//! exports names them (amcat/amcat `amcat/scripts/article_upload/coosto.py` @81d2078: `datum`,
//! `url`, `auteur`, `bericht tekst`, `zoekopdracht`, `type bron`, …; `views` in newer exports for
//! `bereik`). Coosto writes them separated by semicolons; a comma-separated copy reads too. No
//! export that may be shipped was found: the test fixtures are rows written in these columns (see
//! tests/fixtures/coosto).
//!
//! Each row is one message. Coosto gives no message or account ids, so a post's id comes from its
//! link: a tweet's link gives its tweet id and an Instagram link its shortcode (as the platforms'
//! own exports and CrowdTangle's have them), any other link is the id as written. A comment,
//! reply or share off X takes its link with its author and time: comments may carry the link of
//! the post they are under, and would otherwise be taken for one message. The platform is
//! the link's; a link on no known platform takes the platform the `type bron` names: news, blogs
//! and forums (which Coosto monitors beside social media) are the web, as is a link without one. `datum` is Dutch
//! local time (`2024-03-01 09:00`, Europe/Amsterdam). The author's handle stands in for their id.
//! `type` tells comments, replies and retweets from posts; a tweet that starts with `RT @` is a
//! retweet too. `volgers` are the author's followers, `discussielengte` the replies. Coosto's own
//! sentiment, reach and influence are left out: the factsheet measures its own. Mentions, hashtags
//! and links come from the text (not a retweet's); a message without text takes its title. The record number is
//! the line (the header is line 1).

use super::Handler;
use super::csv::{has_columns, read_named_delimited, sniff_header_with, tweet_id_of_link};
use super::fields::Fields;
use super::{parse_with_format_in, platform_of_link};
use crate::context::Reject;
use crate::entities;
use crate::{Format, IngestError, InputFile, Options, Post, input};
use chrono::{DateTime, Utc};
use dialoog_model::{Platform, PostKind};

pub(crate) const HANDLER: Handler = Handler {
    format: Format::Coosto,
    name: "coosto",
    description: "Coosto's CSV export of messages (Dutch or English column names), recognised by its columns",
    example: "dialoog ingest coosto-export.csv --store case.store",
    sniff,
    read,
};

/// The columns of one language of the export that Dialoog reads, and two that only Coosto writes.
struct Columns {
    date: &'static str,
    url: &'static str,
    author: &'static str,
    text: &'static str,
    title: &'static str,
    kind: &'static str,
    source: &'static str,
    followers: &'static str,
    discussion: &'static str,
    query: &'static str,
}

const DUTCH: Columns = Columns {
    date: "datum",
    url: "url",
    author: "auteur",
    text: "bericht tekst",
    title: "titel",
    kind: "type",
    source: "type bron",
    followers: "volgers",
    discussion: "discussielengte",
    query: "zoekopdracht",
};

const ENGLISH: Columns = Columns {
    date: "date",
    url: "url",
    author: "author",
    text: "message text",
    title: "title",
    kind: "type",
    source: "source",
    followers: "followers",
    discussion: "discussion length",
    query: "query",
};

/// Views in exports that write them (`bereik`, reach, is an estimate of the audience instead).
const VIEWS: &str = "views";

/// The delimiter and the language of the columns, when the head is such an export: the date,
/// link, author and text, and one of the columns no other tool writes (the search query, the
/// discussion length).
fn layout(head: &[u8]) -> Option<(u8, &'static Columns)> {
    [b';', b','].into_iter().find_map(|delimiter| {
        let header = sniff_header_with(head, delimiter)?;
        [&DUTCH, &ENGLISH].into_iter().find_map(|columns| {
            let named = has_columns(
                &header,
                &[columns.date, columns.url, columns.author, columns.text],
            ) && (has_columns(&header, &[columns.query])
                || has_columns(&header, &[columns.discussion]));
            named.then_some((delimiter, columns))
        })
    })
}

fn sniff(head: &[u8]) -> bool {
    layout(head).is_some()
}

fn read(
    file: &InputFile,
    _options: &Options,
    ctx: &mut crate::context::Ctx<'_>,
) -> Result<(), IngestError> {
    let head = input::head(&file.path, input::SNIFF_BYTES)?;
    let head = match super::csv::excel_separator(&head) {
        Some((_, line)) => head.get(line..).unwrap_or_default().to_vec(),
        None => head,
    };
    let (delimiter, columns) = layout(&head).unwrap_or((b';', &DUTCH));
    read_named_delimited(file, ctx, delimiter, |row| to_post(row, columns))
}

/// The zone of `datum`: Coosto is a Dutch tool and writes local time without an offset.
const ZONE: chrono_tz::Tz = chrono_tz::Europe::Amsterdam;

/// `2024-03-01 09:00` (seconds optional), or as Dutch Excel writes dates (`1-3-2024 09:00`),
/// in Dutch local time.
fn date(text: &str) -> Option<DateTime<Utc>> {
    [
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%d-%m-%Y %H:%M",
        "%d-%m-%Y %H:%M:%S",
    ]
    .iter()
    .find_map(|format| parse_with_format_in(text, format, Some(ZONE)))
}

/// A message's id from its link: a tweet's id; for any other comment, reply or share the link
/// with the author and the time (Unix seconds), since comments may carry the link of the post
/// they are under (distinct comments under one post keep apart, and one comment listed under
/// two search queries is still one); an Instagram post's shortcode; else the link.
fn id_of(
    platform: Platform,
    kind: PostKind,
    link: &str,
    handle: &str,
    created_at: DateTime<Utc>,
) -> String {
    match (platform, tweet_id_of_link(link)) {
        (Platform::Twitter, Some(tweet)) => tweet.to_owned(),
        _ if kind != PostKind::Post => format!("{link}#{handle}@{}", created_at.timestamp()),
        (Platform::Instagram, _) => instagram_shortcode(link).unwrap_or(link).to_owned(),
        _ => link.to_owned(),
    }
}

/// The shortcode of `https://www.instagram.com/p/<shortcode>/` (also `/reel/` and `/tv/`).
fn instagram_shortcode(link: &str) -> Option<&str> {
    let (_, after_scheme) = link.split_once("://")?;
    let (_, path) = after_scheme.split_once('/')?;
    let path = path.split(['?', '#']).next()?;
    let mut segments = path.split('/').filter(|s| !s.is_empty());
    segments.find(|s| matches!(*s, "p" | "reel" | "tv"))?;
    segments.next().filter(|code| {
        code.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    })
}

/// The platform a `type bron` names, for links on no known platform: news sites, blogs and
/// forums are the web; a platform Dialoog has no name for (LinkedIn, Pinterest) is other.
fn platform_of_source(source: &str) -> Platform {
    let source = source.trim().to_lowercase();
    let web = ["nieuws", "news", "blog", "forum", "fora", "web", "review"];
    match source.parse::<Platform>() {
        Ok(platform) => platform,
        Err(_) if source == "x" => Platform::Twitter,
        Err(_) if web.iter().any(|w| source.contains(w)) => Platform::Web,
        Err(_) => Platform::Other,
    }
}

/// What `type` says a message is; `None` for an original post or a kind Dialoog has no name for.
fn kind_of(kind: &str) -> Option<PostKind> {
    match kind.trim().to_lowercase().as_str() {
        "comment" | "comments" | "reactie" | "reacties" => Some(PostKind::Comment),
        "reply" | "replies" | "antwoord" => Some(PostKind::Reply),
        "retweet" | "repost" | "reshare" | "share" | "gedeeld" => Some(PostKind::Reshare),
        "quote" | "quote tweet" | "citaat" => Some(PostKind::Quote),
        _ => None,
    }
}

fn to_post(row: &dyn Fields, columns: &Columns) -> Result<Post, Reject> {
    let link = row
        .text(columns.url)?
        .ok_or_else(|| Reject::missing(columns.url))?
        .into_owned();
    let created_at = row.time(columns.date, date)?;
    let handle = row
        .text(columns.author)?
        .ok_or_else(|| Reject::missing(columns.author))?
        .trim_start_matches('@')
        .to_owned();
    let platform = match platform_of_link(&link) {
        Platform::Other => row
            .text(columns.source)?
            .map_or(Platform::Web, |source| platform_of_source(&source)),
        known => known,
    };
    let text = match row.text(columns.text)? {
        Some(text) => text.into_owned(),
        None => row.text(columns.title)?.unwrap_or_default().into_owned(),
    };
    let retweet = platform == Platform::Twitter && text.starts_with("RT @");
    let kind = match row.text(columns.kind)? {
        Some(kind) => kind_of(&kind),
        None => None,
    }
    .or(retweet.then_some(PostKind::Reshare))
    .unwrap_or(PostKind::Post);
    let id = id_of(platform, kind, &link, &handle, created_at);
    let mut post = Post::new(platform, id.clone(), created_at, handle.clone(), handle);
    post.url = Some(link);
    post.text = text;
    post.kind = kind;
    if kind == PostKind::Post {
        post.conversation_id = Some(id);
    }
    post.author_followers = row.count(columns.followers)?;
    post.replies = row.count(columns.discussion)?;
    post.views = row.count(VIEWS)?;
    // A retweet's text is the original's: its mentions and links are the original's too.
    if post.kind != PostKind::Reshare {
        entities::fill_from_text(&mut post);
    }
    Ok(post)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_the_language_and_delimiter_by_the_columns() {
        let dutch = b"zoekopdracht;datum;url;sentiment;type;discussielengte;bereik;auteur;volgers;invloed;GPS breedtegraad;GPS lengtegraad;bericht tekst;type bron;titel\n";
        assert!(matches!(layout(dutch), Some((b';', c)) if c.text == "bericht tekst"));
        let english = b"query,date,url,sentiment,type,discussion length,reach,author,followers,influence,GPS latitude,GPS longitude,message text,source,title\n";
        assert!(matches!(layout(english), Some((b',', c)) if c.text == "message text"));
        // A generic export with a date, link, author and text is not taken for Coosto's.
        assert!(layout(b"date;url;author;message text\n").is_none());
        assert!(layout(b"id,thread_id,timestamp,body,author\n").is_none());
    }

    #[test]
    fn dates_are_dutch_local_time() {
        let winter = date("2024-03-01 09:00").unwrap();
        assert_eq!(winter.to_rfc3339(), "2024-03-01T08:00:00+00:00");
        let summer = date("2024-07-01 09:00:30").unwrap();
        assert_eq!(summer.to_rfc3339(), "2024-07-01T07:00:30+00:00");
        let excel = date("1-3-2024 09:00").unwrap();
        assert_eq!(excel, winter);
        assert!(date("morgen").is_none());
    }

    #[test]
    fn ids_come_from_the_links() {
        let at = date("2024-03-01 09:00").unwrap();
        let id = |platform, kind, link| id_of(platform, kind, link, "burger", at);
        let tweet = "https://twitter.com/gemeente/status/1763500000000000001";
        assert_eq!(
            id(Platform::Twitter, PostKind::Post, tweet),
            "1763500000000000001"
        );
        assert_eq!(
            id(Platform::Twitter, PostKind::Reply, tweet),
            "1763500000000000001"
        );
        let insta = "https://www.instagram.com/p/C4abc_-1x/?igsh=x";
        assert_eq!(id(Platform::Instagram, PostKind::Post, insta), "C4abc_-1x");
        assert_eq!(
            id(Platform::Instagram, PostKind::Comment, insta),
            format!("{insta}#burger@1709280000")
        );
        let page = "https://www.nu.nl/binnenland/123/artikel.html";
        assert_eq!(id(Platform::Web, PostKind::Post, page), page);
        let profile = "https://twitter.com/gemeente";
        assert_eq!(id(Platform::Twitter, PostKind::Post, profile), profile);
    }

    #[test]
    fn kinds_and_sources() {
        assert_eq!(kind_of("Comment"), Some(PostKind::Comment));
        assert_eq!(kind_of("retweet"), Some(PostKind::Reshare));
        assert_eq!(kind_of("post"), None);
        assert_eq!(platform_of_source("Facebook"), Platform::Facebook);
        assert_eq!(platform_of_source("X"), Platform::Twitter);
        assert_eq!(platform_of_source("nieuws"), Platform::Web);
        assert_eq!(platform_of_source("Online nieuws"), Platform::Web);
        assert_eq!(platform_of_source("fora"), Platform::Web);
        assert_eq!(platform_of_source("LinkedIn"), Platform::Other);
    }
}
