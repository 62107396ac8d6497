//! Records files as dialoog-store wrote them before the long-window layout:
//! `STORE/records/<run>.parquet`, one row per record (`file`, `record`, `format`, `raw`),
//! zstd-compressed by Parquet page by page. Only read: stores written then stay readable.

use crate::StoreError;
use crate::error::IoContext;
use crate::records::records_schema;
use arrow_array::RecordBatch;
use arrow_array::cast::AsArray;
use arrow_array::types::UInt64Type;
use dialoog_model::RawRecord;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use std::fs::File;
use std::path::Path;

/// The extension of these files.
pub(crate) const EXTENSION: &str = ".parquet";

fn parquet_error(path: &Path) -> impl Fn(parquet::errors::ParquetError) -> StoreError + '_ {
    move |source| StoreError::Parquet {
        path: path.to_path_buf(),
        source,
    }
}

/// Calls `each` with every record batch of the file, in [`records_schema`].
pub(crate) fn for_each_batch(
    path: &Path,
    each: &mut dyn FnMut(RecordBatch) -> Result<(), StoreError>,
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
        let batch = batch.map_err(|source| parquet_error(path)(source.into()))?;
        each(batch)?;
    }
    Ok(())
}

/// Calls `each` with every record of the file.
pub(crate) fn read(
    path: &Path,
    each: &mut dyn FnMut(RawRecord) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    for_each_batch(path, &mut |batch| {
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
        Ok(())
    })
}
