//! The options every command that writes post data shares: redaction and pseudonymisation.

use anyhow::Context as _;
use dialoog_analysis::PrivacyOptions;
use dialoog_model::{Case, Post, PostTable, Registry};
use dialoog_text::pseudonym::{self, Pseudonymiser};
use std::path::PathBuf;

#[derive(clap::Args, Clone, Debug, Default)]
pub struct PrivacyArgs {
    /// Show personal data as posted. By default every output shows BSNs, IBANs, phone numbers,
    /// e-mail addresses, addresses, licence plates and dates of birth as [BSN], [IBAN], [PHONE],
    /// [EMAIL], [ADDRESS], [PLATE], [DOB] (an organisation's service number or info@ address is
    /// kept).
    #[arg(long)]
    pub no_redact: bool,
    /// Replace every author that is not a focus account by a keyed hash (anon_ + HMAC-SHA256),
    /// also in mentions, texts' @handles, reply targets and the network files. KEYFILE holds the
    /// secret key (at least 16 bytes; e.g. `head -c 32 /dev/urandom | base64 > KEYFILE`); the same
    /// key gives the same pseudonyms in every run.
    #[arg(long, value_name = "KEYFILE")]
    pub pseudonymise: Option<PathBuf>,
}

impl PrivacyArgs {
    /// Pseudonymises the posts when asked (returning the registry to use with them) and says how
    /// the outputs treat personal data. A missing or short key file is an error.
    pub fn apply(
        &self,
        posts: &mut [Post],
        registry: Registry,
        case: &Case,
    ) -> anyhow::Result<(Registry, PrivacyOptions)> {
        let options = self.options();
        let Some(path) = &self.pseudonymise else {
            return Ok((registry, options));
        };
        let key = Pseudonymiser::from_key_file(path).context("--pseudonymise")?;
        let registry = pseudonym::pseudonymise(posts, &registry, case, &key);
        Ok((registry, options))
    }

    /// [`PrivacyArgs::apply`] to posts read in place. Pseudonymising rewrites authors, mentions
    /// and texts, so only then are the posts made into `Post`s and back into a table.
    pub fn apply_to_table(
        &self,
        table: PostTable,
        registry: Registry,
        case: &Case,
    ) -> anyhow::Result<(PostTable, Registry, PrivacyOptions)> {
        if self.pseudonymise.is_none() {
            return Ok((table, registry, self.options()));
        }
        let mut posts = table.to_posts();
        drop(table);
        let (registry, options) = self.apply(&mut posts, registry, case)?;
        Ok((PostTable::from_posts(&posts)?, registry, options))
    }

    pub fn options(&self) -> PrivacyOptions {
        PrivacyOptions {
            redact: !self.no_redact,
            pseudonymised: self.pseudonymise.is_some(),
        }
    }
}
