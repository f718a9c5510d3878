//! Every size an input can make llm-cost spend, bounded before it is spent.
//! A spec may come from a stranger's pull request; these keep a hostile one
//! to well under a second and a few hundred megabytes, and each refusal names
//! the limit. The README lists them.

use std::io::Read;
use std::path::Path;

/// A spec file as written. Real specs are a few kilobytes.
pub const SPEC_BYTES: u64 = 1 << 20;
/// A spec after YAML aliases are expanded (`*a` repeats what `&a` names):
/// a 1 MB string aliased 5,000 times would otherwise become 5 GB.
pub const EXPANDED_SPEC_BYTES: u64 = 8 << 20;
/// One file a spec names (prompt, sample, tools). 8 MB of text is about two
/// million tokens, more than any model's context window.
pub const FILE_BYTES: u64 = 8 << 20;
/// Everything one spec's files add up to (samples included).
pub const SPEC_FILES_BYTES: u64 = 128 << 20;
/// One message after its `{{variables}}` are filled in.
pub const PROMPT_BYTES: u64 = 16 << 20;
/// A saved JSON estimate.
pub const DATA_FILE_BYTES: u64 = 16 << 20;
/// A pricing file, and the models it may list: LiteLLM's whole map imports
/// to under 1 MB; a 10 MB file of 200,000 models made every estimate take
/// 4.9 s and 713 MB.
pub const PRICING_FILE_BYTES: u64 = 4 << 20;
pub const MAX_PRICED_MODELS: usize = 20_000;
/// Calls in one spec, scenarios in one spec, and files one `samples` glob
/// may match. Real specs have a handful of each; 10,000 calls or scenarios
/// took over 20 s (each scenario is checked on a copy of the document), and
/// a glob over a million files 44 s.
pub const MAX_CALLS: usize = 200;
pub const MAX_SCENARIOS: usize = 100;
pub const MAX_SAMPLES: usize = 10_000;
/// Problems shown for one file: past these, the rest are only counted.
pub const SHOWN_DIAGNOSTICS: usize = 20;

/// `n` bytes in the units a person reads (`8 MB`).
pub fn bytes(n: u64) -> String {
    if n >= 1 << 30 {
        format!("{} GB", n >> 30)
    } else if n >= 1 << 20 {
        format!("{} MB", n >> 20)
    } else if n >= 1 << 10 {
        format!("{} KB", n >> 10)
    } else {
        format!("{n} bytes")
    }
}

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    /// Not a regular file: a FIFO would block forever, a device never ends.
    NotRegular,
    TooLarge(u64),
    /// Where the first byte that is not UTF-8 is, and whether the file looks
    /// like UTF-16 (what some Windows editors save).
    NotUtf8 {
        line: usize,
        column: usize,
        utf16: bool,
    },
    Io(std::io::Error),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            ReadError::NotRegular => f.write_str("is not a regular file"),
            ReadError::TooLarge(limit) => write!(f, "is larger than {}, the limit", bytes(*limit)),
            ReadError::NotUtf8 { utf16: true, .. } => {
                f.write_str("is UTF-16 text; save it as UTF-8")
            }
            ReadError::NotUtf8 { line, column, .. } => write!(
                f,
                "is not UTF-8 text (the first bad byte is at line {line}, column {column}); save it as UTF-8"
            ),
            ReadError::Io(e) => f.write_str(&io_problem(e)),
        }
    }
}

/// What went wrong with a path, in words (after "`x` ").
pub fn io_problem(e: &std::io::Error) -> String {
    // ELOOP: not a missing file, whatever the OS's own words suggest.
    const SYMLINK_LOOP: i32 = 40;
    match e.kind() {
        std::io::ErrorKind::NotFound => "does not exist".into(),
        std::io::ErrorKind::PermissionDenied => "cannot be read: permission denied".into(),
        _ if cfg!(target_os = "linux") && e.raw_os_error() == Some(SYMLINK_LOOP) => {
            "is a symlink loop".into()
        }
        _ => format!("cannot be read: {e}"),
    }
}

/// Reads a regular file of at most `limit` bytes as UTF-8. The size is
/// checked before reading, and the read itself stops past the limit (a file
/// can grow in between).
pub fn read_text(path: &Path, limit: u64) -> Result<String, ReadError> {
    utf8(read_bytes(path, limit)?)
}

/// The bytes as text, or where they stop being UTF-8.
pub fn utf8(bytes: Vec<u8>) -> Result<String, ReadError> {
    String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let utf16 = bytes.starts_with(&[0xff, 0xfe])
            || bytes.starts_with(&[0xfe, 0xff])
            || (bytes.len() >= 2 && (bytes[0] == 0 || bytes[1] == 0));
        let good = &bytes[..e.utf8_error().valid_up_to()];
        let line = 1 + good.iter().filter(|&&b| b == b'\n').count();
        let line_start = good.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let column = 1 + String::from_utf8_lossy(&good[line_start..]).chars().count();
        ReadError::NotUtf8 {
            line,
            column,
            utf16,
        }
    })
}

/// Standard input as text, at most `limit` bytes: one more byte is an
/// error, never a silent cut.
pub fn read_stdin(limit: u64) -> Result<String, ReadError> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::io::stdin()
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge(limit));
    }
    utf8(bytes)
}

pub fn read_bytes(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let meta = std::fs::metadata(path).map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular);
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge(limit));
    }
    let file = std::fs::File::open(path).map_err(ReadError::Io)?;
    let mut buf = Vec::with_capacity(meta.len() as usize);
    file.take(limit + 1)
        .read_to_end(&mut buf)
        .map_err(ReadError::Io)?;
    if buf.len() as u64 > limit {
        return Err(ReadError::TooLarge(limit));
    }
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(bytes(8 << 20), "8 MB");
        assert_eq!(bytes(1536), "1 KB");
        assert_eq!(bytes(12), "12 bytes");
    }

    #[cfg(unix)]
    #[test]
    fn only_regular_files_within_the_limit_are_read() {
        let dir = std::env::temp_dir().join(format!("llm-cost-limits-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("a.txt");
        std::fs::write(&file, "hello").unwrap();
        assert_eq!(read_text(&file, 5).unwrap(), "hello");
        assert!(matches!(read_text(&file, 4), Err(ReadError::TooLarge(4))));
        assert!(matches!(
            read_text(Path::new("/dev/zero"), 100),
            Err(ReadError::NotRegular)
        ));
        assert!(matches!(read_text(&dir, 100), Err(ReadError::NotRegular)));
        std::fs::write(&file, [0xff, 0xfe, b'a', 0]).unwrap();
        assert!(matches!(
            read_text(&file, 100),
            Err(ReadError::NotUtf8 { utf16: true, .. })
        ));
        std::fs::write(&file, b"ok\nab\xe9c").unwrap();
        assert!(matches!(
            read_text(&file, 100),
            Err(ReadError::NotUtf8 {
                line: 2,
                column: 3,
                utf16: false
            })
        ));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
