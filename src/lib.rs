//! sessionvault: the recordings vault of a bastion host.
//!
//! Requests flow one way: `http` (parse, authenticate) → `vault` (decide) → `db`,
//! `blobstore`, `jobs` (do). See DESIGN.md in the repository for the picture.

pub mod blobstore;
pub mod cli;
pub mod config;
pub mod crypto;
pub mod db;
pub mod http;
pub mod jobs;
pub mod timestamp;
pub mod vault;
