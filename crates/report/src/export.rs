//! `dialoog export`: the canonical rows with per-post enrichments, as Parquet or CSV.
//!
//! The columns are the canonical schema ([`dialoog_model::schema`]) followed by:
//! `role` (registry role of the author), `focus` (a focus account), `language` (given by the
//! source, else detected), `sentiment` (−1…1, null for empty text), `question`, `mode` and
//! `referral` (focus accounts' posts, plain reshares aside; null for others) and `personal_data`
//! (the types of personal data in the original text). Personal data in texts, display names and
//! links is redacted unless asked otherwise; the enrichments are computed on the original text,
//! so redaction changes none of them.

use crate::ReportError;
use arrow_array::builder::{BooleanBuilder, Float64Builder, ListBuilder, StringBuilder};
use arrow_array::cast::AsArray;
use arrow_array::types::{TimestampMillisecondType, UInt64Type};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use dialoog_model::{Case, Post, PostKind, Registry};
use dialoog_text::pii;
use std::path::Path;
use std::sync::Arc;

/// The enrichment columns, after the canonical ones.
pub const ENRICHMENTS: [&str; 8] = [
    "role",
    "focus",
    "language",
    "sentiment",
    "question",
    "mode",
    "referral",
    "personal_data",
];

/// The rows to export: every post, redacted when `redact`, with its enrichments.
pub fn batch(
    posts: &[Post],
    registry: &Registry,
    case: &Case,
    redact: bool,
) -> Result<RecordBatch, ReportError> {
    let mut role = StringBuilder::new();
    let mut focus = BooleanBuilder::new();
    let mut language = StringBuilder::new();
    let mut sentiment = Float64Builder::new();
    let mut question = BooleanBuilder::new();
    let mut mode = StringBuilder::new();
    let mut referral = BooleanBuilder::new();
    let mut personal = ListBuilder::new(StringBuilder::new());
    let mut shown: Vec<Post> = Vec::with_capacity(posts.len());
    for post in posts {
        let lang = post
            .lang
            .clone()
            .or_else(|| dialoog_text::detect_language(&post.text).map(str::to_owned));
        let is_focus = case.is_focus(registry, post);
        role.append_value(registry.role_of(post).as_str());
        focus.append_value(is_focus);
        language.append_option(lang.as_deref());
        let empty = post.text.trim().is_empty();
        sentiment
            .append_option((!empty).then(|| dialoog_text::sentiment(&post.text, lang.as_deref())));
        question.append_value(dialoog_text::is_question(&post.text));
        if is_focus && post.kind != PostKind::Reshare {
            let reply = matches!(post.kind, PostKind::Reply | PostKind::Comment)
                || post.in_reply_to_id.is_some();
            let class = dialoog_text::classify(&post.text, lang.as_deref(), reply);
            mode.append_value(class.mode.as_str());
            referral.append_value(reply && class.referral);
        } else {
            mode.append_null();
            referral.append_null();
        }
        let found = pii::find(&post.text);
        let mut kinds: Vec<pii::PersonalData> = found
            .iter()
            .filter(|f| !f.organisational)
            .map(|f| f.kind)
            .collect();
        kinds.sort_unstable();
        kinds.dedup();
        for kind in kinds {
            personal.values().append_value(kind.as_str());
        }
        personal.append(true);
        shown.push(if redact {
            pii::redact_post(post, &found).unwrap_or_else(|| post.clone())
        } else {
            post.clone()
        });
    }
    let canonical = dialoog_model::posts_to_batch(&shown)?;
    let extra: Vec<ArrayRef> = vec![
        Arc::new(role.finish()),
        Arc::new(focus.finish()),
        Arc::new(language.finish()),
        Arc::new(sentiment.finish()),
        Arc::new(question.finish()),
        Arc::new(mode.finish()),
        Arc::new(referral.finish()),
        Arc::new(personal.finish()),
    ];
    let mut fields: Vec<Arc<Field>> = canonical.schema().fields().iter().cloned().collect();
    let mut columns: Vec<ArrayRef> = canonical.columns().to_vec();
    for (name, column) in ENRICHMENTS.iter().zip(extra) {
        fields.push(Arc::new(Field::new(
            *name,
            column.data_type().clone(),
            true,
        )));
        columns.push(column);
    }
    Ok(RecordBatch::try_new(
        Arc::new(Schema::new(fields)),
        columns,
    )?)
}

/// Writes the rows as one zstd-compressed Parquet file (written beside and renamed into place).
pub fn write_parquet(batch: &RecordBatch, path: &Path) -> Result<(), ReportError> {
    use parquet::arrow::ArrowWriter;
    use parquet::basic::{Compression, ZstdLevel};
    use parquet::file::properties::WriterProperties;
    let parquet_error = |source| ReportError::Parquet {
        path: path.to_owned(),
        source,
    };
    let level = ZstdLevel::try_new(3).map_err(parquet_error)?;
    let properties = WriterProperties::builder()
        .set_compression(Compression::ZSTD(level))
        .build();
    let mut bytes = Vec::new();
    let mut writer = ArrowWriter::try_new(&mut bytes, batch.schema(), Some(properties))
        .map_err(parquet_error)?;
    writer.write(batch).map_err(parquet_error)?;
    writer.close().map_err(parquet_error)?;
    crate::write_atomic(path, &bytes)
}

/// Writes the rows as CSV with a header: timestamps in RFC 3339 (UTC), lists joined by spaces,
/// nulls empty.
pub fn write_csv(batch: &RecordBatch, path: &Path) -> Result<(), ReportError> {
    let csv_error = |source| ReportError::Csv {
        path: path.to_owned(),
        source,
    };
    let mut writer = csv::Writer::from_writer(Vec::new());
    let schema = batch.schema();
    writer
        .write_record(schema.fields().iter().map(|f| f.name().as_str()))
        .map_err(csv_error)?;
    for row in 0..batch.num_rows() {
        let cells: Vec<String> = batch.columns().iter().map(|c| cell(c, row)).collect();
        writer.write_record(&cells).map_err(csv_error)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| csv_error(csv::Error::from(e.into_error())))?;
    crate::write_atomic(path, &bytes)
}

/// One value as CSV text.
fn cell(column: &ArrayRef, row: usize) -> String {
    if column.is_null(row) {
        return String::new();
    }
    match column.data_type() {
        DataType::Utf8 => column.as_string::<i32>().value(row).to_owned(),
        DataType::UInt64 => column.as_primitive::<UInt64Type>().value(row).to_string(),
        DataType::Float64 => column
            .as_primitive::<arrow_array::types::Float64Type>()
            .value(row)
            .to_string(),
        DataType::Boolean => column.as_boolean().value(row).to_string(),
        DataType::Timestamp(_, _) => {
            let millis = column.as_primitive::<TimestampMillisecondType>().value(row);
            chrono::DateTime::from_timestamp_millis(millis)
                .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
                .unwrap_or_default()
        }
        DataType::List(_) => {
            let items = column.as_list::<i32>().value(row);
            let Some(strings) = items.as_string_opt::<i32>() else {
                return String::new();
            };
            (0..strings.len())
                .filter(|&i| strings.is_valid(i))
                .map(|i| strings.value(i))
                .collect::<Vec<_>>()
                .join(" ")
        }
        other => format!("({other})"),
    }
}
