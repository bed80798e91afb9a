use std::process::ExitCode;

// mimalloc: lists and downloads allocate and free many small and chunk-sized buffers
// across threads, where glibc's allocator spends more time and keeps more memory.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    sessionvault::cli::run()
}
