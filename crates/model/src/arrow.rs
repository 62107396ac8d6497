//! The one Arrow schema of the canonical post, and conversion between posts and record batches.
//! Enums are stored as their lower-case names so Parquet readers (pandas, DuckDB, polars) see text.

use crate::{ModelError, Platform, Post, PostKind};
use arrow_array::builder::{
    ListBuilder, StringBuilder, TimestampMillisecondBuilder, UInt64Builder,
};
use arrow_array::cast::AsArray;
use arrow_array::types::{TimestampMillisecondType, UInt64Type};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef, TimeUnit};
use chrono::DateTime;
use std::sync::{Arc, LazyLock};

/// Bumped whenever a column is added, removed or changes type; stored in the store manifest.
pub const SCHEMA_VERSION: u32 = 1;

/// Optional text columns: name, the post's value, the post's field. Each column's accessors are
/// found once, not by name for every row (that comparison was the segment writer's memcmp).
type OptionalString = (
    &'static str,
    fn(&Post) -> Option<&str>,
    fn(&mut Post) -> &mut Option<String>,
);

const OPTIONAL_STRINGS: [OptionalString; 7] = [
    ("url", |p| p.url.as_deref(), |p| &mut p.url),
    ("lang", |p| p.lang.as_deref(), |p| &mut p.lang),
    (
        "conversation_id",
        |p| p.conversation_id.as_deref(),
        |p| &mut p.conversation_id,
    ),
    (
        "in_reply_to_id",
        |p| p.in_reply_to_id.as_deref(),
        |p| &mut p.in_reply_to_id,
    ),
    (
        "in_reply_to_author_id",
        |p| p.in_reply_to_author_id.as_deref(),
        |p| &mut p.in_reply_to_author_id,
    ),
    (
        "reshare_of_id",
        |p| p.reshare_of_id.as_deref(),
        |p| &mut p.reshare_of_id,
    ),
    (
        "quote_of_id",
        |p| p.quote_of_id.as_deref(),
        |p| &mut p.quote_of_id,
    ),
];

/// Count columns other than `author_followers` and `source_record`: name, value, field.
type Count = (
    &'static str,
    fn(&Post) -> Option<u64>,
    fn(&mut Post) -> &mut Option<u64>,
);

const COUNTS: [Count; 5] = [
    ("likes", |p| p.likes, |p| &mut p.likes),
    ("reshares", |p| p.reshares, |p| &mut p.reshares),
    ("replies", |p| p.replies, |p| &mut p.replies),
    ("quotes", |p| p.quotes, |p| &mut p.quotes),
    ("views", |p| p.views, |p| &mut p.views),
];

/// List columns: name, the post's list, its field.
type List = (
    &'static str,
    fn(&Post) -> &[String],
    fn(&mut Post) -> &mut Vec<String>,
);

const LISTS: [List; 3] = [
    ("mentions", |p| &p.mentions, |p| &mut p.mentions),
    ("hashtags", |p| &p.hashtags, |p| &mut p.hashtags),
    ("urls", |p| &p.urls, |p| &mut p.urls),
];

static SCHEMA: LazyLock<SchemaRef> = LazyLock::new(|| {
    let utf8 = |name: &str, nullable: bool| Field::new(name, DataType::Utf8, nullable);
    let list = |name: &str| {
        Field::new(
            name,
            DataType::List(Arc::new(Field::new("item", DataType::Utf8, true))),
            false,
        )
    };
    let count = |name: &str| Field::new(name, DataType::UInt64, true);
    Arc::new(Schema::new(vec![
        utf8("platform", false),
        utf8("id", false),
        utf8("url", true),
        Field::new(
            "created_at",
            DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into())),
            false,
        ),
        utf8("author_id", false),
        utf8("author_handle", false),
        utf8("author_name", false),
        count("author_followers"),
        utf8("kind", false),
        utf8("text", false),
        utf8("lang", true),
        utf8("conversation_id", true),
        utf8("in_reply_to_id", true),
        utf8("in_reply_to_author_id", true),
        utf8("reshare_of_id", true),
        utf8("quote_of_id", true),
        list("mentions"),
        list("hashtags"),
        list("urls"),
        count("likes"),
        count("reshares"),
        count("replies"),
        count("quotes"),
        count("views"),
        utf8("source_file", false),
        count("source_record").with_nullable(false),
    ]))
});

/// The Arrow schema of the canonical post: the same for every source, stage and file.
pub fn schema() -> SchemaRef {
    SCHEMA.clone()
}

fn strings<'a>(posts: &'a [Post], value: impl Fn(&'a Post) -> Option<&'a str>) -> ArrayRef {
    let mut builder = StringBuilder::with_capacity(posts.len(), posts.len() * 16);
    for post in posts {
        builder.append_option(value(post));
    }
    Arc::new(builder.finish())
}

fn counts(posts: &[Post], value: impl Fn(&Post) -> Option<u64>) -> ArrayRef {
    let mut builder = UInt64Builder::with_capacity(posts.len());
    for post in posts {
        builder.append_option(value(post));
    }
    Arc::new(builder.finish())
}

/// Converts posts into one record batch of [`schema`].
pub fn posts_to_batch(posts: &[Post]) -> Result<RecordBatch, ModelError> {
    let mut created = TimestampMillisecondBuilder::with_capacity(posts.len()).with_timezone("UTC");
    for post in posts {
        created.append_value(post.created_at.timestamp_millis());
    }
    let mut columns: Vec<ArrayRef> = Vec::with_capacity(SCHEMA.fields().len());
    for field in SCHEMA.fields() {
        let name = field.name().as_str();
        let column: ArrayRef = match name {
            "platform" => strings(posts, |p| Some(p.platform.as_str())),
            "id" => strings(posts, |p| Some(p.id.as_str())),
            "created_at" => Arc::new(created.finish()),
            "author_id" => strings(posts, |p| Some(p.author_id.as_str())),
            "author_handle" => strings(posts, |p| Some(p.author_handle.as_str())),
            "author_name" => strings(posts, |p| Some(p.author_name.as_str())),
            "author_followers" => counts(posts, |p| p.author_followers),
            "kind" => strings(posts, |p| Some(p.kind.as_str())),
            "text" => strings(posts, |p| Some(p.text.as_str())),
            "source_file" => strings(posts, |p| Some(p.source_file.as_str())),
            "source_record" => counts(posts, |p| Some(p.source_record)),
            _ => {
                if let Some((_, value, _)) = OPTIONAL_STRINGS.iter().find(|c| c.0 == name) {
                    strings(posts, value)
                } else if let Some((_, value, _)) = COUNTS.iter().find(|c| c.0 == name) {
                    counts(posts, value)
                } else if let Some((_, items, _)) = LISTS.iter().find(|c| c.0 == name) {
                    let mut builder = ListBuilder::new(StringBuilder::new());
                    for post in posts {
                        for item in items(post) {
                            builder.values().append_value(item);
                        }
                        builder.append(true);
                    }
                    Arc::new(builder.finish())
                } else {
                    return Err(ModelError::Batch {
                        row: 0,
                        column: "schema",
                        message: format!("no values for column {name}"),
                    });
                }
            }
        };
        columns.push(column);
    }
    Ok(RecordBatch::try_new(SCHEMA.clone(), columns)?)
}

fn column<'a>(batch: &'a RecordBatch, name: &'static str) -> Result<&'a ArrayRef, ModelError> {
    batch.column_by_name(name).ok_or(ModelError::Batch {
        row: 0,
        column: name,
        message: "column missing".into(),
    })
}

fn string_column<'a>(
    batch: &'a RecordBatch,
    name: &'static str,
) -> Result<&'a arrow_array::StringArray, ModelError> {
    column(batch, name)?
        .as_string_opt::<i32>()
        .ok_or(ModelError::Batch {
            row: 0,
            column: name,
            message: "expected a Utf8 column".into(),
        })
}

fn u64_column<'a>(
    batch: &'a RecordBatch,
    name: &'static str,
) -> Result<&'a arrow_array::PrimitiveArray<UInt64Type>, ModelError> {
    column(batch, name)?
        .as_primitive_opt::<UInt64Type>()
        .ok_or(ModelError::Batch {
            row: 0,
            column: name,
            message: "expected a UInt64 column".into(),
        })
}

fn opt_str(array: &arrow_array::StringArray, row: usize) -> Option<String> {
    array.is_valid(row).then(|| array.value(row).to_owned())
}

fn opt_u64(array: &arrow_array::PrimitiveArray<UInt64Type>, row: usize) -> Option<u64> {
    array.is_valid(row).then(|| array.value(row))
}

/// Reads posts back from a record batch of [`schema`] (as written by [`posts_to_batch`]).
pub fn batch_to_posts(batch: &RecordBatch) -> Result<Vec<Post>, ModelError> {
    let bad = |row: usize, column: &'static str, message: String| ModelError::Batch {
        row,
        column,
        message,
    };
    let platform = string_column(batch, "platform")?;
    let id = string_column(batch, "id")?;
    let created = column(batch, "created_at")?
        .as_primitive_opt::<TimestampMillisecondType>()
        .ok_or_else(|| bad(0, "created_at", "expected a millisecond timestamp".into()))?;
    let author_id = string_column(batch, "author_id")?;
    let author_handle = string_column(batch, "author_handle")?;
    let author_name = string_column(batch, "author_name")?;
    let followers = u64_column(batch, "author_followers")?;
    let kind = string_column(batch, "kind")?;
    let text = string_column(batch, "text")?;
    let source_file = string_column(batch, "source_file")?;
    let source_record = u64_column(batch, "source_record")?;
    let optional = OPTIONAL_STRINGS
        .iter()
        .map(|(name, _, field)| Ok((*field, string_column(batch, name)?)))
        .collect::<Result<Vec<_>, ModelError>>()?;
    let counts = COUNTS
        .iter()
        .map(|(name, _, field)| Ok((*field, u64_column(batch, name)?)))
        .collect::<Result<Vec<_>, ModelError>>()?;
    let lists = LISTS
        .iter()
        .map(|(name, _, field)| {
            let list = column(batch, name)?
                .as_list_opt::<i32>()
                .ok_or_else(|| bad(0, name, "expected a list column".into()))?;
            Ok((*name, *field, list))
        })
        .collect::<Result<Vec<_>, ModelError>>()?;

    let mut posts = Vec::with_capacity(batch.num_rows());
    for row in 0..batch.num_rows() {
        let platform: Platform = platform
            .value(row)
            .parse()
            .map_err(|e| bad(row, "platform", e))?;
        let created_at = DateTime::from_timestamp_millis(created.value(row))
            .ok_or_else(|| bad(row, "created_at", "timestamp out of range".into()))?;
        let mut post = Post::new(
            platform,
            id.value(row),
            created_at,
            author_id.value(row),
            author_handle.value(row),
        );
        post.author_name = author_name.value(row).to_owned();
        post.author_followers = opt_u64(followers, row);
        post.kind = kind
            .value(row)
            .parse::<PostKind>()
            .map_err(|e| bad(row, "kind", e))?;
        post.text = text.value(row).to_owned();
        post.source_file = source_file.value(row).to_owned();
        post.source_record = source_record.value(row);
        for (field, array) in &optional {
            *field(&mut post) = opt_str(array, row);
        }
        for (field, array) in &counts {
            *field(&mut post) = opt_u64(array, row);
        }
        for (name, field, list) in &lists {
            if list.is_valid(row) {
                let values = list.value(row);
                let values = values
                    .as_string_opt::<i32>()
                    .ok_or_else(|| bad(row, name, "list items must be Utf8".into()))?;
                *field(&mut post) = values.iter().flatten().map(str::to_owned).collect();
            }
        }
        posts.push(post);
    }
    Ok(posts)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn sample() -> Vec<Post> {
        let mut full = Post::new(
            Platform::Mastodon,
            "109",
            DateTime::from_timestamp_millis(1_700_000_000_123).unwrap_or_default(),
            "42",
            "gemeente",
        );
        full.url = Some("https://example.org/@gemeente/109".into());
        full.kind = PostKind::Reply;
        full.text = "Bel ons op 14 020 🙂".into();
        full.lang = Some("nl".into());
        full.conversation_id = Some("100".into());
        full.in_reply_to_id = Some("100".into());
        full.mentions = vec!["burger".into()];
        full.hashtags = vec!["afval".into(), "gft".into()];
        full.likes = Some(0);
        full.views = None;
        full.source_file = "outbox.json".into();
        full.source_record = 7;
        let bare = Post::new(Platform::Twitter, "1", DateTime::UNIX_EPOCH, "9", "x");
        vec![full, bare]
    }

    #[test]
    fn posts_survive_a_round_trip_through_arrow() {
        let posts = sample();
        let batch = posts_to_batch(&posts).unwrap();
        assert_eq!(batch.schema(), schema());
        assert_eq!(batch_to_posts(&batch).unwrap(), posts);
    }

    #[test]
    fn unknown_counts_stay_null_and_zero_stays_zero() {
        let batch = posts_to_batch(&sample()).unwrap();
        let likes = batch.column_by_name("likes").unwrap();
        assert!(likes.is_valid(0));
        assert!(likes.is_null(1));
    }
}
