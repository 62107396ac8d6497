pub mod compare;
pub mod demo;
pub mod eval;
pub mod factsheet;
pub mod formats;
pub mod ingest;
pub mod sql;
