//! Files the store writes besides the database's own pages: new files are private (0600 whatever the
//! umask), and a backup is written under a temporary name beside its target and renamed onto it only once
//! complete and checked, so the target name never holds a partial file.

use std::path::{Path, PathBuf};

use crate::StoreError;

/// Create an empty file readable and writable by its owner only (0600, whatever the umask); refuses a
/// path that exists.
pub(crate) fn create_private(path: &Path) -> Result<std::fs::File, StoreError> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    let f = opts.open(path).map_err(|e| io_error(e, path, "创建", "create"))?;
    make_private(path)?;
    Ok(f)
}

/// Set a file's mode to 0600 (the umask may have narrowed, never widened, what `create_private` asked;
/// SQLite's own files take the database file's mode).
pub(crate) fn make_private(path: &Path) -> Result<(), StoreError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
            .map_err(|e| io_error(e, path, "设置权限 0600", "set mode 0600 on"))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

fn io_error(e: std::io::Error, path: &Path, zh: &str, en: &str) -> StoreError {
    StoreError::Io(std::io::Error::new(
        e.kind(),
        format!("无法{zh}文件 {p}（cannot {en} {p}）：{e}", p = path.display()),
    ))
}

/// A file being written under a temporary name beside its target: removed when dropped unless `finish`
/// renamed it onto the target.
#[derive(Debug)]
pub(crate) struct Partial {
    path: PathBuf,
    done: bool,
}

impl Partial {
    /// Create the empty private temporary file beside `dest` (same directory, so the rename is atomic).
    /// Refuses a `dest` that exists.
    pub(crate) fn beside(dest: &Path) -> Result<Self, StoreError> {
        if dest.exists() {
            return Err(StoreError::Taken(format!(
                "{} (choose a new file for the backup / 请为备份另选一个新文件名)",
                dest.display()
            )));
        }
        let name = dest.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let dir = match dest.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
            _ => PathBuf::from("."),
        };
        let path = dir.join(format!(".{name}.{}.partial", crate::crypto::random_hex(6)?));
        create_private(&path)?;
        Ok(Self { path, done: false })
    }

    /// The temporary file.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Flush the temporary file to disk and rename it onto `dest` (refused if `dest` appeared meanwhile).
    pub(crate) fn finish(mut self, dest: &Path) -> Result<(), StoreError> {
        make_private(&self.path)?;
        std::fs::File::open(&self.path)
            .and_then(|f| f.sync_all())
            .map_err(|e| io_error(e, &self.path, "写入磁盘", "sync"))?;
        if dest.exists() {
            return Err(StoreError::Taken(format!("{} (created while the backup ran)", dest.display())));
        }
        std::fs::rename(&self.path, dest).map_err(|e| io_error(e, dest, "改名为", "rename the backup to"))?;
        self.done = true;
        // The rename is durable once the directory is (best effort: not every platform opens directories).
        if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty())
            && let Ok(d) = std::fs::File::open(dir)
        {
            let _ = d.sync_all();
        }
        Ok(())
    }
}

impl Drop for Partial {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_file(&self.path);
            // SQLite may have left its own files beside the temporary copy.
            for suffix in ["-journal", "-wal", "-shm"] {
                let mut p = self.path.clone().into_os_string();
                p.push(suffix);
                let _ = std::fs::remove_file(PathBuf::from(p));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_partial_file_is_removed_unless_finished_and_the_target_is_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("b.db");
        let p = Partial::beside(&dest).unwrap();
        let tmp = p.path().to_owned();
        assert!(tmp.exists());
        drop(p);
        assert!(!tmp.exists(), "a failed backup leaves nothing behind");
        let p = Partial::beside(&dest).unwrap();
        std::fs::write(p.path(), b"x").unwrap();
        p.finish(&dest).unwrap();
        assert_eq!(std::fs::read(&dest).unwrap(), b"x");
        assert!(matches!(Partial::beside(&dest), Err(StoreError::Taken(_))));
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file left");
    }
}
