//! Instagram and TikTok items captured with Zeeschuimer, the browser extension that 4CAT imports
//! from: its NDJSON download (one line per item: `nav_index`, `item_id`, `timestamp_collected`,
//! `source_platform`, `source_platform_url`, `source_url`, `user_agent` and the platform's own
//! object under `data`, as Zeeschuimer's background script writes it), and 4CAT's NDJSON export
//! of such a dataset (the platform's object with the capture fields under `__import_meta`).
//!
//! The mapping follows 4CAT's mappers (digitalmethodsinitiative/4cat):
//! `datasources/instagram/search_instagram.py` @8913236f (`parse_itemlist_item` for the API's
//! item lists, `parse_graph_item` for Graph `__typename` nodes), `datasources/tiktok/
//! search_tiktok.py` @01bd7c21 (`map_tiktok_item`) and `datasources/tiktok_comments/
//! search_tiktok_comments.py` @25fa33bc. No capture that may be shipped was found, so the test
//! fixtures are records written in these fields (see tests/fixtures/zeeschuimer).
//!
//! Instagram: the post id is its shortcode (`code`, Graph `shortcode`), the time `taken_at`
//! (`taken_at_timestamp`), the author `user` (or `owner`): `pk`/`id`, `username`, `full_name`;
//! the text the caption, likes `like_count` (`edge_media_preview_like.count`), replies
//! `comment_count` (`edge_media_preview_comment.count`). Ads (`product_type` `ad`, or a link
//! through Facebook's ad redirect) and items whose `user` and `owner` differ are quarantined, as
//! 4CAT refuses them. TikTok videos: `id`, `createTime`, `author` (an object with `id`,
//! `uniqueId`, `nickname`; or the handle, with `nickname` beside it), `desc`, `stats`
//! (`diggCount`, `commentCount`, `shareCount`, `playCount`), `authorStats.followerCount`, hashtags
//! from `textExtra`. TikTok comments (`cid`, `aweme_id`): replies to their video, or to the
//! comment `reply_id` when it is not `"0"`; `create_time`, `user` (`uid`, `unique_id`,
//! `nickname`), `text`, `digg_count`, `reply_comment_total`, `comment_language`. A post is its own
//! thread root, a comment's is its video. Mentions come from the text. Items of other platforms
//! Zeeschuimer captures are quarantined with the platform named. The record number is the line.

use super::fields::unix_time;
use super::{Handler, contains, count_of, excerpt_of, id_of, read_json_records, text_of};
use crate::context::{Ctx, Reject};
use crate::entities::{self, push_unique};
use crate::{Format, IngestError, InputFile, Options, Post, input};
use chrono::{DateTime, Utc};
use dialoog_model::{Platform, PostKind};
use serde_json::Value;

pub(crate) const HANDLER: Handler = Handler {
    format: Format::Zeeschuimer,
    name: "zeeschuimer",
    description: "Instagram and TikTok posts and TikTok comments captured with Zeeschuimer (NDJSON), or 4CAT's NDJSON export of such a dataset",
    example: "dialoog ingest zeeschuimer-export-instagram.com-2024-05-01.ndjson --store case.store",
    sniff,
    read,
};

fn sniff(head: &[u8]) -> bool {
    let head = input::trim_start(head);
    head.first() == Some(&b'{')
        && contains(head, b"\"source_platform\"")
        && (contains(head, b"\"timestamp_collected\"") || contains(head, b"\"__import_meta\""))
}

fn read(file: &InputFile, _options: &Options, ctx: &mut Ctx<'_>) -> Result<(), IngestError> {
    read_json_records(file, ctx, read_value)
}

fn read_value(value: &Value, record: u64, ctx: &mut Ctx<'_>) -> Result<(), IngestError> {
    ctx.emit(to_post(value), record, &|| excerpt_of(value))
}

/// The platform's object and the platform it was captured on.
fn item_of(value: &Value) -> Result<(&Value, &str), Reject> {
    if !value.is_object() {
        return Err(Reject::new("not a JSON object"));
    }
    if let Some(data) = value.get("data").filter(|d| d.is_object()) {
        let platform = text_of(value, "source_platform").unwrap_or_default();
        return Ok((data, platform));
    }
    let meta = value
        .get("__import_meta")
        .ok_or_else(|| Reject::missing("data"))?;
    Ok((value, text_of(meta, "source_platform").unwrap_or_default()))
}

fn to_post(value: &Value) -> Result<Post, Reject> {
    let (item, platform) = item_of(value)?;
    if item.get("cid").is_some() && item.get("aweme_id").is_some() {
        return tiktok_comment(item);
    }
    match platform.trim_start_matches("www.") {
        "instagram.com" => instagram_post(item),
        "tiktok.com" => tiktok_video(item),
        "" => Err(Reject::missing("source_platform")),
        other => Err(Reject::field(
            "source_platform",
            format!("items from {other} are not read (Instagram and TikTok are)"),
        )),
    }
}

fn time_of(v: &Value, key: &str) -> Result<DateTime<Utc>, Reject> {
    let text = id_of(v, key).ok_or_else(|| Reject::missing(key))?;
    unix_time(&text).ok_or_else(|| Reject::field(key, format!("unparseable time '{text}'")))
}

fn instagram_post(item: &Value) -> Result<Post, Reject> {
    let link = text_of(item, "link").unwrap_or_default();
    if text_of(item, "product_type") == Some("ad")
        || link.starts_with("https://www.facebook.com/ads/ig_redirect")
    {
        return Err(Reject::new("an Instagram ad, not a post"));
    }
    let user = item.get("user").filter(|u| u.is_object());
    let owner = item.get("owner").filter(|o| o.is_object());
    if let (Some(user), Some(owner)) = (user, owner)
        && text_of(user, "username") != text_of(owner, "username")
    {
        return Err(Reject::field("owner", "user and owner differ"));
    }
    let account = user.or(owner).ok_or_else(|| Reject::missing("user"))?;
    let handle = text_of(account, "username").ok_or_else(|| Reject::missing("user.username"))?;
    let author_id = id_of(account, "pk")
        .or_else(|| id_of(account, "id"))
        .unwrap_or_else(|| handle.to_owned());
    let graph = text_of(item, "__typename").is_some_and(|t| t != "XDTMediaDict");
    let (code_key, time_key) = if graph {
        ("shortcode", "taken_at_timestamp")
    } else {
        ("code", "taken_at")
    };
    let code = text_of(item, code_key).ok_or_else(|| Reject::missing(code_key))?;
    let created_at = time_of(item, time_key)?;
    let mut post = Post::new(
        Platform::Instagram,
        code,
        created_at,
        author_id,
        handle.to_owned(),
    );
    post.author_name = text_of(account, "full_name").unwrap_or_default().to_owned();
    post.url = Some(format!("https://www.instagram.com/p/{code}"));
    post.conversation_id = Some(code.to_owned());
    if graph {
        post.text = item
            .pointer("/edge_media_to_caption/edges/0/node/text")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        post.likes = item
            .get("edge_media_preview_like")
            .and_then(|l| count_of(l, "count"));
        post.replies = item
            .get("edge_media_preview_comment")
            .and_then(|c| count_of(c, "count"));
    } else {
        post.text = item
            .get("caption")
            .and_then(|c| text_of(c, "text"))
            .unwrap_or_default()
            .to_owned();
        post.likes = count_of(item, "like_count");
        post.replies = count_of(item, "comment_count").or_else(|| {
            item.get("comments")
                .and_then(Value::as_array)
                .map(|c| c.len() as u64)
        });
    }
    entities::fill_from_text(&mut post);
    Ok(post)
}

fn tiktok_video(item: &Value) -> Result<Post, Reject> {
    let id = id_of(item, "id").ok_or_else(|| Reject::missing("id"))?;
    let created_at = time_of(item, "createTime")?;
    let (author_id, handle, name) = match item.get("author") {
        Some(author @ Value::Object(_)) => {
            let handle =
                text_of(author, "uniqueId").ok_or_else(|| Reject::missing("author.uniqueId"))?;
            let id = id_of(author, "id").unwrap_or_else(|| handle.to_owned());
            (id, handle, text_of(author, "nickname"))
        }
        Some(Value::String(handle)) if !handle.is_empty() => {
            (handle.clone(), handle.as_str(), text_of(item, "nickname"))
        }
        _ => return Err(Reject::missing("author")),
    };
    let mut post = Post::new(
        Platform::Tiktok,
        id.clone(),
        created_at,
        author_id,
        handle.to_owned(),
    );
    post.author_name = name.unwrap_or_default().to_owned();
    post.url = Some(format!("https://www.tiktok.com/@{handle}/video/{id}"));
    post.conversation_id = Some(id);
    post.author_followers = item
        .get("authorStats")
        .and_then(|s| count_of(s, "followerCount"));
    if let Some(stats) = item.get("stats") {
        post.likes = count_of(stats, "diggCount");
        post.replies = count_of(stats, "commentCount");
        post.reshares = count_of(stats, "shareCount");
        post.views = count_of(stats, "playCount");
    }
    post.text = text_of(item, "desc").unwrap_or_default().to_owned();
    entities::fill_from_text(&mut post);
    for extra in item
        .get("textExtra")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(tag) = text_of(extra, "hashtagName") {
            push_unique(&mut post.hashtags, tag.to_lowercase());
        }
    }
    Ok(post)
}

fn tiktok_comment(item: &Value) -> Result<Post, Reject> {
    let id = id_of(item, "cid").ok_or_else(|| Reject::missing("cid"))?;
    let video = id_of(item, "aweme_id").ok_or_else(|| Reject::missing("aweme_id"))?;
    let created_at = time_of(item, "create_time")?;
    let user = item.get("user").ok_or_else(|| Reject::missing("user"))?;
    let uid = id_of(user, "uid").ok_or_else(|| Reject::missing("user.uid"))?;
    let handle = text_of(user, "unique_id").map_or_else(|| uid.clone(), str::to_owned);
    let mut post = Post::new(Platform::Tiktok, id, created_at, uid, handle);
    post.author_name = text_of(user, "nickname").unwrap_or_default().to_owned();
    post.kind = PostKind::Reply;
    post.in_reply_to_id = Some(
        id_of(item, "reply_id")
            .filter(|parent| parent != "0")
            .unwrap_or_else(|| video.clone()),
    );
    post.conversation_id = Some(video);
    post.url = item
        .get("share_info")
        .and_then(|s| text_of(s, "url"))
        .map(str::to_owned);
    post.likes = count_of(item, "digg_count");
    post.replies = count_of(item, "reply_comment_total");
    post.lang = entities::language(text_of(item, "comment_language"));
    post.text = text_of(item, "text").unwrap_or_default().to_owned();
    entities::fill_from_text(&mut post);
    Ok(post)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_zeeschuimer_lines_and_4cat_items() {
        assert!(sniff(
            br#"{"nav_index":"1:1:0","item_id":"1","timestamp_collected":1692473383763,"source_platform":"instagram.com","data":{}}"#
        ));
        assert!(sniff(
            br#"{"id":"1","desc":"","__import_meta":{"source_platform":"tiktok.com"}}"#
        ));
        assert!(!sniff(br#"{"id":"1","data":{}}"#));
    }

    #[test]
    fn other_platforms_are_named() {
        let value: Value = serde_json::from_str(
            r#"{"timestamp_collected":1,"source_platform":"linkedin.com","data":{"id":"1"}}"#,
        )
        .unwrap();
        let reject = to_post(&value).unwrap_err();
        assert!(reject.reason.contains("linkedin.com"), "{reject:?}");
    }
}
