//! Benchmarks for `pallet_hashpower`. `submit_shares(n)` checks `n` real shares (mined in the
//! set-up at the least difficulty) that bring the sub-account up to standard and switch to the
//! next, in the costlier case: a pool-served sub-account, the pool's job (largest coinbase and
//! merkle branch) carried with the shares and its coinbase searched for the payout bytes, found
//! at its very end; `check_delivery(n)` fails `n` active miners over to their standbys.
use super::*;
use codec::Encode;
use computility_pow::{self as pow};
use computility_primitives::Role;
use frame_benchmarking::v2::*;
use frame_support::{traits::Get, BoundedVec};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_runtime::traits::IdentifyAccount;

fn task() -> MiningTask {
	MiningTask {
		prev_hash: [7u8; 32],
		coinbase1: BoundedVec::truncate_from(alloc::vec![1u8; 120]),
		coinbase2: BoundedVec::truncate_from(alloc::vec![2u8; 120]),
		merkle_branch: BoundedVec::truncate_from(alloc::vec![[3u8; 32]; 16]),
		version: 0x2000_0000,
		nbits: 0x1d00ffff,
		ntime: 1_700_000_000,
		difficulty: 1,
		extranonce2_size: 4,
	}
}

/// A pool's job as large as a payload can carry, the payout bytes at the end of its coinbase.
fn pool_job() -> MiningTask {
	let mut coinbase2 = alloc::vec![2u8; 256 - 64];
	coinbase2.extend_from_slice(&PAYOUT);
	MiningTask {
		coinbase1: BoundedVec::truncate_from(alloc::vec![1u8; 256]),
		coinbase2: BoundedVec::truncate_from(coinbase2),
		..task()
	}
}

/// The pool's payout bytes (the largest allowed).
const PAYOUT: [u8; 64] = [0xa9; 64];

/// `n` shares of `task` in the space of `extranonce1`, found with the host's SHA-256.
fn mine(t: &MiningTask, extranonce1: [u8; 4], n: u32) -> alloc::vec::Vec<ShareData> {
	let job = t.job();
	let target = pow::target_from_difficulty(t.difficulty).unwrap_or_default();
	let mut out = alloc::vec::Vec::new();
	let mut en2 = 0u32;
	while out.len() < n as usize {
		let e2 = en2.to_be_bytes();
		let share = pow::Share {
			extranonce1: &extranonce1,
			extranonce2: &e2,
			ntime: t.ntime,
			nonce: 0,
			version_bits: None,
		};
		let mut header = pow::share_header::<HostSha>(&job, &share);
		for nonce in 0u32..=u32::MAX {
			header[76..80].copy_from_slice(&nonce.to_le_bytes());
			if pow::meets(&<HostSha as pow::Sha256>::sha256d(&header), &target) {
				out.push(ShareData {
					extranonce1: BoundedVec::truncate_from(extranonce1.to_vec()),
					extranonce2: BoundedVec::truncate_from(e2.to_vec()),
					difficulty: t.difficulty,
					ntime: t.ntime,
					nonce,
					version_bits: None,
				});
				break;
			}
		}
		en2 += 1;
	}
	out
}

fn provider<T: Config>() -> T::AccountId {
	let p: T::AccountId = account("provider", 0, 0);
	T::BenchmarkHelper::member(&p, Role::Provider);
	p
}

fn open<T: Config>(i: u32, shares: u32) -> SubAccountId {
	open_with::<T>(i, shares, JobSource::Task(task()))
}

fn open_with<T: Config>(i: u32, shares: u32, source: JobSource) -> SubAccountId {
	let buyer: T::AccountId = account("buyer", i, 0);
	T::BenchmarkHelper::member(&buyer, Role::Buyer);
	let id = NextSubAccountId::<T>::get();
	let mut centre = STRATUM_SCHEME.to_vec();
	centre.resize(128, b'c');
	Pallet::<T>::create_sub_account(
		RawOrigin::Signed(buyer).into(),
		pow::work_of(1) * shares as u128,
		1_000_000_000_000,
		source,
		centre,
		alloc::vec![b'w'; 128],
	)
	.expect("sub-account opened");
	id
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_miner() {
		let p = provider::<T>();
		let key = T::BenchmarkHelper::scheduler().into_account();
		Pallet::<T>::register_miner(
			RawOrigin::Signed(p.clone()).into(),
			alloc::vec![b'e'; 128],
			1,
			key.clone(),
			None,
		)
		.expect("primary");
		#[extrinsic_call]
		_(RawOrigin::Signed(p), alloc::vec![b'e'; 128], 1_000_000, key, Some(0));
		assert_eq!(Miners::<T>::get(1).map(|m| m.state), Some(MinerState::Standby));
	}

	#[benchmark]
	fn retire_miner() {
		let p = provider::<T>();
		let key = T::BenchmarkHelper::scheduler().into_account();
		Pallet::<T>::register_miner(
			RawOrigin::Signed(p.clone()).into(),
			alloc::vec![b'e'; 128],
			1,
			key,
			None,
		)
		.expect("miner");
		#[extrinsic_call]
		_(RawOrigin::Signed(p), 0);
		assert_eq!(Miners::<T>::get(0).map(|m| m.state), Some(MinerState::Retired));
	}

	#[benchmark]
	fn create_sub_account() {
		let buyer: T::AccountId = account("buyer", 0, 0);
		T::BenchmarkHelper::member(&buyer, Role::Buyer);
		#[extrinsic_call]
		_(
			RawOrigin::Signed(buyer),
			1u128 << 40,
			1_000_000_000_000,
			JobSource::Task(task()),
			alloc::vec![b'c'; 128],
			alloc::vec![b'w'; 128],
		);
		assert!(SubAccounts::<T>::contains_key(0));
	}

	#[benchmark]
	fn update_task() {
		let id = open::<T>(0, 10);
		let buyer: T::AccountId = account("buyer", 0, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(buyer), id, task());
		assert_eq!(SubAccounts::<T>::get(id).map(|s| s.job), Some(1));
	}

	#[benchmark]
	fn cancel_sub_account() {
		let id = open::<T>(0, 10);
		open::<T>(1, 10);
		let buyer: T::AccountId = account("buyer", 0, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(buyer), id);
		assert_eq!(Queue::<T>::get().len(), 1);
	}

	#[benchmark]
	fn submit_shares(n: Linear<1, { T::MaxShares::get().min(MAX_SHARES) }>) {
		let p = provider::<T>();
		let public = T::BenchmarkHelper::scheduler();
		Pallet::<T>::register_miner(
			RawOrigin::Signed(p).into(),
			alloc::vec![b'e'; 128],
			1_000_000,
			public.clone().into_account(),
			None,
		)
		.expect("miner");
		let terms = PoolTerms { difficulty: 1, payout: BoundedVec::truncate_from(PAYOUT.to_vec()) };
		let id = open_with::<T>(0, n, JobSource::Pool(terms));
		open::<T>(1, 10);
		let job = pool_job();
		let shares = mine(&job, [9, 9, 9, 9], n);
		let payload = SharesPayload {
			public: public.clone(),
			miner: 0,
			job: SubAccounts::<T>::get(id).map(|s| s.job).unwrap_or_default(),
			block_number: frame_system::Pallet::<T>::block_number(),
			pool_job: Some(job),
			shares: BoundedVec::truncate_from(shares),
		};
		let signature = T::BenchmarkHelper::sign(&public, &payload.encode());
		#[extrinsic_call]
		_(RawOrigin::None, payload, signature);
		assert_eq!(SubAccounts::<T>::get(id).map(|s| s.state), Some(SubAccountState::Done));
	}

	#[benchmark]
	fn check_delivery(n: Linear<0, { T::MaxMiners::get() }>) {
		let p = provider::<T>();
		let key = T::BenchmarkHelper::scheduler().into_account();
		for i in 0..n {
			Pallet::<T>::register_miner(
				RawOrigin::Signed(p.clone()).into(),
				alloc::vec![b'e'; 128],
				1_000_000,
				key.clone(),
				None,
			)
			.expect("primary");
			Pallet::<T>::register_miner(
				RawOrigin::Signed(p.clone()).into(),
				alloc::vec![b'e'; 128],
				1_000_000,
				key.clone(),
				Some(2 * i),
			)
			.expect("standby");
		}
		open::<T>(0, 10);
		let now: BlockNumberFor<T> =
			frame_system::Pallet::<T>::block_number() + T::WindowBlocks::get();
		#[block]
		{
			Pallet::<T>::check_delivery(now);
		}
		assert_eq!(ActiveMiners::<T>::get().iter().all(|m| m % 2 == 1), true);
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(false), crate::mock::Test);
}
