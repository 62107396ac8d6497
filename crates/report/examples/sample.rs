//! Writes a plausible factsheet (and an empty one) to a folder, to look at:
//! `cargo run -p dialoog-report --example sample -- OUT/` → OUT/factsheet.html, OUT/empty/factsheet.html.

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "sample-factsheet".into()),
    );
    let written = dialoog_report::write_all(&dialoog_report::sample::webcare(), &out)?;
    println!("{}", written.html.display());
    let empty = dialoog_report::write_all(&dialoog_report::sample::empty(), &out.join("empty"))?;
    println!("{}", empty.html.display());
    for (name, f) in [
        ("hourly", dialoog_report::sample::hourly()),
        ("long", dialoog_report::sample::long()),
    ] {
        println!(
            "{}",
            dialoog_report::write_all(&f, &out.join(name))?
                .html
                .display()
        );
    }
    Ok(())
}
