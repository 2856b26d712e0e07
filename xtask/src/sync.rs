//! Syncing an in-memory map of files into a directory on disk.
//!
//! [`plan`] compares the map with the directory and changes nothing; the resulting
//! [`Plan`] can be rendered as a unified diff ([`Plan::diff`], for `--check`) or carried
//! out ([`Plan::apply`]). Carrying it out writes only the files whose content changed,
//! each atomically (a temporary file in the same directory, then a rename; a directory
//! that does not exist yet is written whole under a temporary name and renamed), and then
//! deletes stale files — files on disk that are not in the map — but only inside the
//! target's prune directories, removing directories that end up empty there. Nothing
//! outside the target directory is ever touched.

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use similar::TextDiff;

use crate::Error;

/// A directory to sync files into.
#[derive(Debug, Clone)]
pub struct SyncTarget {
    /// The directory the map's relative paths are resolved against.
    pub dir: PathBuf,
    /// Subdirectories of `dir` (relative, `/`-separated; `""` for `dir` itself) in which
    /// files that are not in the map are deleted. Stale files elsewhere are left alone.
    pub prune_dirs: Vec<String>,
    /// How `dir` is named in diffs and reports (`a/<label>/<path>`); `""` for none.
    pub label: String,
}

impl SyncTarget {
    /// The path shown to the user for the file `rel` of this target.
    pub fn display_path(&self, rel: &str) -> String {
        if self.label.is_empty() {
            rel.to_string()
        } else {
            format!("{}/{rel}", self.label)
        }
    }
}

/// A file whose content on disk differs from the map (or that is missing on disk).
#[derive(Debug, Clone)]
pub struct PendingWrite<'a> {
    /// Path relative to the target directory, `/`-separated.
    pub rel: String,
    /// The current content (lossily decoded), or `None` if the file does not exist.
    pub old: Option<String>,
    /// The content it should have (borrowed from the map).
    pub new: &'a str,
}

/// A file on disk, inside a prune directory, that is not in the map.
#[derive(Debug, Clone)]
pub struct StaleFile {
    /// Path relative to the target directory, `/`-separated (lossy for non-UTF-8 names).
    pub rel: String,
    path: PathBuf,
}

/// What syncing a map into a target would change. Built by [`plan`]; changes nothing.
#[derive(Debug, Clone)]
pub struct Plan<'a> {
    target: SyncTarget,
    /// Files to (over)write, in path order.
    pub writes: Vec<PendingWrite<'a>>,
    /// Files already up to date, in path order.
    pub unchanged: Vec<String>,
    /// Files to delete, in path order.
    pub stale: Vec<StaleFile>,
}

/// What [`Plan::apply`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Files written (created or replaced), relative to the target directory.
    pub written: Vec<String>,
    /// Number of files left alone because their content was already right.
    pub unchanged: usize,
    /// Stale files deleted, relative to the target directory.
    pub deleted: Vec<String>,
}

impl SyncReport {
    /// A one-line summary such as `3 written, 120 unchanged, 1 deleted`.
    pub fn summary(&self) -> String {
        format!(
            "{} written, {} unchanged, {} deleted",
            self.written.len(),
            self.unchanged,
            self.deleted.len()
        )
    }
}

/// Compare `files` (paths relative to `target.dir`) with the directory. Reads only.
///
/// Fails if a path in `files` is not a plain relative path, or if a file cannot be read.
pub fn plan<'a>(
    target: &SyncTarget,
    files: &'a BTreeMap<String, String>,
) -> Result<Plan<'a>, Error> {
    let mut writes = Vec::new();
    let mut unchanged = Vec::new();
    for (rel, new) in files {
        let path = resolve(&target.dir, rel)?;
        match read_existing(&path)? {
            Some(old) if old == new.as_bytes() => unchanged.push(rel.clone()),
            old => writes.push(PendingWrite {
                rel: rel.clone(),
                old: old.map(|bytes| String::from_utf8_lossy(&bytes).into_owned()),
                new,
            }),
        }
    }
    let mut stale = Vec::new();
    for prune in &target.prune_dirs {
        let base = if prune.is_empty() {
            target.dir.clone()
        } else {
            resolve(&target.dir, prune)?
        };
        list_files(&base, prune, &mut stale)?;
    }
    stale.retain(|f| !files.contains_key(&f.rel));
    stale.sort_by(|a, b| a.rel.cmp(&b.rel));
    stale.dedup_by(|a, b| a.path == b.path);
    Ok(Plan {
        target: target.clone(),
        writes,
        unchanged,
        stale,
    })
}

/// Sync `files` into `target`: [`plan`] then [`Plan::apply`].
pub fn sync(target: &SyncTarget, files: &BTreeMap<String, String>) -> Result<SyncReport, Error> {
    plan(target, files)?.apply()
}

impl Plan<'_> {
    /// True when the directory already matches the map: nothing to write or delete.
    pub fn is_clean(&self) -> bool {
        self.writes.is_empty() && self.stale.is_empty()
    }

    /// A unified diff from the directory (`a/`) to the map (`b/`); missing files are
    /// diffed against empty content, and stale files are listed as to be deleted.
    /// Empty when [`Plan::is_clean`].
    pub fn diff(&self) -> String {
        let mut out = String::new();
        for w in &self.writes {
            let shown = self.target.display_path(&w.rel);
            let old = w.old.as_deref().unwrap_or("");
            let diff = TextDiff::from_lines(old, w.new);
            let mut unified = diff.unified_diff();
            unified
                .context_radius(3)
                .header(&format!("a/{shown}"), &format!("b/{shown}"));
            out.push_str(&unified.to_string());
        }
        for s in &self.stale {
            out.push_str(&format!(
                "stale file, to be deleted: {}\n",
                self.target.display_path(&s.rel)
            ));
        }
        out
    }

    /// Carry the plan out: stage every changed file (a temporary file beside it), then
    /// move them all into place, then delete stale files (and directories left empty in
    /// the prune directories).
    ///
    /// Staging first means a failed write (a full disk, a name the file system refuses)
    /// changes nothing: the temporary files are removed and every file on disk is as it
    /// was. The exception is a stale file in the way of a write (the stale file `a` and
    /// the new `a/b.rs`, or the stale `a/b.rs` and the new file `a`): it is deleted once
    /// everything else is staged, as the write cannot happen otherwise.
    pub fn apply(self) -> Result<SyncReport, Error> {
        if self.unchanged.is_empty()
            && self.stale.is_empty()
            && fs::symlink_metadata(&self.target.dir)
                .is_err_and(|e| e.kind() == io::ErrorKind::NotFound)
        {
            return self.create();
        }
        let mut report = SyncReport {
            unchanged: self.unchanged.len(),
            ..SyncReport::default()
        };
        let (blocking, rest): (Vec<&StaleFile>, Vec<&StaleFile>) = self
            .stale
            .iter()
            .partition(|s| self.writes.iter().any(|w| in_the_way(&s.rel, &w.rel)));
        let (blocked, free): (Vec<&PendingWrite>, Vec<&PendingWrite>) = self
            .writes
            .iter()
            .partition(|w| blocking.iter().any(|s| in_the_way(&s.rel, &w.rel)));
        let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
        let unstage = |staged: &[(PathBuf, PathBuf)]| {
            for (tmp, _) in staged {
                // Best effort: the original error is the one worth reporting.
                let _ = fs::remove_file(tmp);
            }
        };
        for w in &free {
            match stage(&resolve(&self.target.dir, &w.rel)?, w.new.as_bytes()) {
                Ok(pair) => staged.push(pair),
                Err(e) => {
                    unstage(&staged);
                    let _ = self.remove_empty_dirs();
                    return Err(e);
                }
            }
        }
        if !blocking.is_empty() {
            for s in &blocking {
                if let Err(e) = fs::remove_file(&s.path) {
                    unstage(&staged);
                    return Err(Error::io(&s.path, "delete", e));
                }
            }
            self.remove_empty_dirs()?;
            for w in &blocked {
                match stage(&resolve(&self.target.dir, &w.rel)?, w.new.as_bytes()) {
                    Ok(pair) => staged.push(pair),
                    Err(e) => {
                        unstage(&staged);
                        return Err(e);
                    }
                }
            }
        }
        for (i, (tmp, path)) in staged.iter().enumerate() {
            if let Err(e) = fs::rename(tmp, path) {
                unstage(&staged[i..]);
                return Err(Error::io(path, "write (rename into place)", e));
            }
        }
        report.written = free.iter().chain(&blocked).map(|w| w.rel.clone()).collect();
        report.written.sort();
        for s in &rest {
            fs::remove_file(&s.path).map_err(|e| Error::io(&s.path, "delete", e))?;
        }
        if !rest.is_empty() {
            self.remove_empty_dirs()?;
        }
        report.deleted = self.stale.iter().map(|s| s.rel.clone()).collect();
        Ok(report)
    }

    /// Carry out the plan of a directory that does not exist: write every file into a
    /// new directory beside it, under a temporary name, then rename that into place. One
    /// rename instead of one per file, and on failure the temporary directory is removed,
    /// so the target is whole or absent.
    fn create(self) -> Result<SyncReport, Error> {
        let dir = &self.target.dir;
        create_parent(dir)?;
        let staging = temp_path(dir);
        let write_all = || -> Result<(), Error> {
            fs::create_dir(&staging).map_err(|e| Error::io(dir, "create directory", e))?;
            let mut made = std::collections::BTreeSet::new();
            for w in &self.writes {
                let path = resolve(&staging, &w.rel)?;
                let shown = || resolve(dir, &w.rel).unwrap_or_else(|_| dir.clone());
                if let Some(p) = path.parent()
                    && made.insert(p.to_path_buf())
                {
                    fs::create_dir_all(p)
                        .map_err(|e| Error::io(&shown(), "create directory", e))?;
                }
                write_new(&path, w.new.as_bytes()).map_err(|e| Error::io(&shown(), "write", e))?;
            }
            fs::rename(&staging, dir).map_err(|e| Error::io(dir, "create (rename into place)", e))
        };
        if let Err(e) = write_all() {
            // Best effort: the original error is the one worth reporting.
            let _ = fs::remove_dir_all(&staging);
            return Err(e);
        }
        Ok(SyncReport {
            written: self.writes.into_iter().map(|w| w.rel).collect(),
            unchanged: 0,
            deleted: Vec::new(),
        })
    }

    /// Remove the empty directories below each prune directory (not the prune
    /// directories themselves).
    fn remove_empty_dirs(&self) -> Result<(), Error> {
        for prune in &self.target.prune_dirs {
            let base = if prune.is_empty() {
                self.target.dir.clone()
            } else {
                resolve(&self.target.dir, prune)?
            };
            if is_real_dir(&base) {
                prune_empty(&base)?;
            }
        }
        Ok(())
    }
}

/// Whether the stale file `stale` must go before `write` can be written: one is a
/// directory of the other.
fn in_the_way(stale: &str, write: &str) -> bool {
    let below = |path: &str, dir: &str| {
        path.strip_prefix(dir)
            .is_some_and(|rest| rest.starts_with('/'))
    };
    below(write, stale) || below(stale, write)
}

/// Write `contents` to `path` atomically: write a temporary file in the same directory
/// and rename it over `path`, so readers see the old or the new file, never a partial one.
/// Creates missing parent directories. On failure the temporary file is removed.
///
/// (No `fsync`: this protects readers from torn files, not against power loss, which is
/// enough for generated source that can be regenerated.)
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<(), Error> {
    create_parent(path)?;
    let tmp = temp_path(path);
    let result = write_new(&tmp, contents)
        .map_err(|e| Error::io(path, "write", e))
        .and_then(|()| {
            fs::rename(&tmp, path).map_err(|e| Error::io(path, "write (rename into place)", e))
        });
    if result.is_err() {
        // Best effort: the original error is the one worth reporting.
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Write `contents` to a new temporary file beside `path` (creating missing parent
/// directories); returns it and `path`, for a rename into place.
fn stage(path: &Path, contents: &[u8]) -> Result<(PathBuf, PathBuf), Error> {
    create_parent(path)?;
    if is_real_dir(path) {
        // The rename into place would fail after other files were moved.
        return Err(Error::io(
            path,
            "write",
            io::Error::new(io::ErrorKind::IsADirectory, "a directory is in the way"),
        ));
    }
    let tmp = temp_path(path);
    match write_new(&tmp, contents) {
        Ok(()) => Ok((tmp, path.to_path_buf())),
        Err(e) => {
            let _ = fs::remove_file(&tmp);
            Err(Error::io(path, "write", e))
        }
    }
}

/// Create the missing directories above `path`.
fn create_parent(path: &Path) -> Result<(), Error> {
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(|e| Error::io(parent, "create directory", e))
}

/// Create `path` (which must not exist) with `contents`.
fn write_new(path: &Path, contents: &[u8]) -> io::Result<()> {
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(contents)?;
    file.flush()
}

/// A fresh temporary file name next to `path`: `.<name>.<pid>.<n>.tmp`.
fn temp_path(path: &Path) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.{n}.tmp", std::process::id()))
}

/// `dir` joined with the `/`-separated relative path `rel`, which must consist of plain
/// names only (no empty, `.` or `..` segments, no backslashes, not absolute).
fn resolve(dir: &Path, rel: &str) -> Result<PathBuf, Error> {
    let plain =
        |seg: &str| !seg.is_empty() && seg != "." && seg != ".." && !seg.contains(['\\', '\0']);
    if rel.is_empty() || !rel.split('/').all(plain) {
        return Err(Error::UnsafeOutputPath(rel.to_string()));
    }
    Ok(rel.split('/').fold(dir.to_path_buf(), |p, seg| p.join(seg)))
}

/// The content of `path`, or `None` if there is no such file (nothing there, a file
/// where a parent directory should be, or a directory).
fn read_existing(path: &Path) -> Result<Option<Vec<u8>>, Error> {
    match fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::NotFound
                    | io::ErrorKind::NotADirectory
                    | io::ErrorKind::IsADirectory
            ) =>
        {
            Ok(None)
        }
        Err(e) => Err(Error::io(path, "read", e)),
    }
}

/// True if `path` is a directory and not a symbolic link to one.
fn is_real_dir(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.is_dir())
}

/// Append every non-directory entry below `dir` to `out`, named `<rel_prefix>/<name>`.
/// Symbolic links are listed, never followed. A missing `dir` lists nothing.
fn list_files(dir: &Path, rel_prefix: &str, out: &mut Vec<StaleFile>) -> Result<(), Error> {
    if !is_real_dir(dir) {
        return Ok(());
    }
    for entry in fs::read_dir(dir).map_err(|e| Error::io(dir, "list directory", e))? {
        let entry = entry.map_err(|e| Error::io(dir, "list directory", e))?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = if rel_prefix.is_empty() {
            name
        } else {
            format!("{rel_prefix}/{name}")
        };
        let file_type = entry
            .file_type()
            .map_err(|e| Error::io(&path, "inspect", e))?;
        if file_type.is_dir() {
            list_files(&path, &rel, out)?;
        } else {
            out.push(StaleFile { rel, path });
        }
    }
    Ok(())
}

/// Remove the empty directories below `dir`, deepest first. Returns whether `dir` itself
/// is empty afterwards (it is not removed).
fn prune_empty(dir: &Path) -> Result<bool, Error> {
    let mut empty = true;
    for entry in fs::read_dir(dir).map_err(|e| Error::io(dir, "list directory", e))? {
        let entry = entry.map_err(|e| Error::io(dir, "list directory", e))?;
        let path = entry.path();
        let is_dir = entry
            .file_type()
            .map_err(|e| Error::io(&path, "inspect", e))?
            .is_dir();
        if is_dir && prune_empty(&path)? {
            fs::remove_dir(&path).map_err(|e| Error::io(&path, "remove empty directory", e))?;
        } else {
            empty = false;
        }
    }
    Ok(empty)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn target(dir: &Path, prune: &[&str]) -> SyncTarget {
        SyncTarget {
            dir: dir.to_path_buf(),
            prune_dirs: prune.iter().map(|s| s.to_string()).collect(),
            label: "out".to_string(),
        }
    }

    /// Every file below `dir`, relative, sorted.
    fn tree(dir: &Path) -> Vec<String> {
        let mut out = Vec::new();
        list_files(dir, "", &mut out).unwrap();
        let mut names: Vec<String> = out.into_iter().map(|f| f.rel).collect();
        names.sort();
        names
    }

    #[test]
    fn first_sync_writes_everything_and_creates_dirs() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("new");
        let map = files(&[("mod.rs", "a\n"), ("models/x.rs", "x\n")]);
        let report = sync(&target(&dir, &[""]), &map).unwrap();
        assert_eq!(report.written, ["mod.rs", "models/x.rs"]);
        assert_eq!(report.unchanged, 0);
        assert_eq!(fs::read_to_string(dir.join("models/x.rs")).unwrap(), "x\n");
        assert_eq!(tree(&dir), ["mod.rs", "models/x.rs"]);
    }

    /// A directory that does not exist is written whole or not at all: a file the
    /// file system refuses leaves neither the directory nor its temporary twin.
    #[test]
    fn a_new_directory_is_whole_or_absent() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("deep/new");
        let long = format!("models/{}.rs", "x".repeat(300));
        let err = sync(&target(&dir, &[""]), &files(&[("a.rs", "a"), (&long, "x")])).unwrap_err();
        assert!(err.to_string().contains("xxxx"), "{err}");
        assert!(!dir.exists(), "a partial directory was left");
        assert_eq!(fs::read_dir(tmp.path().join("deep")).unwrap().count(), 0);

        let report = sync(
            &target(&dir, &[""]),
            &files(&[("a.rs", "a"), ("m/b.rs", "b")]),
        )
        .unwrap();
        assert_eq!(report.written, ["a.rs", "m/b.rs"]);
        assert_eq!(tree(&dir), ["a.rs", "m/b.rs"]);
        assert_eq!(fs::read_dir(tmp.path().join("deep")).unwrap().count(), 1);
    }

    #[test]
    fn writes_only_changed_files() {
        let tmp = tempfile::tempdir().unwrap();
        let t = target(tmp.path(), &[""]);
        sync(&t, &files(&[("a.rs", "a\n"), ("b.rs", "b\n")])).unwrap();
        let before = fs::metadata(tmp.path().join("a.rs"))
            .unwrap()
            .modified()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));

        let report = sync(&t, &files(&[("a.rs", "a\n"), ("b.rs", "b2\n")])).unwrap();
        assert_eq!(report.written, ["b.rs"]);
        assert_eq!(report.unchanged, 1);
        assert!(report.deleted.is_empty());
        let after = fs::metadata(tmp.path().join("a.rs"))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(before, after, "an unchanged file was rewritten");
        assert_eq!(fs::read_to_string(tmp.path().join("b.rs")).unwrap(), "b2\n");

        let again = sync(&t, &files(&[("a.rs", "a\n"), ("b.rs", "b2\n")])).unwrap();
        assert_eq!(
            again,
            SyncReport {
                written: vec![],
                unchanged: 2,
                deleted: vec![]
            }
        );
    }

    #[test]
    fn deletes_stale_files_and_empty_dirs() {
        let tmp = tempfile::tempdir().unwrap();
        let t = target(tmp.path(), &[""]);
        sync(
            &t,
            &files(&[
                ("mod.rs", "m"),
                ("old/deep/gone.rs", "g"),
                ("models/keep.rs", "k"),
                ("models/drop.rs", "d"),
            ]),
        )
        .unwrap();
        let report = sync(&t, &files(&[("mod.rs", "m"), ("models/keep.rs", "k")])).unwrap();
        assert_eq!(report.deleted, ["models/drop.rs", "old/deep/gone.rs"]);
        assert_eq!(tree(tmp.path()), ["mod.rs", "models/keep.rs"]);
        assert!(
            !tmp.path().join("old").exists(),
            "empty directories should be removed"
        );
        assert!(tmp.path().join("models").is_dir());
        assert!(tmp.path().is_dir(), "the target directory itself stays");
    }

    #[test]
    fn a_failed_write_leaves_stale_files_in_place() {
        let tmp = tempfile::tempdir().unwrap();
        let t = target(tmp.path(), &[""]);
        sync(&t, &files(&[("mod.rs", "m"), ("models/old.rs", "o")])).unwrap();
        let map = files(&[("mod.rs", "m2"), ("models/new.rs", "n")]);
        let plan = plan(&t, &map).unwrap();
        assert_eq!(plan.stale.len(), 1);
        // Something takes the new file's place between planning and applying: a
        // non-empty directory, so the rename into place fails.
        fs::create_dir_all(tmp.path().join("models/new.rs/inner")).unwrap();
        let err = plan.apply().unwrap_err();
        assert!(err.to_string().contains("models/new.rs"), "{err}");
        assert_eq!(
            fs::read_to_string(tmp.path().join("models/old.rs")).unwrap(),
            "o",
            "a stale file was deleted although the new files were not all written"
        );
        assert_eq!(
            fs::read_to_string(tmp.path().join("mod.rs")).unwrap(),
            "m",
            "nothing is written unless everything can be"
        );
        assert_eq!(
            tree(tmp.path())
                .iter()
                .filter(|p| p.ends_with(".tmp"))
                .count(),
            0
        );
    }

    /// A name the file system refuses (longer than 255 bytes): an error naming it, and
    /// the directory as it was.
    #[test]
    fn a_refused_name_writes_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let t = target(tmp.path(), &[""]);
        sync(&t, &files(&[("mod.rs", "m")])).unwrap();
        let long = format!("models/{}.rs", "x".repeat(300));
        let err = sync(&t, &files(&[("mod.rs", "m2"), ("a.rs", "a"), (&long, "l")])).unwrap_err();
        assert!(err.to_string().contains("xxxx"), "{err}");
        assert_eq!(tree(tmp.path()), ["mod.rs"]);
        assert_eq!(fs::read_to_string(tmp.path().join("mod.rs")).unwrap(), "m");
    }

    #[test]
    fn stale_files_in_the_way_of_a_write_go_first() {
        let tmp = tempfile::tempdir().unwrap();
        let t = target(tmp.path(), &[""]);
        sync(
            &t,
            &files(&[("a", "file"), ("b/inner.rs", "i"), ("c.rs", "c")]),
        )
        .unwrap();
        // `a` becomes a directory, `b` a file, `c.rs` goes.
        let report = sync(&t, &files(&[("a/x.rs", "x"), ("b", "now a file")])).unwrap();
        assert_eq!(report.written, ["a/x.rs", "b"]);
        assert_eq!(report.deleted, ["a", "b/inner.rs", "c.rs"]);
        assert_eq!(tree(tmp.path()), ["a/x.rs", "b"]);
        assert_eq!(
            fs::read_to_string(tmp.path().join("b")).unwrap(),
            "now a file"
        );
        assert!(in_the_way("a", "a/x.rs") && in_the_way("a/b.rs", "a"));
        assert!(!in_the_way("ab", "a/x.rs") && !in_the_way("a.rs", "a"));
    }

    #[test]
    fn stale_files_outside_prune_dirs_are_kept() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        for (rel, text) in [
            ("README.md", "mine"),
            ("src/generated/old.rs", "o"),
            ("src/runtime/old.rs", "o"),
            ("src/extra.rs", "e"),
        ] {
            write_atomic(&resolve(dir, rel).unwrap(), text.as_bytes()).unwrap();
        }
        let t = target(dir, &["src/generated", "src/runtime"]);
        let map = files(&[
            ("Cargo.toml", "c"),
            ("src/lib.rs", "l"),
            ("src/generated/mod.rs", "m"),
            ("src/runtime/mod.rs", "r"),
        ]);
        let report = sync(&t, &map).unwrap();
        assert_eq!(
            report.deleted,
            ["src/generated/old.rs", "src/runtime/old.rs"]
        );
        assert_eq!(
            tree(dir),
            [
                "Cargo.toml",
                "README.md",
                "src/extra.rs",
                "src/generated/mod.rs",
                "src/lib.rs",
                "src/runtime/mod.rs"
            ]
        );
    }

    #[test]
    fn check_reports_differences_and_writes_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let t = target(tmp.path(), &[""]);
        sync(
            &t,
            &files(&[
                ("same.rs", "s\n"),
                ("changed.rs", "one\ntwo\n"),
                ("stale.rs", "x\n"),
            ]),
        )
        .unwrap();
        let snapshot = |p: &Path| {
            tree(p)
                .into_iter()
                .map(|f| (fs::read(p.join(&f)).unwrap(), f))
                .collect::<Vec<_>>()
        };
        let before = snapshot(tmp.path());

        let map = files(&[
            ("same.rs", "s\n"),
            ("changed.rs", "one\nTWO\n"),
            ("added/new.rs", "new\n"),
        ]);
        let plan = plan(&t, &map).unwrap();
        assert!(!plan.is_clean());
        let diff = plan.diff();
        assert!(
            diff.contains("--- a/out/changed.rs\n+++ b/out/changed.rs\n"),
            "{diff}"
        );
        assert!(diff.contains("-two\n+TWO\n"), "{diff}");
        assert!(
            diff.contains("--- a/out/added/new.rs\n+++ b/out/added/new.rs\n"),
            "{diff}"
        );
        assert!(diff.contains("+new\n"), "{diff}");
        assert!(
            diff.contains("stale file, to be deleted: out/stale.rs"),
            "{diff}"
        );
        assert!(!diff.contains("same.rs"), "{diff}");
        assert_eq!(
            snapshot(tmp.path()),
            before,
            "planning must not change anything"
        );
    }

    #[test]
    fn clean_plan_has_empty_diff() {
        let tmp = tempfile::tempdir().unwrap();
        let t = target(tmp.path(), &[""]);
        let map = files(&[("a.rs", "a\n"), ("m/b.rs", "b\n")]);
        sync(&t, &map).unwrap();
        let plan = plan(&t, &map).unwrap();
        assert!(plan.is_clean());
        assert_eq!(plan.diff(), "");
        assert_eq!(plan.unchanged, ["a.rs", "m/b.rs"]);
    }

    #[test]
    fn atomic_write_leaves_no_temp_files() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("f.rs");
        write_atomic(&path, b"first").unwrap();
        write_atomic(&path, b"second").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"second");
        assert_eq!(tree(tmp.path()), ["f.rs"]);
    }

    #[test]
    fn failed_atomic_write_names_path_and_cleans_up() {
        let tmp = tempfile::tempdir().unwrap();
        // The destination is a non-empty directory, so the rename fails.
        let path = tmp.path().join("taken");
        fs::create_dir_all(path.join("inner")).unwrap();
        let err = write_atomic(&path, b"x").unwrap_err();
        assert!(
            err.to_string().starts_with(&path.display().to_string()),
            "{err}"
        );
        assert_eq!(
            fs::read_dir(tmp.path()).unwrap().count(),
            1,
            "temporary file left behind"
        );
    }

    #[test]
    fn rejects_paths_escaping_the_target() {
        let tmp = tempfile::tempdir().unwrap();
        let t = target(&tmp.path().join("out"), &[""]);
        for bad in ["../evil.rs", "/etc/x", "a//b.rs", "./a.rs", "", "a\\b.rs"] {
            let err = plan(&t, &files(&[(bad, "x")])).unwrap_err();
            assert!(matches!(err, Error::UnsafeOutputPath(_)), "{bad}: {err}");
        }
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 0);
    }
}
