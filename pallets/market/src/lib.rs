//! The rules of the Computility market in plain Rust: no storage, no FRAME, no floats.
//!
//! The pallets load records, call these functions and write the results; every rule lives here
//! once and is tested by properties against simple reference models.
//!
//! - [`matching`]: which asks fill a bid, in what order, how much.
//! - [`escrow`]: what a bid holds, what a fill escrows and refunds, pro-rata release.
//! - [`settlement`]: the SLA check of a metering period, the provider's pay and the buyer's
//!   refund, and the commission split of a bill.
//! - [`score`]: the contribution score (CN117579629 claim 8) and softmax reward shares, in
//!   fixed point.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod escrow;
pub mod matching;
pub mod score;
pub mod settlement;
