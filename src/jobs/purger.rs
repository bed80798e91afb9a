//! The background task that purges sessions whose time in the trash is up: once at
//! start, then every `trash_purge_interval` seconds.

use std::sync::mpsc::{RecvTimeoutError, Sender, channel};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::vault::Vault;

pub struct Purger {
    stop: Sender<()>,
    thread: JoinHandle<()>,
}

impl Purger {
    pub fn start(vault: &Vault) -> std::io::Result<Purger> {
        let (stop, stopped) = channel::<()>();
        let vault = vault.clone();
        let interval = Duration::from_secs(vault.settings.trash_purge_interval.max(1));
        let thread = std::thread::Builder::new()
            .name("trash-purger".into())
            .spawn(move || {
                loop {
                    match vault.purge_trash() {
                        Ok(0) => {}
                        Ok(n) => {
                            tracing::info!(sessions = n, "purged sessions whose retention in the trash ended")
                        }
                        Err(e) => tracing::error!(error = %e, "purging the trash failed"),
                    }
                    match stopped.recv_timeout(interval) {
                        Err(RecvTimeoutError::Timeout) => continue,
                        _ => return,
                    }
                }
            })?;
        Ok(Purger { stop, thread })
    }

    pub fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.thread.join();
    }
}
