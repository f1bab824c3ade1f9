//! The rules of the Computility market in plain Rust: no storage, no FRAME, no floats.
//!
//! The pallets load records, call these functions and write the results; every rule lives here
//! once and is tested by properties against simple reference models.
//!
//! - [`matching`]: which asks fill a bid, in what order, how much.
//! - [`escrow`]: what a bid holds, what a fill escrows and refunds, pro-rata release.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod escrow;
pub mod matching;
