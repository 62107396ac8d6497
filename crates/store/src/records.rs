//! The original records of each ingest: `STORE/records/<run>.parquet`, one row per input record
//! that gave a post or was quarantined (`file`, `record`, `format`, `raw`), zstd-compressed by
//! Parquet page by page, so similar neighbouring records compress together. Posts join them on
//! `source_file = file AND source_record = record`.

use crate::StoreError;
use crate::background::Background;
use crate::error::IoContext;
use crate::segment;
use arrow_array::builder::{BinaryBuilder, StringBuilder, UInt64Builder};
use arrow_array::cast::AsArray;
use arrow_array::types::UInt64Type;
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use dialoog_model::RawRecord;
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::basic::Encoding;
use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

/// Raw bytes buffered before they are written out as one row group: bounds the writer's memory.
const BATCH_BYTES: usize = 16 << 20;

/// zstd level of the records. Measured on the 100k bench records (size, CPU to write): 8 MB pages
/// at 3 11.53 MB 0.41 s, 6 10.29 MB 0.87 s, 9 9.54 MB 1.36 s; 16 MB pages at 3 11.43 MB 0.39 s,
/// 7 9.95 MB 1.09 s, 9 9.30 MB 1.29 s, 10 9.15 MB 1.62 s. A long window over the whole input
/// would do better (`zstd -3 --long=27`: 8.4 MB), but Parquet compresses page by page and
/// parquet-rs sets only the level. Level 3 because ingest is CPU-bound once parsing runs on both
/// cores: at 1M posts on the idle machine, level 7 took 12.8 s wall and 23 CPU s against 9.6 s and
/// 17 CPU s at 3, for a store of 147 MB instead of 161 MB.
const ZSTD_LEVEL: i32 = 3;

/// Records written between page size checks: several MB of typical records, so pages reach
/// [`BATCH_BYTES`] (the default, 1024, cuts them at about 1 MB).
const RECORDS_PER_PAGE_CHECK: usize = 8192;

static SCHEMA: LazyLock<SchemaRef> = LazyLock::new(|| {
    Arc::new(Schema::new(vec![
        Field::new("file", DataType::Utf8, false),
        Field::new("record", DataType::UInt64, false),
        Field::new("format", DataType::Utf8, false),
        Field::new("raw", DataType::Binary, false),
    ]))
});

/// The schema of the records files.
pub fn records_schema() -> SchemaRef {
    SCHEMA.clone()
}

fn parquet_error(path: &Path) -> impl Fn(parquet::errors::ParquetError) -> StoreError + '_ {
    move |source| StoreError::Parquet {
        path: path.to_path_buf(),
        source,
    }
}

fn arrow_error(path: &Path) -> impl Fn(arrow_schema::ArrowError) -> StoreError + '_ {
    move |e| StoreError::Corrupt {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

/// Streams one ingest's records into a Parquet file: the batches are built here, encoded and
/// compressed on a worker thread.
pub(crate) struct RecordsWriter {
    path: PathBuf,
    worker: Background<RecordBatch, PathBuf>,
    files: StringBuilder,
    records: UInt64Builder,
    formats: StringBuilder,
    raws: BinaryBuilder,
    buffered: usize,
    rows: usize,
}

impl RecordsWriter {
    pub(crate) fn create(path: PathBuf) -> Result<RecordsWriter, StoreError> {
        let file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&path)
            .at(&path)?;
        // One page per row group, without a dictionary (raw records are unique): zstd then sees
        // 16 MB of similar records at a time instead of 1 MB.
        // Record numbers ascend: stored as deltas (100k bench records: 281 KB -> 0.3 KB).
        let properties = segment::zstd_properties(&path, ZSTD_LEVEL)?
            .set_column_dictionary_enabled("raw".into(), false)
            .set_column_dictionary_enabled("record".into(), false)
            .set_column_encoding("record".into(), Encoding::DELTA_BINARY_PACKED)
            .set_data_page_size_limit(BATCH_BYTES)
            .set_write_batch_size(RECORDS_PER_PAGE_CHECK)
            .build();
        let mut writer = ArrowWriter::try_new(file, records_schema(), Some(properties))
            .map_err(parquet_error(&path))?;
        let worker_path = path.clone();
        let worker = Background::spawn(path.clone(), move |batches| {
            let path = worker_path;
            for batch in batches {
                writer.write(&batch).map_err(parquet_error(&path))?;
                writer.flush().map_err(parquet_error(&path))?;
            }
            let file = writer.into_inner().map_err(parquet_error(&path))?;
            file.sync_all().at(&path)?;
            Ok(path)
        })?;
        Ok(RecordsWriter {
            path,
            worker,
            files: StringBuilder::new(),
            records: UInt64Builder::new(),
            formats: StringBuilder::new(),
            raws: BinaryBuilder::new(),
            buffered: 0,
            rows: 0,
        })
    }

    pub(crate) fn add(&mut self, raw: &RawRecord) -> Result<(), StoreError> {
        self.files.append_value(&raw.file);
        self.records.append_value(raw.record);
        self.formats.append_value(&raw.format);
        self.raws.append_value(&raw.bytes);
        self.buffered += raw.bytes.len() + raw.file.len();
        self.rows += 1;
        if self.buffered >= BATCH_BYTES {
            self.write_batch()?;
        }
        Ok(())
    }

    /// Writes the buffered records as one row group.
    fn write_batch(&mut self) -> Result<(), StoreError> {
        if self.rows == 0 {
            return Ok(());
        }
        let columns: Vec<ArrayRef> = vec![
            Arc::new(self.files.finish()),
            Arc::new(self.records.finish()),
            Arc::new(self.formats.finish()),
            Arc::new(self.raws.finish()),
        ];
        let batch =
            RecordBatch::try_new(records_schema(), columns).map_err(arrow_error(&self.path))?;
        self.worker.send(batch)?;
        self.buffered = 0;
        self.rows = 0;
        Ok(())
    }

    /// Writes the rest, closes the file and makes it durable.
    pub(crate) fn finish(mut self) -> Result<PathBuf, StoreError> {
        self.write_batch()?;
        self.worker.finish()
    }
}

/// A whole records file as record batches.
#[cfg(feature = "sql")]
pub(crate) fn read_batches(path: &Path) -> Result<Vec<RecordBatch>, StoreError> {
    let file = File::open(path).at(path)?;
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).map_err(parquet_error(path))?;
    builder
        .build()
        .map_err(parquet_error(path))?
        .map(|batch| batch.map_err(arrow_error(path)))
        .collect()
}

/// Reads a records file, calling `each` for every record.
pub(crate) fn read(
    path: &Path,
    each: &mut dyn FnMut(RawRecord) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let file = File::open(path).at(path)?;
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).map_err(parquet_error(path))?;
    if builder.schema().fields() != records_schema().fields() {
        return Err(StoreError::Corrupt {
            path: path.to_path_buf(),
            message: "not a records file (written by another dialoog version?)".into(),
        });
    }
    for batch in builder.build().map_err(parquet_error(path))? {
        let batch = batch.map_err(arrow_error(path))?;
        let column = |i: usize| batch.column(i);
        let (Some(files), Some(records), Some(formats), Some(raws)) = (
            column(0).as_string_opt::<i32>(),
            column(1).as_primitive_opt::<UInt64Type>(),
            column(2).as_string_opt::<i32>(),
            column(3).as_binary_opt::<i32>(),
        ) else {
            return Err(StoreError::Corrupt {
                path: path.to_path_buf(),
                message: "records file columns of the wrong type".into(),
            });
        };
        for row in 0..batch.num_rows() {
            each(RawRecord {
                file: files.value(row).to_owned(),
                record: records.value(row),
                format: formats.value(row).to_owned(),
                bytes: raws.value(row).to_vec(),
            })?;
        }
    }
    Ok(())
}
