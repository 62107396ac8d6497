//! 4CAT's CSV export of a dataset, recognised by the columns every 4CAT data source writes (`id`,
//! `thread_id`, `timestamp`, `body`, `author`); other columns differ per data source and are read
//! where present.
//!
//! The platform is told by the post's link (`link`, `url`, `post_url`, `permalink`): twitter.com or
//! x.com, instagram.com, tiktok.com, facebook.com, youtube.com, reddit.com, t.me, bsky.app; anything
//! else is `other`. The time is `unix_timestamp`, else `timestamp` (UTC, `2021-04-08 19:34:16`).
//! `thread_id` is the conversation. `is_retweet`, `is_reply` and `is_quote_tweet` (`yes`) make a
//! reshare (with empty text: 4CAT writes `RT @name: ` and the retweeted text), a reply or a quote;
//! 4CAT keeps the replied-to or reshared account's name (`replied_user`, `retweeted_user`) but no
//! post id, so those stay unknown. The author id is `author_id`, else the handle `author`; the name
//! is `author_fullname`. Counts are read under their usual 4CAT names (`like_count`, `num_likes`,
//! …). Mentions, hashtags and URLs come from the comma-separated `mentions`, `hashtags` and `urls`
//! columns, else from the text. The record number is the line (the header is line 1).

use super::Handler;
use super::csv::{has_columns, read_named, sniff_header};
use super::fields::{Fields, unix_time, utc_time};
use super::platform_of_link;
use crate::context::{Ctx, Reject};
use crate::entities::{self, language, push_unique};
use crate::{Format, IngestError, InputFile, Options, Post};
use dialoog_model::{Platform, PostKind};

pub(crate) const HANDLER: Handler = Handler {
    format: Format::FourCat,
    name: "4cat",
    description: "a 4CAT dataset exported as CSV (any data source), recognised by 4CAT's columns",
    example: "dialoog ingest 4cat-twitter-dataset.csv --store case.store",
    sniff,
    read,
};

/// The columns 4CAT requires of every item.
const COLUMNS: &[&str] = &["id", "thread_id", "timestamp", "body", "author"];

fn sniff(head: &[u8]) -> bool {
    sniff_header(head).is_some_and(|h| has_columns(&h, COLUMNS))
}

fn read(file: &InputFile, _options: &Options, ctx: &mut Ctx<'_>) -> Result<(), IngestError> {
    read_named(file, ctx, to_post)
}

fn yes(row: &dyn Fields, name: &str) -> Result<bool, Reject> {
    Ok(row.text(name)?.is_some_and(|v| {
        v.eq_ignore_ascii_case("yes") || v == "1" || v.eq_ignore_ascii_case("true")
    }))
}

/// A comma-separated list, each item without `sigil`, lower-cased.
fn list(text: &str, sigil: char) -> Vec<String> {
    let mut out = Vec::new();
    for item in text.split(',') {
        push_unique(
            &mut out,
            item.trim().trim_start_matches(sigil).to_lowercase(),
        );
    }
    out
}

fn to_post(row: &dyn Fields) -> Result<Post, Reject> {
    let id = row.required_id("id")?;
    let created_at = match row.text("unix_timestamp")? {
        Some(_) => row.time("unix_timestamp", unix_time)?,
        None => row.time("timestamp", utc_time)?,
    };
    let handle = row
        .text("author")?
        .ok_or_else(|| Reject::missing("author"))?
        .trim_start_matches('@')
        .to_owned();
    let author_id = row.id("author_id")?.unwrap_or_else(|| handle.clone());
    let link = row
        .first(&["link", "url", "post_url", "permalink"])?
        .map(|l| l.into_owned());
    let platform = link.as_deref().map_or(Platform::Other, platform_of_link);
    let mut post = Post::new(platform, id, created_at, author_id, handle);
    post.author_name = row
        .first(&["author_fullname", "author_name"])?
        .map(|n| n.into_owned())
        .unwrap_or_default();
    post.author_followers = row.count("author_followers")?;
    post.url = link;
    post.conversation_id = row.id("thread_id")?;
    post.lang = language(row.first(&["language_guess", "lang"])?.as_deref());
    post.kind = if yes(row, "is_retweet")? {
        PostKind::Reshare
    } else if yes(row, "is_reply")? {
        PostKind::Reply
    } else if yes(row, "is_quote_tweet")? {
        PostKind::Quote
    } else {
        PostKind::Post
    };
    if post.kind == PostKind::Reshare {
        return Ok(post);
    }
    post.likes = first_count(row, &["like_count", "num_likes", "likes"])?;
    post.reshares = first_count(row, &["retweet_count", "num_shares", "shares"])?;
    post.replies = first_count(row, &["reply_count", "num_comments", "comments"])?;
    post.quotes = row.count("quote_count")?;
    post.views = first_count(row, &["impression_count", "num_views", "views"])?;
    post.text = row.text("body")?.unwrap_or_default().into_owned();
    post.mentions = match row.text("mentions")? {
        Some(names) => list(&names, '@'),
        None => entities::mentions(&post.text),
    };
    post.hashtags = match row.text("hashtags")? {
        Some(tags) => list(&tags, '#'),
        None => entities::hashtags(&post.text),
    };
    post.urls = match row.text("urls")? {
        Some(urls) => urls
            .split(',')
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .map(str::to_owned)
            .collect(),
        None => entities::urls(&post.text),
    };
    Ok(post)
}

/// The first of these count columns that has a value.
fn first_count(row: &dyn Fields, names: &[&str]) -> Result<Option<u64>, Reject> {
    for name in names {
        if let Some(count) = row.count(name)? {
            return Ok(Some(count));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_4cat_columns() {
        assert!(sniff(
            b"id,thread_id,timestamp,unix_timestamp,link,subject,body,author\n1,"
        ));
        assert!(!sniff(b"id,timestamp,body,author\n1,"));
    }

    #[test]
    fn comma_lists_lose_their_sigils() {
        assert_eq!(list("williamserafino, @B", '@'), ["williamserafino", "b"]);
        assert_eq!(list(",", '#'), Vec::<String>::new());
    }
}
