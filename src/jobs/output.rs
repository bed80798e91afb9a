//! A job's output file: written under `prepared/tmp/`, hashed on the way, made durable
//! and renamed to `prepared/<download id>` only on commit. Dropped uncommitted, it
//! leaves nothing.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use ring::digest;

use crate::crypto;
use crate::vault::Vault;

pub fn prepared_tmp_dir(vault: &Vault) -> PathBuf {
    vault.paths.prepared.join("tmp")
}

/// Where the prepared file of download `id` lives; named by id only, never by anything
/// a user typed.
pub fn prepared_path(vault: &Vault, id: i64) -> PathBuf {
    vault.paths.prepared.join(id.to_string())
}

pub struct Output {
    file: Option<BufWriter<File>>,
    tmp: PathBuf,
    target: PathBuf,
    sha256: digest::Context,
    size: u64,
}

impl Output {
    pub fn create(vault: &Vault, download_id: i64) -> io::Result<Output> {
        let tmp = prepared_tmp_dir(vault).join(format!("{download_id}.part"));
        let file = File::create(&tmp)?;
        Ok(Output {
            file: Some(BufWriter::with_capacity(1024 * 1024, file)),
            tmp,
            target: prepared_path(vault, download_id),
            sha256: digest::Context::new(&digest::SHA256),
            size: 0,
        })
    }

    /// Makes the output durable and moves it into place; returns its size and SHA-256.
    pub fn commit(mut self) -> io::Result<(u64, String)> {
        let file = self
            .file
            .take()
            .ok_or_else(|| io::Error::other("output closed"))?;
        let file = file.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&self.tmp, &self.target)?;
        if let Some(dir) = self.target.parent() {
            File::open(dir)?.sync_all()?;
        }
        let sha = std::mem::replace(&mut self.sha256, digest::Context::new(&digest::SHA256)).finish();
        Ok((self.size, crypto::hex(sha.as_ref())))
    }
}

impl Write for Output {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        let file = self
            .file
            .as_mut()
            .ok_or_else(|| io::Error::other("output closed"))?;
        let n = file.write(data)?;
        self.sha256.update(&data[..n]);
        self.size += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        match self.file.as_mut() {
            Some(file) => file.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        if self.file.is_some() {
            self.file = None;
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}
