//! The job engine behind session_file and session_movie: a persistent queue in the
//! `jobs` table and a pool of workers. (Filled in by the downloads work.)
