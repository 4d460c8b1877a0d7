//! What the examples share: reading the input a caller hands them. The I/O is the caller's, never the
//! core's, so the core's ban on file reads (its `clippy.toml`) does not apply to these programs.

use std::io::Read;

/// The text of `path`, or of standard input when it is `-` or absent.
#[allow(clippy::disallowed_methods, reason = "an example is the caller: reading its input is its job")]
pub(crate) fn read_input(path: Option<&str>) -> std::io::Result<String> {
    match path {
        Some(p) if p != "-" => std::fs::read_to_string(p),
        _ => {
            let mut text = String::new();
            std::io::stdin().read_to_string(&mut text)?;
            Ok(text)
        }
    }
}
