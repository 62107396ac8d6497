//! A case: what is studied (title, period, focus accounts, dated events), read from TOML.
//!
//! ```toml
//! title = "Twitter rond de aardbevingen in Groningen"
//! description = "…"
//! registry = "accounts.csv"          # relative to this file
//! start = "2018-01-01"               # inclusive, optional
//! end = "2018-03-01"                 # exclusive, optional
//! focus = ["twitter:NAM_nl"]         # explicit focus accounts (handle or platform:handle)
//! focus_roles = ["government"]       # default when `focus` is empty
//! focus_label = "government"         # what the factsheet calls the focus accounts
//! time_zone = "Europe/Amsterdam"
//! co_engagement_min_weight = 5      # co-engagement links below this are pruned
//! [[event]]
//! at = "2018-01-08T14:00:00+01:00"
//! label = "Aardbeving Zeerijp (3.4)"
//! ```

use crate::{ModelError, Platform, Post, Registry, Role};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::path::{Path, PathBuf};

/// A dated event the timeline marks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseEvent {
    pub at: DateTime<Utc>,
    pub label: String,
}

/// The case under study.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    #[serde(default = "default_title")]
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// Registry file, relative to the case file.
    #[serde(default)]
    pub registry: Option<PathBuf>,
    #[serde(default)]
    pub start: Option<NaiveDate>,
    #[serde(default)]
    pub end: Option<NaiveDate>,
    #[serde(default)]
    pub focus: Vec<String>,
    #[serde(default = "default_focus_roles")]
    pub focus_roles: Vec<Role>,
    #[serde(default = "default_focus_label")]
    pub focus_label: String,
    #[serde(default = "default_time_zone")]
    pub time_zone: String,
    #[serde(default, rename = "event")]
    pub events: Vec<CaseEvent>,
    /// Free text on the data's source and licence, shown under method and provenance.
    #[serde(default)]
    pub source: String,
    /// Co-engagement links below this many shared posts are pruned (default 5, the study's).
    #[serde(default)]
    pub co_engagement_min_weight: Option<u64>,
}

fn default_title() -> String {
    "Dialoog factsheet".into()
}
fn default_focus_roles() -> Vec<Role> {
    vec![Role::Government]
}
fn default_focus_label() -> String {
    "government".into()
}
fn default_time_zone() -> String {
    "Europe/Amsterdam".into()
}

impl Default for Case {
    fn default() -> Case {
        Case {
            title: default_title(),
            description: String::new(),
            registry: None,
            start: None,
            end: None,
            focus: Vec::new(),
            focus_roles: default_focus_roles(),
            focus_label: default_focus_label(),
            time_zone: default_time_zone(),
            events: Vec::new(),
            source: String::new(),
            co_engagement_min_weight: None,
        }
    }
}

impl Case {
    /// Reads a case file; a relative `registry` path is resolved against the case file's folder.
    pub fn load(path: &Path) -> Result<Case, ModelError> {
        let text = std::fs::read_to_string(path).map_err(|source| ModelError::Io {
            path: path.to_owned(),
            source,
        })?;
        let mut case: Case = toml::from_str(&text).map_err(|e| ModelError::Case {
            path: path.to_owned(),
            message: e.to_string(),
        })?;
        if let (Some(registry), Some(folder)) = (&case.registry, path.parent())
            && registry.is_relative()
        {
            case.registry = Some(folder.join(registry));
        }
        Ok(case)
    }

    /// Whether a post falls within the case period (start inclusive, end exclusive, UTC dates).
    pub fn in_period(&self, post: &Post) -> bool {
        self.in_period_at(post.created_at)
    }

    /// Whether a moment falls within the case period ([`Case::in_period`]).
    pub fn in_period_at(&self, created_at: DateTime<Utc>) -> bool {
        let day = created_at.date_naive();
        self.start.is_none_or(|s| day >= s) && self.end.is_none_or(|e| day < e)
    }

    /// The case period as milliseconds since the epoch (start inclusive, end exclusive), for
    /// [`crate::PostRef::created_at_millis`]: `in_period_at(t)` is `period_millis().contains(&millis)`.
    pub fn period_millis(&self) -> Range<i64> {
        let midnight = |day: NaiveDate| day.and_time(NaiveTime::MIN).and_utc().timestamp_millis();
        self.start.map_or(i64::MIN, midnight)..self.end.map_or(i64::MAX, midnight)
    }

    /// Whether a post's author is a focus account: named in `focus`, or else of a focus role.
    pub fn is_focus(&self, registry: &Registry, post: &Post) -> bool {
        self.is_focus_account(
            registry,
            post.platform,
            &post.author_id,
            &post.author_handle,
        )
    }

    /// Whether an account (by id and/or handle) is a focus account.
    pub fn is_focus_account(
        &self,
        registry: &Registry,
        platform: Platform,
        author_id: &str,
        handle: &str,
    ) -> bool {
        if self.focus.is_empty() {
            let role = registry
                .lookup(platform, author_id, handle)
                .map_or(Role::Citizen, |a| a.role);
            return self.focus_roles.contains(&role);
        }
        let handle = handle.trim_start_matches('@');
        self.focus.iter().any(|entry| {
            let (entry_platform, name) = match entry.split_once(':') {
                Some((p, n)) => (p.parse::<Platform>().ok(), n),
                None => (None, entry.as_str()),
            };
            let name = name.trim_start_matches('@');
            entry_platform.is_none_or(|p| p == platform)
                && (name.eq_ignore_ascii_case(handle)
                    || (!author_id.is_empty() && name == author_id))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Account;

    #[test]
    fn focus_defaults_to_registered_government_accounts() {
        let registry = Registry::new(vec![Account {
            platform: None,
            handle: Some("gemeenteleiden".into()),
            id: None,
            role: Role::Government,
            organisation: "Gemeente Leiden".into(),
            level: "municipality".into(),
        }]);
        let case = Case::default();
        assert!(case.is_focus_account(&registry, Platform::Twitter, "1", "GemeenteLeiden"));
        assert!(!case.is_focus_account(&registry, Platform::Twitter, "2", "burger"));
    }

    #[test]
    fn the_period_in_milliseconds_holds_the_moments_in_the_period() {
        let case: Case = toml::from_str(
            r#"start = "2018-01-01"
                                          end = "2018-03-01""#,
        )
        .unwrap();
        let unbounded = Case::default();
        for moment in [
            "2017-12-31T23:59:59.999Z",
            "2018-01-01T00:00:00Z",
            "2018-02-28T23:59:59.999Z",
            "2018-03-01T00:00:00Z",
            "1970-01-01T00:00:00Z",
        ] {
            let at: DateTime<Utc> = moment.parse().unwrap();
            let millis = at.timestamp_millis();
            assert_eq!(
                case.period_millis().contains(&millis),
                case.in_period_at(at),
                "{moment}"
            );
            assert!(unbounded.period_millis().contains(&millis));
        }
        assert!(!case.period_millis().contains(&i64::MIN));
    }

    #[test]
    fn explicit_focus_overrides_roles() {
        let case: Case = toml::from_str(
            r#"focus = ["twitter:@minister", "42"]
               [[event]]
               at = "2018-01-08T14:00:00+01:00"
               label = "Aardbeving""#,
        )
        .unwrap();
        let registry = Registry::default();
        assert!(case.is_focus_account(&registry, Platform::Twitter, "", "Minister"));
        assert!(!case.is_focus_account(&registry, Platform::Mastodon, "", "minister"));
        assert!(case.is_focus_account(&registry, Platform::Mastodon, "42", "x"));
        assert_eq!(case.events[0].at.to_rfc3339(), "2018-01-08T13:00:00+00:00");
    }
}
