//! The 8-column CSV of the Coordination Network Toolkit (QUT Digital Observatory): `message_id,
//! user_id, username, repost_id, reply_id, message, timestamp, urls`, recognised by that header.
//!
//! The toolkit is platform-neutral, so the platform is `other`. `repost_id` makes a reshare (with
//! empty text), `reply_id` a reply. `timestamp` is seconds since 1970 (a float). `urls` lists the
//! message's URLs, space-separated as the toolkit documents, or as a Python list as its sample
//! data has them; without it the URLs come from the text. The record number is the line (the
//! header is line 1).

use super::Handler;
use super::csv::{read_named, sniff_header};
use super::fields::{Fields, unix_time, url_list};
use crate::context::{Ctx, Reject};
use crate::entities;
use crate::{Format, IngestError, InputFile, Options, Post};
use dialoog_model::{Platform, PostKind};

pub(crate) const HANDLER: Handler = Handler {
    format: Format::CoordinationCsv,
    name: "coordination-csv",
    description: "the Coordination Network Toolkit's 8-column CSV (message_id, user_id, username, repost_id, reply_id, message, timestamp, urls)",
    example: "dialoog ingest messages.csv --store case.store",
    sniff,
    read,
};

const COLUMNS: [&str; 8] = [
    "message_id",
    "user_id",
    "username",
    "repost_id",
    "reply_id",
    "message",
    "timestamp",
    "urls",
];

fn sniff(head: &[u8]) -> bool {
    sniff_header(head).is_some_and(|h| h == COLUMNS)
}

fn read(file: &InputFile, _options: &Options, ctx: &mut Ctx<'_>) -> Result<(), IngestError> {
    read_named(file, ctx, to_post)
}

fn to_post(row: &dyn Fields) -> Result<Post, Reject> {
    let id = row.required_id("message_id")?;
    let created_at = row.time("timestamp", unix_time)?;
    let author_id = row.required_id("user_id")?;
    let handle = row.text("username")?.map_or_else(
        || author_id.clone(),
        |h| h.trim_start_matches('@').to_owned(),
    );
    let mut post = Post::new(Platform::Other, id, created_at, author_id, handle);
    post.reshare_of_id = row.id("repost_id")?;
    post.in_reply_to_id = row.id("reply_id")?;
    post.kind = super::twarc2::kind(&post);
    if post.kind == PostKind::Reshare {
        return Ok(post);
    }
    post.text = row.text("message")?.unwrap_or_default().into_owned();
    post.mentions = entities::mentions(&post.text);
    post.hashtags = entities::hashtags(&post.text);
    post.urls = match row.text("urls")? {
        Some(list) => url_list(&list),
        None => entities::urls(&post.text),
    };
    Ok(post)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_exactly_the_eight_columns() {
        assert!(sniff(
            b"message_id,user_id,username,repost_id,reply_id,message,timestamp,urls\n0,uid0,"
        ));
        assert!(!sniff(b"message_id,user_id,username,message,timestamp\n"));
    }
}
