//! One server shared by the tests of a file, started on first use from a thread that
//! lives as long as the test process, and killed by the kernel when the process ends.
#![allow(dead_code)]

use std::os::unix::process::CommandExt;
use std::sync::OnceLock;
use std::sync::mpsc;

/// Makes children of the calling thread die with it (Linux `PR_SET_PDEATHSIG`).
pub fn die_with_parent(cmd: &mut std::process::Command) {
    // SAFETY: prctl is async-signal-safe and touches no memory of ours.
    unsafe {
        cmd.pre_exec(|| {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            Ok(())
        });
    }
}

/// The fixture built by `build`, created once; the thread that started the server
/// parks forever so that the server's death signal fires only at process exit.
pub fn shared<T: Send + Sync + 'static>(cell: &'static OnceLock<T>, build: fn() -> T) -> &'static T {
    cell.get_or_init(|| {
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(build());
            loop {
                std::thread::park();
            }
        });
        rx.recv().expect("fixture thread")
    })
}
