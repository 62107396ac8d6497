//! `dialoog`: the command-line front of Dialoog. It only parses arguments and dispatches; every
//! command is one module under `cmd/` with its help text, its arguments and one `run`.

mod cmd;
mod progress;

use clap::{Parser, Subcommand};

// Faster than the system allocator for the many small allocations of ingest and factsheet.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Dialoog measures how governments take part in conversations on social media.
///
/// Typical use: `dialoog ingest EXPORT... --store STORE`, then
/// `dialoog factsheet --store STORE --registry accounts.csv --out OUT/`.
/// `dialoog demo` runs both on the real sample that ships with Dialoog.
#[derive(Parser)]
#[command(name = "dialoog", version, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Ingest(cmd::ingest::Args),
    Factsheet(cmd::factsheet::Args),
    Compare(cmd::compare::Args),
    Demo(cmd::demo::Args),
    Sql(cmd::sql::Args),
    Formats(cmd::formats::Args),
    Mapping(cmd::mapping::Args),
    Eval(cmd::eval::Args),
    Export(cmd::export::Args),
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Ingest(args) => cmd::ingest::run(args),
        Command::Factsheet(args) => cmd::factsheet::run(args),
        Command::Compare(args) => cmd::compare::run(args),
        Command::Demo(args) => cmd::demo::run(args),
        Command::Sql(args) => cmd::sql::run(args),
        Command::Formats(args) => cmd::formats::run(args),
        Command::Mapping(args) => cmd::mapping::run(args),
        Command::Eval(args) => cmd::eval::run(args),
        Command::Export(args) => cmd::export::run(args),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        // The reader went away (`dialoog sql … | head`): stop quietly, as Unix tools do.
        Err(error) if is_broken_pipe(&error) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("dialoog: error: {}", message_of(&error));
            std::process::ExitCode::FAILURE
        }
    }
}

/// The error and its causes, each cause left out when the message before already says it, and
/// a cause's leading "PATH: " when the message before ends with that path: the libraries' errors
/// name their source in their own message (so they read whole wherever they are shown), which
/// `{:#}` would print twice ("x.gz: No such file…: No such file…", "opening the store s: s: no
/// store here").
fn message_of(error: &anyhow::Error) -> String {
    let mut message = String::new();
    let mut before = String::new();
    for cause in error.chain() {
        let said = cause.to_string();
        if !before.contains(&said) {
            if !message.is_empty() {
                message.push_str(": ");
            }
            let new = match said.split_once(": ") {
                Some((subject, rest)) if !message.is_empty() && before.ends_with(subject) => rest,
                _ => said.as_str(),
            };
            message.push_str(new);
        }
        before = said;
    }
    message
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

#[cfg(test)]
mod tests {
    use super::message_of;
    use anyhow::Context as _;

    #[test]
    fn a_cause_already_in_the_message_is_said_once() {
        let missing = std::io::Error::from(std::io::ErrorKind::NotFound);
        let said = missing.to_string();
        let error = anyhow::Error::new(dialoog_ingest::IngestError::Io {
            path: "x.gz".into(),
            source: missing,
        });
        assert_eq!(message_of(&error), format!("x.gz: {said}"));
        let error = error.context("ingesting into the store s");
        assert_eq!(
            message_of(&error),
            format!("ingesting into the store s: x.gz: {said}")
        );
    }

    #[test]
    fn a_path_the_message_ends_with_is_not_said_again() {
        let error = anyhow::Error::new(dialoog_store::StoreError::NotAStore {
            path: "/tmp/s".into(),
        })
        .context("opening the store /tmp/s");
        let message = message_of(&error);
        assert!(
            message.starts_with("opening the store /tmp/s: no store here"),
            "{message}"
        );
    }

    #[test]
    fn causes_not_in_the_message_are_added() {
        let error: anyhow::Result<()> = Err(anyhow::anyhow!("disk full"));
        let error = error.context("writing s").unwrap_err();
        assert_eq!(message_of(&error), "writing s: disk full");
    }
}
