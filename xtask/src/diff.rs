//! `cargo xtask diff`: the toolkit's diff on the project's spec, with what no other tool shows:
//! the change in the public API of the Rust client generated from each side.

use std::collections::BTreeSet;
use std::path::Path;

use anyhow::Result;
use openapi_toolkit::Document;
use openapi_toolkit::cli::DiffArgs;
use openapi_toolkit::diff::ClientDiff;

pub fn run(args: &DiffArgs) -> Result<()> {
    openapi_toolkit::cli::diff(args, &crate::context(), Some(&client_diff))?;
    Ok(())
}

/// The generated client's public API on each side, generated in memory, as removed and added lines.
pub fn client_diff(base_doc: &Document, head_doc: &Document) -> ClientDiff {
    let listing = |document: &Document| -> Result<BTreeSet<String>> {
        let path = Path::new(document.name());
        let openapi = crate::spec::parse(path, document.text())?;
        let spec = crate::spec::Spec {
            path: path.to_path_buf(),
            openapi,
        };
        let source = crate::codegen::client_source(&spec)?;
        Ok(crate::api_listing::listing(&source)?
            .lines()
            .map(str::to_string)
            .collect())
    };
    match (listing(base_doc), listing(head_doc)) {
        (Ok(base), Ok(head)) => ClientDiff {
            removed: base.difference(&head).cloned().collect(),
            added: head.difference(&base).cloned().collect(),
            error: None,
        },
        // Say which side failed: a head that no longer generates is what the reviewer must fix.
        (base, head) => {
            let mut reasons = Vec::new();
            if let Err(err) = base {
                reasons.push(format!(
                    "no client can be generated from the base ({}): {err:#}",
                    base_doc.name()
                ));
            }
            if let Err(err) = head {
                reasons.push(format!(
                    "no client can be generated from the head ({}): {err:#}",
                    head_doc.name()
                ));
            }
            ClientDiff {
                error: Some(reasons.join("; ")),
                ..ClientDiff::default()
            }
        }
    }
}

#[cfg(test)]
mod tests;
