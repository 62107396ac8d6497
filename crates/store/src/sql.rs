//! SQL over a store with Apache DataFusion: table `posts`, one row per canonical post, over the
//! live segment files the manifest names (never the temp or replaced files beside them), and table
//! `records`, the original records (`file`, `record`, `format`, `raw`) decoded from the records
//! files as the query reads them, which join posts on `source_file = file AND source_record = record`.

use crate::{Store, StoreError};
use arrow_array::{Array, RecordBatch};
use arrow_cast::display::{ArrayFormatter, FormatOptions};
use arrow_schema::SchemaRef;
use datafusion::catalog::streaming::StreamingTable;
use datafusion::datasource::MemTable;
use datafusion::datasource::TableProvider;
use datafusion::datasource::file_format::parquet::ParquetFormat;
use datafusion::datasource::listing::{
    ListingOptions, ListingTable, ListingTableConfig, ListingTableUrl,
};
use datafusion::error::DataFusionError;
use datafusion::execution::TaskContext;
use datafusion::physical_plan::SendableRecordBatchStream;
use datafusion::physical_plan::stream::RecordBatchReceiverStream;
use datafusion::physical_plan::streaming::PartitionStream;
use datafusion::prelude::SessionContext;
use std::fmt::Write;
use std::sync::Arc;

/// Runs one SQL query over the store's posts (table `posts`) and original records (table
/// `records`) and returns the result.
pub fn sql(store: &Store, query: &str) -> Result<Vec<RecordBatch>, StoreError> {
    let fail = |message: String| StoreError::Sql {
        path: store.path().to_path_buf(),
        message,
    };
    let posts = listing_table(
        store,
        store.segment_files(),
        dialoog_model::schema(),
        &|| store.read_batches(),
    )?;
    let partitions: Vec<Arc<dyn PartitionStream>> = store
        .record_files()
        .into_iter()
        .map(|path| {
            let schema = crate::records_schema();
            Arc::new(RecordsFile { path, schema }) as Arc<dyn PartitionStream>
        })
        .collect();
    let records = StreamingTable::try_new(crate::records_schema(), partitions)
        .map_err(|e| fail(e.to_string()))?;
    let records: Arc<dyn TableProvider> = Arc::new(records);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| fail(format!("starting the query runtime: {e}")))?;
    runtime.block_on(async {
        let context = SessionContext::new();
        context
            .register_table("posts", posts)
            .map_err(|e| fail(e.to_string()))?;
        context
            .register_table("records", records)
            .map_err(|e| fail(e.to_string()))?;
        let frame = context.sql(query).await.map_err(|e| fail(e.to_string()))?;
        let schema: SchemaRef = Arc::new(frame.schema().as_arrow().clone());
        let mut batches = frame.collect().await.map_err(|e| fail(e.to_string()))?;
        // No rows still has columns: keep them, so the table and CSV show their header.
        batches.retain(|b| b.num_rows() > 0);
        if batches.is_empty() {
            batches.push(RecordBatch::new_empty(schema));
        }
        Ok(batches)
    })
}

/// A table: a Parquet listing over the live files; an in-memory table (of `batches`) when there
/// are none, or when the store's path cannot be given to DataFusion as a plain path (it treats
/// `*`, `?` and `[` as a glob).
fn listing_table(
    store: &Store,
    files: Vec<std::path::PathBuf>,
    schema: SchemaRef,
    batches: &dyn Fn() -> Result<Vec<RecordBatch>, StoreError>,
) -> Result<Arc<dyn TableProvider>, StoreError> {
    let fail = |message: String| StoreError::Sql {
        path: store.path().to_path_buf(),
        message,
    };
    let mut urls = Vec::new();
    for file in files {
        let file = std::path::absolute(&file).map_err(|source| StoreError::Io {
            path: file.clone(),
            source,
        })?;
        match file.to_str() {
            Some(text) if !text.contains(['*', '?', '[']) => {
                urls.push(ListingTableUrl::parse(text).map_err(|e| fail(e.to_string()))?);
            }
            _ => {
                urls.clear();
                break;
            }
        }
    }
    if urls.is_empty() {
        let batches = batches()?;
        let table = MemTable::try_new(schema, vec![batches]).map_err(|e| fail(e.to_string()))?;
        return Ok(Arc::new(table));
    }
    let options =
        ListingOptions::new(Arc::new(ParquetFormat::default())).with_file_extension(".parquet");
    let config = ListingTableConfig::new_with_multi_paths(urls)
        .with_listing_options(options)
        .with_schema(schema);
    let table = ListingTable::try_new(config).map_err(|e| fail(e.to_string()))?;
    Ok(Arc::new(table))
}

/// One records file as a partition of the `records` table, decoded batch by batch as the query
/// reads it (the records of a large store do not fit in memory decoded).
#[derive(Debug)]
struct RecordsFile {
    path: std::path::PathBuf,
    schema: SchemaRef,
}

impl PartitionStream for RecordsFile {
    fn schema(&self) -> &SchemaRef {
        &self.schema
    }

    fn execute(&self, _context: Arc<TaskContext>) -> SendableRecordBatchStream {
        let mut builder = RecordBatchReceiverStream::builder(self.schema.clone(), 2);
        let sender = builder.tx();
        let path = self.path.clone();
        builder.spawn_blocking(move || {
            let mut stopped = false;
            let read = crate::records::for_each_batch(&path, &mut |batch| {
                if sender.blocking_send(Ok(batch)).is_err() {
                    // The query has what it needs (a LIMIT): stop decoding.
                    stopped = true;
                    return Err(StoreError::Corrupt {
                        path: path.clone(),
                        message: "query stopped reading".into(),
                    });
                }
                Ok(())
            });
            match read {
                Err(_) if stopped => Ok(()),
                other => other.map_err(|e| DataFusionError::External(Box::new(e))),
            }
        });
        builder.build()
    }
}

/// Query results as a text table.
pub fn format_table(batches: &[RecordBatch]) -> Result<String, StoreError> {
    arrow_cast::pretty::pretty_format_batches(batches)
        .map(|table| table.to_string())
        .map_err(|e| StoreError::Format(e.to_string()))
}

/// Query results as CSV (RFC 4180: a header line, fields quoted when needed, nulls empty).
pub fn format_csv(batches: &[RecordBatch]) -> Result<String, StoreError> {
    let mut out = String::new();
    let Some(first) = batches.first() else {
        return Ok(out);
    };
    let header: Vec<String> = first
        .schema()
        .fields()
        .iter()
        .map(|f| csv_field(f.name()))
        .collect();
    out.push_str(&header.join(","));
    out.push('\n');
    let options = FormatOptions::new().with_null("");
    for batch in batches {
        let formatters = batch
            .columns()
            .iter()
            .map(|column| ArrayFormatter::try_new(column.as_ref() as &dyn Array, &options))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| StoreError::Format(e.to_string()))?;
        for row in 0..batch.num_rows() {
            for (i, formatter) in formatters.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                let mut value = String::new();
                write!(value, "{}", formatter.value(row))
                    .map_err(|e| StoreError::Format(e.to_string()))?;
                out.push_str(&csv_field(&value));
            }
            out.push('\n');
        }
    }
    Ok(out)
}

fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::csv_field;

    #[test]
    fn csv_fields_are_quoted_when_needed() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
    }
}
