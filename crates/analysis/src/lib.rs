//! The factsheet's measures, computed from canonical posts, a registry and a case.

pub mod factsheet;
pub use factsheet::*;
