//! Reading and writing one Parquet segment.

use crate::StoreError;
use crate::error::IoContext;
use arrow_array::cast::AsArray;
use arrow_array::types::UInt64Type;
use arrow_array::{Array, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use chrono::{DateTime, Utc};
use dialoog_model::{Platform, Post};
use parquet::arrow::ArrowWriter;
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder, RowSelection,
};
use parquet::arrow::arrow_writer::{
    ArrowColumnChunk, ArrowColumnWriter, ArrowLeafColumn, ArrowRowGroupWriterFactory,
    compute_leaves,
};
use parquet::basic::{Compression, Encoding, ZstdLevel};
use parquet::errors::ParquetError;
use parquet::file::metadata::PageIndexPolicy;
use parquet::file::properties::WriterProperties;
use parquet::schema::types::SchemaDescriptor;
use rayon::prelude::*;
use std::fs::{File, OpenOptions};
use std::path::Path;
use std::sync::{Arc, LazyLock};

/// Rows per Parquet record batch when reading.
const READ_BATCH_ROWS: usize = 8192;

/// zstd level of segments, but for `text`. Above 3 costs ingest CPU on the segment worker, not
/// reading speed. Writing the 100k bench segment (size, wall s of the write, best of 3, load 10):
/// all at 3 6.18 MB 0.47 s, all at 9 4.83 MB 0.91 s, 3 with text at 9 5.00 MB 0.79 s, 3 with text
/// and url at 9 4.89 MB 0.85 s. The text dictionary gains most from the higher level (one page of
/// a segment's distinct texts, 11 MB at 100k); the other columns gave 0.17 MB for a quarter of
/// the extra CPU, which the records' long window (records.rs) needed.
const ZSTD_LEVEL: i32 = 3;

/// zstd level of the `text` column.
const TEXT_ZSTD_LEVEL: i32 = 9;

/// Bytes of one data page: zstd compresses each page on its own, so large pages let it find
/// more of a column's repeats (1 MB by default).
const PAGE_BYTES: usize = 8 << 20;

/// Rows written between page size checks, so pages reach [`PAGE_BYTES`].
const ROWS_PER_PAGE_CHECK: usize = 8192;

/// Room for every distinct text of a segment in the `text` column's dictionary (1 MB by
/// default, after which Parquet falls back to plain pages): replies and reshares repeat texts.
const TEXT_DICTIONARY_BYTES: usize = 32 << 20;

/// Columns not worth a dictionary, and their encoding. Measured on the 100k bench store at
/// zstd 3 (compressed KB with the default dictionary -> this): created_at 604 -> 358,
/// source_record 302 -> 0.3 (ascending numbers: deltas); id 279 -> 106, in_reply_to_id 257 ->
/// 157, url 935 -> 886 (ascending ids and shared prefixes: prefix deltas); conversation_id 104 ->
/// 57, reshare_of_id 84 -> 55 (few repeats: plain). The other columns are smaller with one.
const ENCODINGS: [(&str, Encoding); 8] = [
    ("created_at", Encoding::DELTA_BINARY_PACKED),
    ("source_record", Encoding::DELTA_BINARY_PACKED),
    ("id", Encoding::DELTA_BYTE_ARRAY),
    ("in_reply_to_id", Encoding::DELTA_BYTE_ARRAY),
    ("url", Encoding::DELTA_BYTE_ARRAY),
    ("conversation_id", Encoding::PLAIN),
    ("reshare_of_id", Encoding::PLAIN),
    ("quote_of_id", Encoding::PLAIN),
];

fn zstd(path: &Path, level: i32) -> Result<Compression, StoreError> {
    let level = ZstdLevel::try_new(level).map_err(parquet_error(path))?;
    Ok(Compression::ZSTD(level))
}

/// How segments are written. Readers need none of it: Parquet names each column's encoding
/// and compression.
fn properties(path: &Path) -> Result<WriterProperties, StoreError> {
    let mut builder = WriterProperties::builder()
        .set_compression(zstd(path, ZSTD_LEVEL)?)
        .set_data_page_size_limit(PAGE_BYTES)
        .set_write_batch_size(ROWS_PER_PAGE_CHECK)
        .set_column_dictionary_page_size_limit("text".into(), TEXT_DICTIONARY_BYTES)
        .set_column_compression("text".into(), zstd(path, TEXT_ZSTD_LEVEL)?);
    for (column, encoding) in ENCODINGS {
        builder = builder
            .set_column_dictionary_enabled(column.into(), false)
            .set_column_encoding(column.into(), encoding);
    }
    Ok(builder.build())
}

/// The counts a later copy of a post may update, in this order.
pub(crate) const COUNT_COLUMNS: [&str; 6] = [
    "likes",
    "reshares",
    "replies",
    "quotes",
    "views",
    "author_followers",
];

pub(crate) type Counts = [Option<u64>; 6];

pub(crate) fn counts_of(post: &Post) -> Counts {
    [
        post.likes,
        post.reshares,
        post.replies,
        post.quotes,
        post.views,
        post.author_followers,
    ]
}

pub(crate) fn set_counts(post: &mut Post, counts: &Counts) {
    let [likes, reshares, replies, quotes, views, followers] = *counts;
    post.likes = likes;
    post.reshares = reshares;
    post.replies = replies;
    post.quotes = quotes;
    post.views = views;
    post.author_followers = followers;
}

/// What a written segment holds.
pub(crate) struct Written {
    pub rows: u64,
    pub min_created_at: Option<DateTime<Utc>>,
    pub max_created_at: Option<DateTime<Utc>>,
}

fn parquet_error(path: &Path) -> impl Fn(parquet::errors::ParquetError) -> StoreError + '_ {
    move |source| StoreError::Parquet {
        path: path.to_path_buf(),
        source,
    }
}

fn corrupt(path: &Path, message: impl Into<String>) -> StoreError {
    StoreError::Corrupt {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

impl Written {
    pub(crate) fn of(posts: &[Post]) -> Written {
        Written {
            rows: posts.len() as u64,
            min_created_at: posts.iter().map(|p| p.created_at).min(),
            max_created_at: posts.iter().map(|p| p.created_at).max(),
        }
    }
}

/// Writes posts to a new zstd Parquet file in the model's schema and fsyncs it, in `row_groups`
/// row groups of equal size (within Parquet's limit), made into record batches at once and
/// encoded two at a time. The posts are emptied out (their room kept) once in the batches, so
/// that they are not held while the columns are encoded (at 100k posts, some 50 MB of strings).
/// The file is what [`ArrowWriter`] writes of the posts' batch with row groups of that size.
pub(crate) fn write(
    path: &Path,
    posts: &mut Vec<Post>,
    row_groups: usize,
) -> Result<(), StoreError> {
    let properties = properties(path)?;
    // The store sets no byte limit on row groups.
    let group_rows = (properties.max_row_group_row_count())
        .unwrap_or(posts.len())
        .min(posts.len().div_ceil(row_groups.max(1)))
        .max(1);
    let batches = (posts.par_chunks(group_rows))
        .map(dialoog_model::posts_to_batch)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|source| StoreError::Model {
            path: path.to_path_buf(),
            source,
        })?;
    posts.clear();
    let file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)
        .at(path)?;
    let file = write_row_groups(file, &batches, properties).map_err(parquet_error(path))?;
    file.sync_all().at(path)
}

/// One row group per batch, two encoded at a time, each with its `text` column beside the
/// others ([`encode_row_group`]): an ingest's last segment is written while nothing else runs.
fn write_row_groups<W: std::io::Write + Send>(
    out: W,
    batches: &[RecordBatch],
    properties: WriterProperties,
) -> parquet::errors::Result<W> {
    let schema = batches
        .first()
        .map_or_else(dialoog_model::schema, RecordBatch::schema);
    let writer = ArrowWriter::try_new(out, schema, Some(properties))?;
    let (mut writer, columns) = writer.into_serialized_writer()?;
    let groups: Vec<(usize, &RecordBatch)> = batches.iter().enumerate().collect();
    for pair in groups.chunks(2) {
        let encoded = (pair.par_iter())
            .map(|&(group, batch)| encode_row_group(&columns, group, batch))
            .collect::<parquet::errors::Result<Vec<_>>>()?;
        for chunks in encoded {
            let mut row_group = writer.next_row_group()?;
            for chunk in chunks {
                chunk.append_to_row_group(&mut row_group)?;
            }
            row_group.close()?;
        }
    }
    writer.into_inner()
}

/// A row group's column chunks, in the schema's order. The `text` column, at zstd 9 over half
/// of a segment's CPU, is encoded beside the others (rayon's threads are idle during ingest):
/// an ingest's last segment is written while nothing else runs (at 100k posts, 0.65 of 1.45 s
/// on one core).
fn encode_row_group(
    columns: &ArrowRowGroupWriterFactory,
    group: usize,
    batch: &RecordBatch,
) -> parquet::errors::Result<Vec<ArrowColumnChunk>> {
    let writers = columns.create_column_writers(group)?;
    let mut leaves = Vec::with_capacity(writers.len());
    let mut text_leaf = None;
    for (field, array) in batch.schema().fields().iter().zip(batch.columns()) {
        if field.name() == "text" {
            text_leaf = Some(leaves.len());
        }
        leaves.extend(compute_leaves(field, array)?);
    }
    if leaves.len() != writers.len() {
        return Err(ParquetError::General(format!(
            "{} leaf columns for {} column writers",
            leaves.len(),
            writers.len()
        )));
    }
    let encode = |mut writer: ArrowColumnWriter, leaf: &ArrowLeafColumn| {
        writer.write(leaf)?;
        writer.close()
    };
    let mut jobs: Vec<(ArrowColumnWriter, ArrowLeafColumn)> =
        writers.into_iter().zip(leaves).collect();
    let Some(text_leaf) = text_leaf else {
        return jobs
            .into_iter()
            .map(|(writer, leaf)| encode(writer, &leaf))
            .collect();
    };
    let (text_writer, text) = jobs.remove(text_leaf);
    let (text_chunk, chunks) = rayon::join(
        || encode(text_writer, &text),
        || {
            (jobs.into_iter())
                .map(|(writer, leaf)| encode(writer, &leaf))
                .collect::<parquet::errors::Result<Vec<_>>>()
        },
    );
    let mut chunks = chunks?;
    chunks.insert(text_leaf, text_chunk?);
    Ok(chunks)
}

fn reader(
    path: &Path,
    expected_rows: u64,
) -> Result<ParquetRecordBatchReaderBuilder<File>, StoreError> {
    reader_as(path, expected_rows, None, ArrowReaderOptions::new())
}

/// A reader of a segment checked against the manifest and the schema; with `schema`, the
/// columns are read as the Arrow types it gives (dictionaries for text). `options` say what of
/// the metadata is loaded (the page index, to skip pages).
fn reader_as(
    path: &Path,
    expected_rows: u64,
    schema: Option<SchemaRef>,
    options: ArrowReaderOptions,
) -> Result<ParquetRecordBatchReaderBuilder<File>, StoreError> {
    let (file, metadata) = metadata_as(path, expected_rows, schema, options)?;
    Ok(
        ParquetRecordBatchReaderBuilder::new_with_metadata(file, metadata)
            .with_batch_size(READ_BATCH_ROWS),
    )
}

/// The opened segment and its metadata, checked as [`reader_as`] says.
fn metadata_as(
    path: &Path,
    expected_rows: u64,
    schema: Option<SchemaRef>,
    options: ArrowReaderOptions,
) -> Result<(File, ArrowReaderMetadata), StoreError> {
    let file = File::open(path).at(path)?;
    let stored = ArrowReaderMetadata::load(&file, options).map_err(parquet_error(path))?;
    if stored.schema().fields() != dialoog_model::schema().fields() {
        return Err(corrupt(
            path,
            "not in the canonical post schema (written by another dialoog version?)",
        ));
    }
    let metadata = match schema {
        Some(schema) => ArrowReaderMetadata::try_new(
            Arc::clone(stored.metadata()),
            ArrowReaderOptions::new().with_schema(schema),
        )
        .map_err(parquet_error(path))?,
        None => stored,
    };
    let rows = metadata.metadata().file_metadata().num_rows();
    if u64::try_from(rows).ok() != Some(expected_rows) {
        return Err(corrupt(
            path,
            format!("holds {rows} rows, the manifest says {expected_rows}"),
        ));
    }
    Ok((file, metadata))
}

/// Reads a whole segment.
pub(crate) fn read(path: &Path, expected_rows: u64) -> Result<Vec<RecordBatch>, StoreError> {
    batches(reader(path, expected_rows)?, path)
}

/// Text columns read as Arrow dictionaries by [`read_only`]: each distinct value once per
/// segment, as Parquet stores them, instead of once per row (replies and reshares repeat texts;
/// authors post many times).
const DICTIONARY_COLUMNS: [&str; 7] = [
    "platform",
    "kind",
    "author_id",
    "author_handle",
    "text",
    "lang",
    "in_reply_to_author_id",
];

/// The schema with the [`DICTIONARY_COLUMNS`] as dictionaries of Int32 keys.
static DICTIONARY_SCHEMA: LazyLock<SchemaRef> = LazyLock::new(|| {
    let fields: Vec<Field> = dialoog_model::schema()
        .fields()
        .iter()
        .map(|field| {
            let field = field.as_ref().clone();
            if DICTIONARY_COLUMNS.contains(&field.name().as_str()) {
                let key = Box::new(DataType::Int32);
                field.with_data_type(DataType::Dictionary(key, Box::new(DataType::Utf8)))
            } else {
                field
            }
        })
        .collect();
    Arc::new(Schema::new(fields))
});

/// Reads only the named columns of a segment: batches of a projection of the schema, the
/// [`DICTIONARY_COLUMNS`] among them as dictionaries, each row group's in order.
pub(crate) fn read_only(
    path: &Path,
    expected_rows: u64,
    columns: &[&str],
) -> Result<Vec<RecordBatch>, StoreError> {
    Ok(map_row_groups_only(path, expected_rows, columns, |batches| batches)?.concat())
}

/// What `read` makes of each row group's batches of only the named columns (as [`read_only`]
/// reads them), in order. A segment's row groups are read in parallel: an ingest's last
/// segment has two, and a small store is that segment alone.
pub(crate) fn map_row_groups_only<R: Send>(
    path: &Path,
    expected_rows: u64,
    columns: &[&str],
    read: impl Fn(Vec<RecordBatch>) -> R + Sync,
) -> Result<Vec<R>, StoreError> {
    let (_, metadata) = metadata_as(
        path,
        expected_rows,
        Some(Arc::clone(&DICTIONARY_SCHEMA)),
        ArrowReaderOptions::new(),
    )?;
    let mask = projection(metadata.parquet_schema(), path, columns)?;
    let groups = metadata.metadata().num_row_groups();
    if groups == 0 {
        return Ok(vec![read(Vec::new())]);
    }
    // Each row group on a file handle of its own, from the metadata read once.
    (0..groups)
        .into_par_iter()
        .map(|group| {
            let file = File::open(path).at(path)?;
            let builder =
                ParquetRecordBatchReaderBuilder::new_with_metadata(file, metadata.clone())
                    .with_batch_size(READ_BATCH_ROWS)
                    .with_row_groups(vec![group])
                    .with_projection(mask.clone());
            Ok(read(batches(builder, path)?))
        })
        .collect()
}

/// Reads only the named columns of a segment's `rows` (ascending, each once) as [`read_only`]
/// does: the batches hold those rows in order, and rows past the segment's end are left out.
/// Pages that hold none of them are skipped (by the page index), so a few rows cost their pages
/// and the dictionaries, not the whole columns.
pub(crate) fn read_rows_only(
    path: &Path,
    expected_rows: u64,
    columns: &[&str],
    rows: &[u64],
) -> Result<Vec<RecordBatch>, StoreError> {
    let builder = reader_as(
        path,
        expected_rows,
        Some(Arc::clone(&DICTIONARY_SCHEMA)),
        // Where each page starts: enough to skip pages; a segment without it is read whole.
        ArrowReaderOptions::new().with_offset_index_policy(PageIndexPolicy::Optional),
    )?;
    let mask = projection(builder.parquet_schema(), path, columns)?;
    let total = usize::try_from(expected_rows).unwrap_or(usize::MAX);
    let ranges = rows
        .iter()
        .filter_map(|&row| usize::try_from(row).ok())
        .filter(|&row| row < total)
        .map(|row| row..row + 1);
    let selection = RowSelection::from_consecutive_ranges(ranges, total);
    batches(
        builder.with_projection(mask).with_row_selection(selection),
        path,
    )
}

/// The root columns of the canonical schema with these names.
fn projection(
    parquet_schema: &SchemaDescriptor,
    path: &Path,
    columns: &[&str],
) -> Result<ProjectionMask, StoreError> {
    let schema = dialoog_model::schema();
    let mut roots = Vec::with_capacity(columns.len());
    for name in columns {
        roots.push(
            schema
                .index_of(name)
                .map_err(|e| corrupt(path, e.to_string()))?,
        );
    }
    Ok(ProjectionMask::roots(parquet_schema, roots))
}

fn batches(
    builder: ParquetRecordBatchReaderBuilder<File>,
    path: &Path,
) -> Result<Vec<RecordBatch>, StoreError> {
    builder
        .build()
        .map_err(parquet_error(path))?
        .map(|batch| batch.map_err(|source| parquet_error(path)(source.into())))
        .collect()
}

/// Appends a whole segment's posts to `posts`, one record batch at a time: neither the segment's
/// batches nor a second vector of its posts are held.
pub(crate) fn read_posts_into(
    path: &Path,
    expected_rows: u64,
    posts: &mut Vec<Post>,
) -> Result<(), StoreError> {
    let batches = reader(path, expected_rows)?
        .build()
        .map_err(parquet_error(path))?;
    for batch in batches {
        let batch = batch.map_err(|source| parquet_error(path)(source.into()))?;
        posts.extend(dialoog_model::batch_to_posts(&batch).map_err(|source| {
            StoreError::Model {
                path: path.to_path_buf(),
                source,
            }
        })?);
    }
    Ok(())
}

/// Reads only the key and the updatable counts of each row, in row order.
pub(crate) fn read_keys(
    path: &Path,
    expected_rows: u64,
    mut each: impl FnMut(Platform, String, Counts) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let builder = reader(path, expected_rows)?;
    let schema = builder.schema().clone();
    let mut roots = Vec::new();
    for name in ["platform", "id"].iter().chain(COUNT_COLUMNS.iter()) {
        roots.push(
            schema
                .index_of(name)
                .map_err(|e| corrupt(path, e.to_string()))?,
        );
    }
    let mask = ProjectionMask::roots(builder.parquet_schema(), roots);
    let batches = builder
        .with_projection(mask)
        .build()
        .map_err(parquet_error(path))?;
    for batch in batches {
        let batch = batch.map_err(|source| parquet_error(path)(source.into()))?;
        let column = |name: &str| {
            batch
                .column_by_name(name)
                .ok_or_else(|| corrupt(path, format!("no column {name}")))
        };
        let platform = column("platform")?;
        let platform = platform
            .as_string_opt::<i32>()
            .ok_or_else(|| corrupt(path, "column platform is not text"))?;
        let id = column("id")?;
        let id = id
            .as_string_opt::<i32>()
            .ok_or_else(|| corrupt(path, "column id is not text"))?;
        let mut counts = Vec::with_capacity(COUNT_COLUMNS.len());
        for name in COUNT_COLUMNS {
            let array = column(name)?;
            let array = array
                .as_primitive_opt::<UInt64Type>()
                .ok_or_else(|| corrupt(path, format!("column {name} is not UInt64")))?
                .clone();
            counts.push(array);
        }
        for row in 0..batch.num_rows() {
            if platform.is_null(row) || id.is_null(row) {
                return Err(corrupt(path, format!("row {row}: null platform or id")));
            }
            let parsed: Platform = platform
                .value(row)
                .parse()
                .map_err(|e: String| corrupt(path, format!("row {row}: {e}")))?;
            let mut values: Counts = [None; 6];
            for (slot, array) in values.iter_mut().zip(&counts) {
                *slot = array.is_valid(row).then(|| array.value(row));
            }
            each(parsed, id.value(row).to_owned(), values)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;

    fn posts(n: u64) -> Vec<Post> {
        (0..n)
            .map(|i| {
                let created = DateTime::from_timestamp_millis(1_700_000_000_000 + i as i64 * 1000);
                let mut post = Post::new(
                    Platform::Twitter,
                    i.to_string(),
                    created.unwrap_or_default(),
                    format!("a{}", i % 7),
                    format!("user{}", i % 7),
                );
                post.text = format!("bericht {}", i % 13);
                post.mentions = vec![format!("gemeente{}", i % 3)];
                post.likes = (i % 4 != 0).then_some(i);
                post
            })
            .collect()
    }

    #[test]
    fn a_segment_is_what_arrow_writer_writes_of_its_posts() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("segment.parquet");
        let batch = dialoog_model::posts_to_batch(&posts(1000)).unwrap();
        // (row groups asked for, the rows of each ArrowWriter is given)
        for (row_groups, group_rows) in [(1, None), (2, Some(500)), (3, Some(334)), (5000, Some(1))]
        {
            let mut properties = properties(&path).unwrap().into_builder();
            if group_rows.is_some() {
                properties = properties.set_max_row_group_row_count(group_rows);
            }
            let mut expected =
                ArrowWriter::try_new(Vec::new(), batch.schema(), Some(properties.build())).unwrap();
            expected.write(&batch).unwrap();
            let expected = expected.into_inner().unwrap();
            let mut written = posts(1000);
            write(&path, &mut written, row_groups).unwrap();
            assert!(written.is_empty());
            assert!(
                std::fs::read(&path).unwrap() == expected,
                "{row_groups} row groups"
            );
        }
    }
}
