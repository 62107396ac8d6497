//! The account registry: which accounts are government, politicians, media or organisations.
//! Read from CSV (header: platform, handle, id, role, organisation, level; `platform` and one of
//! `handle`/`id` may be empty) or from TOML (`[[account]]` tables with the same keys).

use crate::{ModelError, Platform, Post, Role};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;

/// One registered account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Account {
    /// `None` matches the handle or id on every platform.
    #[serde(default, deserialize_with = "empty_as_none")]
    pub platform: Option<Platform>,
    #[serde(default, deserialize_with = "empty_as_none")]
    pub handle: Option<String>,
    #[serde(default, deserialize_with = "empty_as_none")]
    pub id: Option<String>,
    pub role: Role,
    #[serde(default)]
    pub organisation: String,
    /// Free text: ministry, municipality, province, police, agency, webcare, …
    #[serde(default)]
    pub level: String,
}

fn empty_as_none<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    let text: Option<String> = Option::deserialize(deserializer)?;
    match text.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(value) => value
            .trim_start_matches('@')
            .parse()
            .map(Some)
            .map_err(serde::de::Error::custom),
    }
}

#[derive(Deserialize)]
struct RegistryToml {
    #[serde(default)]
    account: Vec<Account>,
}

/// Registered accounts, looked up by (platform, lower-cased handle) or (platform, id).
#[derive(Debug, Clone, Default)]
pub struct Registry {
    accounts: Vec<Account>,
    by_handle: HashMap<(Option<Platform>, String), usize>,
    by_id: HashMap<(Option<Platform>, String), usize>,
}

impl Registry {
    pub fn new(accounts: Vec<Account>) -> Registry {
        let mut registry = Registry::default();
        for account in accounts {
            let index = registry.accounts.len();
            if let Some(handle) = &account.handle {
                registry
                    .by_handle
                    .insert((account.platform, handle.to_lowercase()), index);
            }
            if let Some(id) = &account.id {
                registry.by_id.insert((account.platform, id.clone()), index);
            }
            registry.accounts.push(account);
        }
        registry
    }

    /// Reads a registry from a `.toml` file, or CSV otherwise.
    pub fn load(path: &Path) -> Result<Registry, ModelError> {
        let io = |source| ModelError::Io {
            path: path.to_owned(),
            source,
        };
        if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("toml"))
        {
            let text = std::fs::read_to_string(path).map_err(io)?;
            let parsed: RegistryToml = toml::from_str(&text).map_err(|e| ModelError::Case {
                path: path.to_owned(),
                message: e.to_string(),
            })?;
            return Ok(Registry::new(parsed.account));
        }
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_path(path)
            .map_err(|e| ModelError::Registry {
                path: path.to_owned(),
                line: 1,
                message: e.to_string(),
            })?;
        let mut accounts = Vec::new();
        for record in reader.deserialize::<Account>() {
            let account = record.map_err(|e| ModelError::Registry {
                path: path.to_owned(),
                line: e.position().map_or(0, |p| p.line()),
                message: e.to_string(),
            })?;
            if account.handle.is_none() && account.id.is_none() {
                return Err(ModelError::Registry {
                    path: path.to_owned(),
                    line: accounts.len() as u64 + 2,
                    message: "an account needs a handle or an id".into(),
                });
            }
            accounts.push(account);
        }
        Ok(Registry::new(accounts))
    }

    pub fn accounts(&self) -> &[Account] {
        &self.accounts
    }

    pub fn is_empty(&self) -> bool {
        self.accounts.is_empty()
    }

    /// The registered account of a post's author, matched by id first, then by handle.
    pub fn lookup(&self, platform: Platform, author_id: &str, handle: &str) -> Option<&Account> {
        let handle = handle.trim_start_matches('@').to_lowercase();
        [Some(platform), None]
            .iter()
            .find_map(|p| {
                self.by_id
                    .get(&(*p, author_id.to_owned()))
                    .or_else(|| self.by_handle.get(&(*p, handle.clone())))
            })
            .map(|&i| &self.accounts[i])
    }

    /// The role of a post's author; unregistered authors are citizens.
    pub fn role_of(&self, post: &Post) -> Role {
        self.role_of_account(post.platform, &post.author_id, &post.author_handle)
    }

    /// The role of an account (by id and/or handle); unregistered accounts are citizens.
    pub fn role_of_account(&self, platform: Platform, author_id: &str, handle: &str) -> Role {
        self.lookup(platform, author_id, handle)
            .map_or(Role::Citizen, |a| a.role)
    }

    /// The role of a mentioned handle (mentions carry no ids).
    pub fn role_of_handle(&self, platform: Platform, handle: &str) -> Role {
        self.lookup(platform, "", handle)
            .map_or(Role::Citizen, |a| a.role)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;
    use std::io::Write;

    #[test]
    fn csv_registry_matches_handles_case_insensitively_and_ids_exactly() {
        let mut file = tempfile_in_target("registry.csv");
        writeln!(file.1, "platform,handle,id,role,organisation,level").unwrap();
        writeln!(file.1, "twitter,@Politie,,government,Politie,police").unwrap();
        writeln!(file.1, ",,12345,politician,VVD,").unwrap();
        drop(file.1);
        let registry = Registry::load(&file.0).unwrap();
        let mut post = Post::new(Platform::Twitter, "1", DateTime::UNIX_EPOCH, "7", "POLITIE");
        assert_eq!(registry.role_of(&post), Role::Government);
        post.platform = Platform::Mastodon;
        assert_eq!(registry.role_of(&post), Role::Citizen);
        post.author_id = "12345".into();
        assert_eq!(registry.role_of(&post), Role::Politician);
        std::fs::remove_file(&file.0).unwrap();
    }

    #[test]
    fn csv_registry_names_the_line_of_a_bad_role() {
        let mut file = tempfile_in_target("bad-registry.csv");
        writeln!(file.1, "platform,handle,id,role").unwrap();
        writeln!(file.1, "twitter,a,,government").unwrap();
        writeln!(file.1, "twitter,b,,minister").unwrap();
        drop(file.1);
        let error = Registry::load(&file.0).unwrap_err().to_string();
        assert!(error.contains("line 3"), "{error}");
        assert!(error.contains("minister"), "{error}");
        std::fs::remove_file(&file.0).unwrap();
    }

    fn tempfile_in_target(name: &str) -> (std::path::PathBuf, std::fs::File) {
        let path =
            std::env::temp_dir().join(format!("dialoog-model-{}-{name}", std::process::id()));
        let file = std::fs::File::create(&path).unwrap();
        (path, file)
    }
}
