//! CrowdTangle's CSV exports of Facebook pages and groups and of Instagram accounts (the
//! dashboard's "Download" of a list or a search), recognised by their columns. The columns and
//! their mapping follow 4CAT's importer of these exports (digitalmethodsinitiative/4cat
//! `datasources/upload/import_formats.py` @29a8903a, `import_crowdtangle_facebook` and
//! `import_crowdtangle_instagram` with their required columns), as no export that may be shipped
//! was found: the test fixtures are rows written in these columns (see tests/fixtures/crowdtangle).
//!
//! A post's id is the last part of its `URL` (a Facebook post id, an Instagram shortcode), its
//! thread is itself. `Post Created` is `2021-07-06 16:45:29 EDT`: the dashboard's time zone comes
//! as an abbreviation; the usual ones (UTC, GMT, CET/CEST, BST, the US zones) are applied, any
//! other is read as UTC (4CAT drops the zone). Facebook: the author is `Facebook Id` with `User
//! Name` as handle (the id when empty) and `Page Name` (or `Group Name`) as name; the text is
//! `Message`; likes are all reactions (`Likes`, `Love`, `Wow`, `Haha`, `Sad`, `Angry`, `Care`),
//! as for the Graph API; `Comments` and `Shares` are the replies and reshares; `Total Views` the
//! views (unknown when 0: CrowdTangle writes 0 for posts without video). The shared link is
//! `Final Link`, else `Link`. Instagram: the handle is `User Name`, the name `Account`, the text
//! `Description`; `Likes`, `Comments` and `Views` as they are. Followers are `Followers at
//! Posting`. Mentions and hashtags come from the text. Every row is a post: CrowdTangle exports
//! no comments. Counts may carry thousands separators (`1,234`). The record number is the line
//! (the header is line 1).

use super::Handler;
use super::csv::{has_columns, read_named, sniff_header};
use super::fields::Fields;
use crate::context::{Ctx, Reject};
use crate::entities::{self, push_unique};
use crate::{Format, IngestError, InputFile, Options, Post, input};
use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use dialoog_model::Platform;

pub(crate) const HANDLER: Handler = Handler {
    format: Format::CrowdTangle,
    name: "crowdtangle",
    description: "CrowdTangle's CSV export of Facebook pages and groups or of Instagram accounts, recognised by its columns",
    example: "dialoog ingest 2024-03-01-14-22-05-CET-search-csv-export.csv --store case.store",
    sniff,
    read,
};

/// Columns of a Facebook export (4CAT's required columns, less those it does not read).
const FACEBOOK: &[&str] = &[
    "User Name",
    "Facebook Id",
    "Likes at Posting",
    "Followers at Posting",
    "Post Created",
    "Type",
    "Total Interactions",
    "Likes",
    "Comments",
    "Shares",
    "URL",
    "Message",
    "Link",
];

/// Columns of an Instagram export (4CAT's required columns).
const INSTAGRAM: &[&str] = &[
    "Account",
    "User Name",
    "Followers at Posting",
    "Post Created",
    "Type",
    "Likes",
    "Comments",
    "Views",
    "URL",
    "Link",
    "Photo",
    "Title",
    "Description",
];

/// Facebook's reactions, each a column.
const REACTIONS: &[&str] = &["Likes", "Love", "Wow", "Haha", "Sad", "Angry", "Care"];

#[derive(Debug, PartialEq, Eq)]
enum Source {
    Facebook,
    Instagram,
}

fn source(head: &[u8]) -> Option<Source> {
    let header = sniff_header(head)?;
    if has_columns(&header, FACEBOOK)
        && (has_columns(&header, &["Page Name"]) || has_columns(&header, &["Group Name"]))
    {
        Some(Source::Facebook)
    } else if has_columns(&header, INSTAGRAM) {
        Some(Source::Instagram)
    } else {
        None
    }
}

fn sniff(head: &[u8]) -> bool {
    source(head).is_some()
}

fn read(file: &InputFile, _options: &Options, ctx: &mut Ctx<'_>) -> Result<(), IngestError> {
    let head = input::head(&file.path, input::SNIFF_BYTES)?;
    match source(&head) {
        Some(Source::Instagram) => read_named(file, ctx, instagram_post),
        _ => read_named(file, ctx, facebook_post),
    }
}

/// Offsets of the zone abbreviations CrowdTangle's dashboard writes, in hours.
const ZONES: &[(&str, i64)] = &[
    ("UTC", 0),
    ("GMT", 0),
    ("WET", 0),
    ("BST", 1),
    ("WEST", 1),
    ("CET", 1),
    ("CEST", 2),
    ("EET", 2),
    ("EEST", 3),
    ("EST", -5),
    ("EDT", -4),
    ("CST", -6),
    ("CDT", -5),
    ("MST", -7),
    ("MDT", -6),
    ("PST", -8),
    ("PDT", -7),
];

/// `2021-07-06 16:45:29 EDT` (or without the zone) as UTC.
fn post_created(text: &str) -> Option<DateTime<Utc>> {
    let mut parts = text.split_whitespace();
    let date = parts.next()?;
    let time = parts.next()?;
    let local = NaiveDateTime::parse_from_str(&format!("{date} {time}"), "%Y-%m-%d %H:%M:%S")
        .ok()?
        .and_utc();
    let offset = parts
        .next()
        .and_then(|zone| ZONES.iter().find(|(name, _)| *name == zone))
        .map_or(0, |(_, hours)| *hours);
    Some(local - Duration::hours(offset))
}

/// The post's id: the last part of its URL.
fn id_of_url(row: &dyn Fields) -> Result<(String, String), Reject> {
    let url = row
        .text("URL")?
        .ok_or_else(|| Reject::missing("URL"))?
        .into_owned();
    let id = url
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .filter(|id| !id.is_empty() && !id.contains(':'))
        .ok_or_else(|| Reject::field("URL", format!("no post id in '{url}'")))?
        .to_owned();
    Ok((id, url))
}

fn facebook_post(row: &dyn Fields) -> Result<Post, Reject> {
    let (id, url) = id_of_url(row)?;
    let created_at = row.time("Post Created", post_created)?;
    let author_id = row.required_id("Facebook Id")?;
    let handle = row
        .text("User Name")?
        .map_or_else(|| author_id.clone(), |h| h.into_owned());
    let mut post = Post::new(
        Platform::Facebook,
        id.clone(),
        created_at,
        author_id,
        handle,
    );
    post.author_name = row
        .first(&["Page Name", "Group Name"])?
        .map(|n| n.into_owned())
        .unwrap_or_default();
    post.author_followers = row.count("Followers at Posting")?;
    post.url = Some(url);
    post.conversation_id = Some(id);
    let mut reactions = None;
    for name in REACTIONS {
        if let Some(n) = row.count(name)? {
            reactions = Some(reactions.unwrap_or(0) + n);
        }
    }
    post.likes = reactions;
    post.replies = row.count("Comments")?;
    post.reshares = row.count("Shares")?;
    post.views = row.count("Total Views")?.filter(|v| *v > 0);
    post.text = row.text("Message")?.unwrap_or_default().into_owned();
    entities::fill_from_text(&mut post);
    if let Some(link) = row.first(&["Final Link", "Link"])? {
        push_unique(&mut post.urls, link.into_owned());
    }
    Ok(post)
}

fn instagram_post(row: &dyn Fields) -> Result<Post, Reject> {
    let (id, url) = id_of_url(row)?;
    let created_at = row.time("Post Created", post_created)?;
    let handle = row
        .text("User Name")?
        .ok_or_else(|| Reject::missing("User Name"))?
        .trim_start_matches('@')
        .to_owned();
    // The export has no account id: the handle stands in for it.
    let mut post = Post::new(
        Platform::Instagram,
        id.clone(),
        created_at,
        handle.clone(),
        handle,
    );
    post.author_name = row.text("Account")?.unwrap_or_default().into_owned();
    post.author_followers = row.count("Followers at Posting")?;
    post.url = Some(url);
    post.conversation_id = Some(id);
    post.likes = row.count("Likes")?;
    post.replies = row.count("Comments")?;
    post.views = row.count("Views")?.filter(|v| *v > 0);
    post.text = row.text("Description")?.unwrap_or_default().into_owned();
    entities::fill_from_text(&mut post);
    Ok(post)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_facebook_from_instagram_by_the_columns() {
        let facebook = b"Page Name,User Name,Facebook Id,Page Category,Page Admin Top Country,Page Description,Page Created,Likes at Posting,Followers at Posting,Post Created,Post Created Date,Post Created Time,Type,Total Interactions,Likes,Comments,Shares,Love,Wow,Haha,Sad,Angry,Care,Video Share Status,Is Video Owner?,Post Views,Total Views,Total Views For All Crossposts,Video Length,URL,Message,Link,Final Link,Image Text,Link Text,Description,Sponsor Id,Sponsor Name,Sponsor Category\n";
        assert_eq!(source(facebook), Some(Source::Facebook));
        let instagram = b"Account,User Name,Followers at Posting,Post Created,Post Created Date,Post Created Time,Type,Total Interactions,Likes,Comments,Views,URL,Link,Photo,Title,Description\n";
        assert_eq!(source(instagram), Some(Source::Instagram));
        assert_eq!(source(b"id,thread_id,timestamp,body,author\n"), None);
    }

    #[test]
    fn post_created_applies_the_zone() {
        let t = post_created("2021-07-06 16:45:29 EDT").unwrap();
        assert_eq!(t.to_rfc3339(), "2021-07-06T20:45:29+00:00");
        let t = post_created("2024-03-01 09:00:00 CET").unwrap();
        assert_eq!(t.to_rfc3339(), "2024-03-01T08:00:00+00:00");
        let t = post_created("2024-03-01 09:00:00").unwrap();
        assert_eq!(t.to_rfc3339(), "2024-03-01T09:00:00+00:00");
        assert!(post_created("2024-03-01").is_none());
    }
}
