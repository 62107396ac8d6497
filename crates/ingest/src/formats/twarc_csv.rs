//! X/Twitter API v2 tweets as twarc-csv (`twarc2 csv`) writes them: one row per tweet with dotted
//! column names (`referenced_tweets.replied_to.id`, `author.username`,
//! `public_metrics.like_count`, …), recognised by its header; no mapping file is needed.
//!
//! twarc-csv writes newlines in text as `\n` and keeps the API's `&amp;`-escaping; both are undone.
//! A retweet row carries the retweeted tweet's text and metrics (twarc-csv merges them in): it
//! becomes a reshare with empty text and unknown counts, as the twarc2 reader makes it. Mentions,
//! hashtags and URLs come from the `entities.*` columns (JSON lists of `@name`, `#tag` and
//! expanded URLs), else from the text. The record number is the line (the header is line 1).

use super::csv::{has_columns, read_named, sniff_header};
use super::fields::{Fields, url_list};
use super::{Handler, parse_rfc3339};
use crate::context::{Ctx, Reject};
use crate::entities::{self, language, push_unique, unescape_twitter};
use crate::{Format, IngestError, InputFile, Options, Post};
use dialoog_model::{Platform, PostKind};

pub(crate) const HANDLER: Handler = Handler {
    format: Format::TwarcCsv,
    name: "twarc-csv",
    description: "X/Twitter API v2 tweets as twarc-csv writes them (twarc2 csv), recognised by the header",
    example: "dialoog ingest tweets.csv --store case.store",
    sniff,
    read,
};

/// Columns every twarc-csv tweets file has.
const COLUMNS: &[&str] = &[
    "id",
    "conversation_id",
    "referenced_tweets.replied_to.id",
    "referenced_tweets.retweeted.id",
    "author_id",
    "created_at",
    "text",
];

fn sniff(head: &[u8]) -> bool {
    sniff_header(head).is_some_and(|h| has_columns(&h, COLUMNS))
}

fn read(file: &InputFile, _options: &Options, ctx: &mut Ctx<'_>) -> Result<(), IngestError> {
    read_named(file, ctx, to_post)
}

fn to_post(row: &dyn Fields) -> Result<Post, Reject> {
    let id = row.required_id("id")?;
    let created_at = row.time("created_at", parse_rfc3339)?;
    let author_id = row
        .first(&["author_id", "author.id"])?
        .ok_or_else(|| Reject::missing("author_id"))?
        .into_owned();
    let handle = row
        .text("author.username")?
        .map_or_else(|| author_id.clone(), |h| h.into_owned());
    let mut post = Post::new(Platform::Twitter, id, created_at, author_id, handle);
    post.author_name = row
        .text("author.name")?
        .map(|n| n.into_owned())
        .unwrap_or_default();
    post.author_followers = row.count("author.public_metrics.followers_count")?;
    post.url = Some(format!(
        "https://twitter.com/{}/status/{}",
        post.author_handle, post.id
    ));
    post.conversation_id = row.id("conversation_id")?;
    post.in_reply_to_id = row.id("referenced_tweets.replied_to.id")?;
    if post.in_reply_to_id.is_some() {
        post.in_reply_to_author_id = row.id("in_reply_to_user_id")?;
    }
    post.reshare_of_id = row.id("referenced_tweets.retweeted.id")?;
    post.quote_of_id = row.id("referenced_tweets.quoted.id")?;
    post.kind = super::twarc2::kind(&post);
    if post.kind == PostKind::Reshare {
        // The text, entities and metrics in the row are the retweeted tweet's.
        return Ok(post);
    }
    post.lang = language(row.text("lang")?.as_deref());
    post.likes = row.count("public_metrics.like_count")?;
    post.reshares = row.count("public_metrics.retweet_count")?;
    post.replies = row.count("public_metrics.reply_count")?;
    post.quotes = row.count("public_metrics.quote_count")?;
    post.views = row.count("public_metrics.impression_count")?;
    let text = row.text("text")?.unwrap_or_default();
    post.text = unescape_twitter(&text.replace("\\n", "\n"));
    post.mentions = match row.text("entities.mentions")? {
        Some(list) => names(&list, '@'),
        None => entities::mentions(&post.text),
    };
    post.hashtags = match row.text("entities.hashtags")? {
        Some(list) => names(&list, '#'),
        None => entities::hashtags(&post.text),
    };
    post.urls = match row.text("entities.urls")? {
        Some(list) => url_list(&list),
        None => entities::urls(&post.text),
    };
    Ok(post)
}

/// `["@a", "@B"]` → `["a", "b"]`.
fn names(list: &str, sigil: char) -> Vec<String> {
    let mut out = Vec::new();
    for name in serde_json::from_str::<Vec<String>>(list).unwrap_or_default() {
        push_unique(&mut out, name.trim_start_matches(sigil).to_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_the_twarc_csv_header_only() {
        assert!(sniff(
            b"id,conversation_id,referenced_tweets.replied_to.id,referenced_tweets.retweeted.id,referenced_tweets.quoted.id,author_id,created_at,text\n1,"
        ));
        assert!(!sniff(b"id,author_id,created_at,text\n1,2,3,4\n"));
    }

    #[test]
    fn entity_lists_lose_their_sigils() {
        assert_eq!(
            names(r#"["@TalkToTheFoot", "@x"]"#, '@'),
            ["talktothefoot", "x"]
        );
        assert_eq!(names("not json", '#'), Vec::<String>::new());
    }
}
