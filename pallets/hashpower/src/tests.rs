//! Unit tests: miners and standbys, sub-accounts and escrow, share verification and payment,
//! switching when up to standard, failover, the pool's validation, and every error.
use crate::{mock::*, pallet::*, types::*, KEY_TYPE};
use codec::Encode;
use computility_pow as pow;
use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, InspectHold},
	BoundedVec,
};
#[allow(deprecated)]
use sp_runtime::traits::ValidateUnsigned;
use sp_runtime::{
	transaction_validity::{InvalidTransaction, TransactionSource, TransactionValidityError},
	DispatchError,
};

fn task(difficulty: u64) -> MiningTask {
	MiningTask {
		prev_hash: [7u8; 32],
		coinbase1: vec![1, 2, 3, 4].try_into().unwrap(),
		coinbase2: vec![5, 6].try_into().unwrap(),
		merkle_branch: vec![[9u8; 32], [8u8; 32]].try_into().unwrap(),
		version: 0x2000_0000,
		nbits: 0x1d00ffff,
		ntime: 1_700_000_000,
		difficulty,
		extranonce2_size: 4,
	}
}

/// The payout bytes of the test pool.
const PAYOUT: &[u8] = b"\x76\xa9\x14pool-payout-script";

/// Terms of a pool-served sub-account with the test pool's payout.
fn terms(difficulty: u64) -> PoolTerms {
	PoolTerms { difficulty, payout: PAYOUT.to_vec().try_into().unwrap() }
}

/// A job of the test pool: its coinbase pays [`PAYOUT`].
fn pool_task() -> MiningTask {
	let mut t = task(4);
	t.prev_hash = [0x55; 32];
	t.coinbase2 = [&[0xff, 0xff][..], PAYOUT, &[0, 0, 0, 0]].concat().try_into().unwrap();
	t
}

fn scheduler(seed: &str) -> AccountId {
	sp_io::crypto::sr25519_generate(KEY_TYPE, Some(seed.as_bytes().to_vec()))
}

/// Mine `count` shares of `task` for a miner's extranonce1, from extranonce2 `from` on.
fn mine(task: &MiningTask, extranonce1: [u8; 4], from: u32, count: usize) -> Vec<ShareData> {
	let mut out = Vec::new();
	let mut en2 = from;
	while out.len() < count {
		let e2 = en2.to_be_bytes();
		for nonce in 0u32.. {
			let share = pow::Share {
				extranonce1: &extranonce1,
				extranonce2: &e2,
				ntime: task.ntime,
				nonce,
				version_bits: None,
			};
			if pow::check_share::<pow::Sha2>(&task.job(), &share, 4, task.difficulty).is_ok() {
				out.push(ShareData {
					extranonce1: extranonce1.to_vec().try_into().unwrap(),
					extranonce2: e2.to_vec().try_into().unwrap(),
					ntime: task.ntime,
					nonce,
					version_bits: None,
					difficulty: task.difficulty,
				});
				break;
			}
		}
		en2 += 1;
	}
	out
}

fn payload(
	public: AccountId,
	miner: MinerId,
	job: JobId,
	shares: Vec<ShareData>,
) -> (PayloadOf<Test>, sr25519::Signature) {
	payload_with(public, miner, job, None, shares)
}

fn payload_with(
	public: AccountId,
	miner: MinerId,
	job: JobId,
	pool_job: Option<MiningTask>,
	shares: Vec<ShareData>,
) -> (PayloadOf<Test>, sr25519::Signature) {
	let p = SharesPayload {
		public,
		miner,
		job,
		block_number: System::block_number(),
		pool_job,
		shares: BoundedVec::truncate_from(shares),
	};
	let sig = p.using_encoded(|b| sp_io::crypto::sr25519_sign(KEY_TYPE, &public, b)).unwrap();
	(p, sig)
}
use sp_core::sr25519;

fn submit(
	public: AccountId,
	miner: MinerId,
	job: JobId,
	shares: Vec<ShareData>,
) -> sp_runtime::DispatchResult {
	let (p, s) = payload(public, miner, job, shares);
	Hashpower::submit_shares(RuntimeOrigin::none(), p, s)
}

/// The last event: miner 0's shares for `sub_account` checked, `[accepted, duplicate, invalid]`,
/// `work` credited, `paid` to the provider.
fn assert_checked(sub_account: SubAccountId, counts: [u32; 3], work: u128, paid: u128) {
	let [accepted, duplicate, invalid] = counts;
	System::assert_last_event(
		Event::SharesChecked { miner: 0, sub_account, accepted, duplicate, invalid, work, paid }
			.into(),
	);
}

fn held(who: AccountId) -> u128 {
	Balances::balance_on_hold(&HoldReason::Escrow.into(), &who)
}

/// One miner (id 0) with scheduler //S0, a standby (id 1, //S1).
fn miners() -> (AccountId, AccountId) {
	let (s0, s1) = (scheduler("//S0"), scheduler("//S1"));
	assert_ok!(Hashpower::register_miner(
		RuntimeOrigin::signed(provider()),
		b"http://127.0.0.1:8081".to_vec(),
		1_000_000,
		s0,
		None
	));
	assert_ok!(Hashpower::register_miner(
		RuntimeOrigin::signed(provider()),
		b"http://127.0.0.1:8082".to_vec(),
		1_000_000,
		s1,
		Some(0)
	));
	(s0, s1)
}

/// A sub-account of `shares` shares of difficulty 1/65536 (2^16 hashes each) at 2^20 per 2^32
/// hashes (16 a share).
fn open(who: AccountId, shares: u128) -> SubAccountId {
	let id = NextSubAccountId::<Test>::get();
	assert_ok!(Hashpower::create_sub_account(
		RuntimeOrigin::signed(who),
		shares << 16,
		1 << 20,
		JobSource::Task(task(1)),
		b"stratum+tcp://pool:3333".to_vec(),
		b"buyer.w1".to_vec()
	));
	id
}

#[test]
fn miners_and_standbys_register() {
	build_and_execute(|| {
		let (s0, _) = miners();
		let m = Miners::<Test>::get(0).unwrap();
		assert_eq!(
			(m.state, m.standby, m.scheduler, m.extranonce1),
			(MinerState::Active, Some(1), s0, [0, 0, 0, 0])
		);
		assert_eq!(Miners::<Test>::get(1).unwrap().state, MinerState::Standby);
		assert_eq!(ActiveMiners::<Test>::get().to_vec(), vec![0]);
		System::assert_last_event(
			Event::MinerRegistered { miner: 1, provider: provider(), standby_for: Some(0) }.into(),
		);
		let o = RuntimeOrigin::signed;
		assert_noop!(
			Hashpower::register_miner(o(buyer()), b"x".to_vec(), 1, s0, None),
			Error::<Test>::NotProvider
		);
		assert_noop!(
			Hashpower::register_miner(o(provider()), vec![b'x'; 129], 1, s0, None),
			Error::<Test>::EndpointTooLong
		);
		assert_noop!(
			Hashpower::register_miner(o(provider()), b"x".to_vec(), 1, s0, Some(9)),
			Error::<Test>::UnknownMiner
		);
		assert_noop!(
			Hashpower::register_miner(o(provider2()), b"x".to_vec(), 1, s0, Some(0)),
			Error::<Test>::NotOwner
		);
		assert_noop!(
			Hashpower::register_miner(o(provider()), b"x".to_vec(), 1, s0, Some(0)),
			Error::<Test>::StandbyUnavailable
		);
		assert_ok!(Hashpower::register_miner(o(provider2()), b"y".to_vec(), 1, s0, None));
		assert_ok!(Hashpower::register_miner(o(provider2()), b"z".to_vec(), 1, s0, None));
		assert_noop!(
			Hashpower::register_miner(o(provider2()), b"w".to_vec(), 1, s0, None),
			Error::<Test>::TooManyMiners
		);
		assert_noop!(Hashpower::retire_miner(o(provider()), 2), Error::<Test>::NotOwner);
		assert_noop!(Hashpower::retire_miner(o(provider()), 9), Error::<Test>::UnknownMiner);
		assert_ok!(Hashpower::retire_miner(o(provider2()), 2));
		assert_noop!(Hashpower::retire_miner(o(provider2()), 2), Error::<Test>::MinerNotActive);
		assert_eq!(ActiveMiners::<Test>::get().to_vec(), vec![0, 3]);
	});
}

#[test]
fn sub_accounts_hold_escrow_and_queue() {
	build_and_execute(|| {
		let a = open(buyer(), 10);
		let s = SubAccounts::<Test>::get(a).unwrap();
		// 10 shares × 2^16 hashes at 2^20 per 2^32: 160.
		assert_eq!((s.escrow, s.job, s.state), (160, 0, SubAccountState::Open));
		assert_eq!(held(buyer()), 160);
		let b = open(buyer2(), 3);
		assert_eq!(Queue::<Test>::get().to_vec(), vec![a, b]);
		let o = RuntimeOrigin::signed;
		let c = b"c".to_vec();
		assert_noop!(
			Hashpower::create_sub_account(
				o(outsider()),
				1 << 16,
				1,
				JobSource::Task(task(1)),
				c.clone(),
				c.clone()
			),
			Error::<Test>::NotParticipant
		);
		assert_noop!(
			Hashpower::create_sub_account(
				o(buyer()),
				1 << 16,
				1,
				JobSource::Task(task(0)),
				c.clone(),
				c.clone()
			),
			Error::<Test>::InvalidTask
		);
		let mut bad = task(1);
		bad.extranonce2_size = 9;
		assert_noop!(
			Hashpower::create_sub_account(
				o(buyer()),
				1 << 16,
				1,
				JobSource::Task(bad),
				c.clone(),
				c.clone()
			),
			Error::<Test>::InvalidTask
		);
		assert_noop!(
			Hashpower::create_sub_account(
				o(buyer()),
				(2 << 16) - 1,
				1,
				JobSource::Task(task(2)),
				c.clone(),
				c.clone()
			),
			Error::<Test>::StandardTooSmall
		);
		assert_noop!(
			Hashpower::create_sub_account(
				o(buyer()),
				1 << 16,
				1,
				JobSource::Task(task(1)),
				vec![0; 129],
				c.clone()
			),
			Error::<Test>::EndpointTooLong
		);
		assert_noop!(
			Hashpower::create_sub_account(
				o(buyer()),
				u128::MAX,
				u128::MAX,
				JobSource::Task(task(1)),
				c.clone(),
				c.clone()
			),
			Error::<Test>::Overflow
		);
		assert_noop!(
			Hashpower::create_sub_account(
				o(buyer()),
				1 << 60,
				1 << 40,
				JobSource::Task(task(1)),
				c.clone(),
				c.clone()
			),
			Error::<Test>::InsufficientBalance
		);
		open(buyer(), 1);
		open(buyer(), 1);
		assert_noop!(
			Hashpower::create_sub_account(
				o(buyer()),
				1 << 16,
				1,
				JobSource::Task(task(1)),
				c.clone(),
				c
			),
			Error::<Test>::QueueFull
		);
		// Cancelling returns the escrow; the next is served.
		assert_noop!(Hashpower::cancel_sub_account(o(buyer2()), a), Error::<Test>::NotOwner);
		assert_ok!(Hashpower::cancel_sub_account(o(buyer()), a));
		assert_eq!(held(buyer()), 32);
		System::assert_last_event(Event::Switched { from: a, to: Some(b) }.into());
		assert_noop!(Hashpower::cancel_sub_account(o(buyer()), a), Error::<Test>::NotOpen);
		assert_noop!(
			Hashpower::cancel_sub_account(o(buyer()), 77),
			Error::<Test>::UnknownSubAccount
		);
	});
}

#[test]
fn verified_shares_credit_work_pay_the_provider_and_switch_when_up_to_standard() {
	build_and_execute(|| {
		let (s0, _) = miners();
		let a = open(buyer(), 5);
		let b = open(buyer2(), 2);
		let job = SubAccounts::<Test>::get(a).unwrap().job;
		let shares = mine(&task(1), [0, 0, 0, 0], 0, 6);
		let before = Balances::balance(&provider());
		assert_ok!(submit(s0, 0, job, shares[..3].to_vec()));
		assert_checked(a, [3, 0, 0], 3 << 16, 48);
		assert_eq!(Balances::balance(&provider()) - before, 48, "16 per share");
		assert_eq!(Commissions::get(), vec![(provider(), 48)]);
		// A duplicate and a share of another miner's space (its extranonce1) are refused.
		let foreign = mine(&task(1), [0, 0, 0, 1], 100, 1);
		let mut batch = vec![shares[0].clone()];
		batch.extend(foreign);
		batch.push(shares[3].clone());
		assert_ok!(submit(s0, 0, job, batch));
		assert_checked(a, [1, 1, 1], 1 << 16, 16);
		// Two more: the fifth brings it up to standard, the sixth is not needed.
		assert_ok!(submit(s0, 0, job, shares[4..6].to_vec()));
		let s = SubAccounts::<Test>::get(a).unwrap();
		assert_eq!((s.work, s.paid, s.escrow, s.state), (5 << 16, 80, 80, SubAccountState::Done));
		System::assert_has_event(Event::UpToStandard { sub_account: a, work: 5 << 16 }.into());
		System::assert_last_event(Event::Switched { from: a, to: Some(b) }.into());
		assert_eq!(held(buyer()), 0);
		// The old job is stale now.
		assert_noop!(submit(s0, 0, job, shares[..1].to_vec()), Error::<Test>::StaleJob);
		let job_b = SubAccounts::<Test>::get(b).unwrap().job;
		assert_ne!(job, job_b);
		let shares_b = mine(&task(1), [0, 0, 0, 0], 0, 2);
		assert_ok!(submit(s0, 0, job_b, shares_b));
		System::assert_last_event(Event::Switched { from: b, to: None }.into());
		assert!(Queue::<Test>::get().is_empty());
		assert_eq!(
			Miners::<Test>::get(0).unwrap().accepted,
			7,
			"5 for the first, 2 for the second"
		);
	});
}

#[test]
fn downstream_shares_carry_longer_extranonce1_and_their_difficulty() {
	build_and_execute(|| {
		let (s0, _) = miners();
		let a = open(buyer(), 100);
		let job = SubAccounts::<Test>::get(a).unwrap().job;
		// A downstream connection: extranonce1 = the miner's 4 bytes + 2, extranonce2 of 2 bytes;
		// mined at difficulty 4 (4 × 2^16 hashes).
		let t = task(1);
		let en1 = [0u8, 0, 0, 0, 0, 7];
		let mut found = None;
		for nonce in 0u32.. {
			let share = pow::Share {
				extranonce1: &en1,
				extranonce2: &[0, 1],
				ntime: t.ntime,
				nonce,
				version_bits: None,
			};
			if pow::check_share::<pow::Sha2>(&t.job(), &share, 2, 4).is_ok() {
				found = Some(nonce);
				break;
			}
		}
		let share = ShareData {
			extranonce1: en1.to_vec().try_into().unwrap(),
			extranonce2: vec![0, 1].try_into().unwrap(),
			ntime: t.ntime,
			nonce: found.unwrap(),
			version_bits: None,
			difficulty: 4,
		};
		// Claimed below the task's difficulty, with a wrong total extranonce size, or in another
		// miner's space: refused.
		let low = ShareData { difficulty: 0, ..share.clone() };
		let long = ShareData { extranonce2: vec![0, 1, 2].try_into().unwrap(), ..share.clone() };
		let foreign =
			ShareData { extranonce1: vec![0, 0, 0, 1, 0, 7].try_into().unwrap(), ..share.clone() };
		assert_ok!(submit(s0, 0, job, vec![low, long, foreign, share.clone()]));
		assert_checked(a, [1, 0, 3], 4 << 16, 64);
		// Claimed at a higher difficulty than it meets: refused.
		let greedy = ShareData { difficulty: 1 << 40, ..share };
		assert_ok!(submit(s0, 0, job, vec![greedy]));
		assert_checked(a, [0, 0, 1], 0, 0);
	});
}

#[test]
fn submissions_from_others_are_refused() {
	build_and_execute(|| {
		let (s0, s1) = miners();
		let a = open(buyer(), 5);
		let job = SubAccounts::<Test>::get(a).unwrap().job;
		let shares = mine(&task(1), [0, 0, 0, 0], 0, 1);
		assert_noop!(submit(s1, 0, job, shares.clone()), Error::<Test>::WrongScheduler);
		assert_noop!(submit(s1, 1, job, shares.clone()), Error::<Test>::MinerNotActive);
		assert_noop!(submit(s0, 7, job, shares.clone()), Error::<Test>::UnknownMiner);
		assert_noop!(submit(s0, 0, job + 1, shares.clone()), Error::<Test>::StaleJob);
		let (p, sig) = payload(s0, 0, job, shares.clone());
		assert_noop!(
			Hashpower::submit_shares(RuntimeOrigin::signed(provider()), p, sig),
			DispatchError::BadOrigin
		);
	});
}

#[test]
#[allow(deprecated)]
fn the_pool_validates_signature_key_job_and_freshness() {
	build_and_execute(|| {
		let (s0, s1) = miners();
		let a = open(buyer(), 5);
		let job = SubAccounts::<Test>::get(a).unwrap().job;
		run_to(10);
		let shares = mine(&task(1), [0, 0, 0, 0], 0, 1);
		let v = |p: PayloadOf<Test>, s| {
			Hashpower::validate_unsigned(
				TransactionSource::External,
				&Call::submit_shares { payload: p, signature: s },
			)
		};
		let (p, s) = payload(s0, 0, job, shares.clone());
		assert!(v(p.clone(), s.clone()).is_ok());
		// Signed by another key than the payload names.
		let (_, other) = payload(s1, 0, job, shares.clone());
		assert_eq!(
			v(p.clone(), other),
			Err(TransactionValidityError::Invalid(InvalidTransaction::BadProof))
		);
		// Stale, future, empty, wrong scheduler.
		let mut old = p.clone();
		old.block_number = 4;
		let sig = old.using_encoded(|b| sp_io::crypto::sr25519_sign(KEY_TYPE, &s0, b)).unwrap();
		assert_eq!(v(old, sig), Err(InvalidTransaction::Stale.into()));
		let mut future = p.clone();
		future.block_number = 11;
		let sig = future.using_encoded(|b| sp_io::crypto::sr25519_sign(KEY_TYPE, &s0, b)).unwrap();
		assert_eq!(v(future, sig), Err(InvalidTransaction::Future.into()));
		let (empty, sig) = payload(s0, 0, job, vec![]);
		assert_eq!(v(empty, sig), Err(InvalidTransaction::Custom(1).into()));
		let (wrong, sig) = payload(s1, 0, job, shares);
		assert_eq!(v(wrong, sig), Err(InvalidTransaction::Custom(2).into()));
	});
}

#[test]
fn a_miner_that_delivers_nothing_fails_over_to_its_standby() {
	build_and_execute(|| {
		let (s0, s1) = miners();
		// Nothing to serve: no window is judged.
		run_to(30);
		assert_eq!(Miners::<Test>::get(0).unwrap().state, MinerState::Active);
		let a = open(buyer(), 1_000);
		let job = SubAccounts::<Test>::get(a).unwrap().job;
		// 1 MH/s declared over 10 blocks of 6 s: 6 × 10^7 hashes expected, 3 × 10^7 at least.
		assert_eq!(Hashpower::expected_work(1_000_000), 60_000_000);
		run_to(40);
		let m = Miners::<Test>::get(0).unwrap();
		assert_eq!(m.state, MinerState::Failed);
		System::assert_last_event(
			Event::MinerFailedOver {
				failed: 0,
				standby: Some(1),
				delivered: 0,
				expected: 60_000_000,
			}
			.into(),
		);
		assert_eq!(ActiveMiners::<Test>::get().to_vec(), vec![1]);
		assert_eq!(Miners::<Test>::get(1).unwrap().state, MinerState::Active);
		// The failed miner's scheduler can no longer submit; the standby's can.
		let shares = mine(&task(1), [0, 0, 0, 1], 0, 2);
		assert_noop!(submit(s0, 0, job, shares.clone()), Error::<Test>::MinerNotActive);
		assert_ok!(submit(s1, 1, job, shares));
	});
}

#[test]
fn a_miner_that_delivers_enough_keeps_its_place() {
	build_and_execute(|| {
		// Declared 1 kH/s: 60,000 hashes per window, 30,000 at least: one share of 2^16 suffices.
		let s0 = scheduler("//S0");
		assert_ok!(Hashpower::register_miner(
			RuntimeOrigin::signed(provider()),
			b"http://m".to_vec(),
			1_000,
			s0,
			None
		));
		let a = open(buyer(), 1_000);
		let job = SubAccounts::<Test>::get(a).unwrap().job;
		run_to(5);
		assert_ok!(submit(s0, 0, job, mine(&task(1), [0, 0, 0, 0], 0, 1)));
		run_to(11);
		let m = Miners::<Test>::get(0).unwrap();
		assert_eq!((m.state, m.window_start, m.window_work), (MinerState::Active, 11, 0));
		// Without a standby, a failing miner just stops being dispatched.
		run_to(21);
		assert_eq!(Miners::<Test>::get(0).unwrap().state, MinerState::Failed);
		assert!(ActiveMiners::<Test>::get().is_empty());
	});
}

#[test]
fn a_new_task_makes_a_new_job() {
	build_and_execute(|| {
		let (s0, _) = miners();
		let a = open(buyer(), 5);
		let old = SubAccounts::<Test>::get(a).unwrap().job;
		let mut t = task(1);
		t.ntime += 600;
		assert_noop!(
			Hashpower::update_task(RuntimeOrigin::signed(buyer2()), a, t.clone()),
			Error::<Test>::NotOwner
		);
		assert_noop!(
			Hashpower::update_task(RuntimeOrigin::signed(buyer()), a, task(0)),
			Error::<Test>::InvalidTask
		);
		assert_ok!(Hashpower::update_task(RuntimeOrigin::signed(buyer()), a, t.clone()));
		let new = SubAccounts::<Test>::get(a).unwrap().job;
		System::assert_last_event(Event::TaskUpdated { sub_account: a, job: new }.into());
		assert_noop!(submit(s0, 0, old, mine(&task(1), [0; 4], 0, 1)), Error::<Test>::StaleJob);
		// Shares of the old task do not check against the new one.
		assert_ok!(submit(s0, 0, new, mine(&task(1), [0; 4], 0, 1)));
		assert_checked(a, [0, 0, 1], 0, 0);
		assert_ok!(submit(s0, 0, new, mine(&t, [0; 4], 0, 1)));
		assert_eq!(SubAccounts::<Test>::get(a).unwrap().work, 1 << 16);
		// Stale jobs' records are cleared when blocks have room.
		assert_eq!(StaleJobs::<Test>::get().to_vec(), vec![old]);
		use frame_support::traits::Hooks;
		Hashpower::on_idle(2, frame_support::weights::Weight::MAX);
		assert!(StaleJobs::<Test>::get().is_empty());
	});
}

#[test]
#[allow(deprecated)]
fn pool_served_sub_accounts_are_credited_for_the_pools_jobs_paying_its_payout() {
	build_and_execute(|| {
		let (s0, _) = miners();
		let o = RuntimeOrigin::signed;
		let url = b"stratum+tcp://pool.example:3333".to_vec();
		let create = |source: JobSource, centre: &[u8], worker: &[u8]| {
			Hashpower::create_sub_account(
				o(buyer()),
				20 << 16,
				1 << 20,
				source,
				centre.to_vec(),
				worker.to_vec(),
			)
		};
		// A pool needs a Stratum URL, a worker name and a difficulty.
		let bad_url = b"http://pool.example:3333";
		assert_noop!(create(JobSource::Pool(terms(1)), bad_url, b"w"), Error::<Test>::InvalidPool);
		assert_noop!(create(JobSource::Pool(terms(1)), &url, b""), Error::<Test>::InvalidPool);
		assert_noop!(create(JobSource::Pool(terms(0)), &url, b"w"), Error::<Test>::InvalidPool);
		assert_noop!(
			Hashpower::create_sub_account(
				o(buyer()),
				(5 << 16) - 1,
				1 << 20,
				JobSource::Pool(terms(5)),
				url.clone(),
				b"w".to_vec()
			),
			Error::<Test>::StandardTooSmall
		);
		assert_ok!(create(JobSource::Pool(terms(2)), &url, b"buyer.rig1"));
		let a = NextSubAccountId::<Test>::get() - 1;
		let job = SubAccounts::<Test>::get(a).unwrap().job;
		assert_noop!(Hashpower::update_task(o(buyer()), a, task(1)), Error::<Test>::NotOnChainTask);
		// The pool's job, its extranonce1 (not the miner's space), at the pool's difficulty 4.
		let pj = pool_task();
		let shares = mine(&pj, [0xde, 0xad, 0xbe, 0xef], 0, 3);
		let submit_pool = |pool_job: Option<MiningTask>, shares: Vec<ShareData>| {
			let (p, sig) = payload_with(s0, 0, job, pool_job, shares);
			Hashpower::submit_shares(RuntimeOrigin::none(), p, sig)
		};
		// Without the pool's job, or with a coinbase that does not pay the pool: refused.
		assert_noop!(submit_pool(None, shares.clone()), Error::<Test>::WrongWorkKind);
		let mut elsewhere = pj.clone();
		elsewhere.coinbase2 = vec![0xff, 0xff, 0x76, 0xa9, 0x14, 1, 2, 3].try_into().unwrap();
		let foreign = mine(&elsewhere, [0xde, 0xad, 0xbe, 0xef], 0, 1);
		assert_noop!(submit_pool(Some(elsewhere), foreign), Error::<Test>::PayoutMissing);
		let mut broken = pj.clone();
		broken.extranonce2_size = 0;
		assert_noop!(submit_pool(Some(broken), shares.clone()), Error::<Test>::InvalidTask);
		let (p, sig) = payload_with(s0, 0, job, None, shares.clone());
		assert_eq!(
			Hashpower::validate_unsigned(
				TransactionSource::External,
				&Call::submit_shares { payload: p, signature: sig }
			),
			Err(InvalidTransaction::Custom(2).into())
		);
		// Below the least difficulty credited: invalid; the pool's shares: credited at 4 each.
		let mut low_pj = pj.clone();
		low_pj.difficulty = 1;
		let low = mine(&low_pj, [0xde, 0xad, 0xbe, 0xef], 900, 1);
		assert_ok!(submit_pool(Some(low_pj), low));
		assert_checked(a, [0, 0, 1], 0, 0);
		assert_ok!(submit_pool(Some(pj.clone()), shares.clone()));
		assert_eq!(SubAccounts::<Test>::get(a).unwrap().work, 3 * (4 << 16));
		// The same shares again: duplicates.
		assert_ok!(submit_pool(Some(pj.clone()), shares));
		assert_checked(a, [0, 3, 0], 0, 0);
		// An on-chain task's shares may not bring a pool job.
		assert_ok!(Hashpower::cancel_sub_account(o(buyer()), a));
		let b = open(buyer2(), 5);
		let job_b = SubAccounts::<Test>::get(b).unwrap().job;
		let (p, sig) = payload_with(s0, 0, job_b, Some(pool_task()), mine(&task(1), [0; 4], 0, 1));
		assert_noop!(
			Hashpower::submit_shares(RuntimeOrigin::none(), p, sig),
			Error::<Test>::WrongWorkKind
		);
	});
}

#[test]
fn the_ocw_pool_job_body_escapes_what_the_buyer_wrote() {
	let body = crate::ocw::pool_job_body(4, b"stratum+tcp://p:1", b"a\"b", b"p\\w\n", 128).unwrap();
	assert_eq!(
		body,
		"{\"job_id\":4,\"pool\":{\"url\":\"stratum+tcp://p:1\",\"worker\":\"a\\\"b\",\"password\":\"p\\\\w\\u000a\"},\"difficulty\":128}"
	);
	let v: serde_json::Value = serde_json::from_str(&body).unwrap();
	assert_eq!(v["pool"]["worker"], "a\"b");
	assert_eq!(v["pool"]["password"], "p\\w\n");
	assert!(crate::ocw::pool_job_body(4, b"x", &[0xff], b"", 1).is_none());
	assert_eq!(crate::ocw::pool_password_key(3), b"computility::pool-password::3".to_vec());
	// A warm standby is sent the same job, marked.
	let marked = crate::ocw::standby_body(&body);
	let v: serde_json::Value = serde_json::from_str(&marked).unwrap();
	assert_eq!((v["standby"].as_bool(), v["job_id"].as_u64()), (Some(true), Some(4)));
}

#[test]
fn the_ocw_job_body_is_what_the_miner_reads() {
	let body = crate::ocw::job_body(3, &task(7), &[0, 0, 0, 2]);
	assert!(body.starts_with("{\"job_id\":3,\"prev_hash\":\"0707"));
	assert!(body.contains("\"coinbase1\":\"01020304\""));
	assert!(body.contains("\"merkle_branch\":[\"0909"));
	assert!(body.contains("\"difficulty\":7,\"extranonce1\":\"00000002\",\"extranonce2_size\":4}"));
	assert_eq!(crate::ocw::token_key(12), b"computility::miner-token::12".to_vec());
}

mod random {
	use super::*;
	use proptest::prelude::*;

	#[derive(Debug, Clone)]
	enum Op {
		Open(bool, u8, bool),
		Cancel(u8, bool),
		Update(u8),
		Submit(u8, u8, bool),
		Advance(u8),
		Retire(u8),
	}

	fn op() -> impl Strategy<Value = Op> {
		prop_oneof![
			2 => (any::<bool>(), 1u8..6, any::<bool>()).prop_map(|(b, n, p)| Op::Open(b, n, p)),
			1 => (any::<u8>(), any::<bool>()).prop_map(|(s, b)| Op::Cancel(s, b)),
			1 => any::<u8>().prop_map(Op::Update),
			5 => (0u8..3, 1u8..4, any::<bool>()).prop_map(|(m, n, dup)| Op::Submit(m, n, dup)),
			2 => (1u8..8).prop_map(Op::Advance),
			1 => (0u8..3).prop_map(Op::Retire),
		]
	}

	proptest! {
		#![proptest_config(ProptestConfig::with_cases(24))]
		/// Random sub-accounts (on-chain tasks and pools), cancellations, task changes, share
		/// submissions (valid, duplicate, from failed miners, pool jobs), windows passing and
		/// retirements: failed calls change
		/// nothing, the invariants hold after every step, no unit is created or lost, and every
		/// payment equals the work credited at the price.
		#[test]
		fn money_and_work_are_conserved(ops in proptest::collection::vec(op(), 5..40)) {
			new_test_ext(true).execute_with(|| {
				let issuance = pallet_balances::TotalIssuance::<Test>::get();
				let keys = [scheduler("//S0"), scheduler("//S1"), scheduler("//S2")];
				assert_ok!(Hashpower::register_miner(RuntimeOrigin::signed(provider()), b"a".to_vec(), 1_000, keys[0], None));
				assert_ok!(Hashpower::register_miner(RuntimeOrigin::signed(provider()), b"b".to_vec(), 1_000, keys[1], Some(0)));
				assert_ok!(Hashpower::register_miner(RuntimeOrigin::signed(provider2()), b"c".to_vec(), 1_000, keys[2], None));
				let mut en2 = 0u32;
				let mut last: Vec<ShareData> = Vec::new();
				for op in ops {
					let root = sp_io::storage::root(sp_runtime::StateVersion::V1);
					let res = match op {
						Op::Open(b, n, pool) => {
							let who = if b { buyer() } else { buyer2() };
							let (source, centre) = if pool {
								(JobSource::Pool(terms(1)), b"stratum+tcp://pool:3333".to_vec())
							} else {
								(JobSource::Task(task(1)), vec![])
							};
							Hashpower::create_sub_account(RuntimeOrigin::signed(who), (n as u128) << 16, 1 << 20, source, centre, b"w".to_vec())
						},
						Op::Cancel(s, b) => Hashpower::cancel_sub_account(RuntimeOrigin::signed(if b { buyer() } else { buyer2() }), s as u32 % NextSubAccountId::<Test>::get().max(1)),
						Op::Update(s) => {
							let id = s as u32 % NextSubAccountId::<Test>::get().max(1);
							let who = SubAccounts::<Test>::get(id).map_or(buyer(), |x| x.buyer);
							Hashpower::update_task(RuntimeOrigin::signed(who), id, task(1))
						},
						Op::Submit(m, n, dup) => {
							let job = Hashpower::serving().map_or(0, |(_, s)| s.job);
							// A pool's job (its extranonce1 is the pool's), or the on-chain task.
							let (t, en1, pool_job) = match Hashpower::serving().map(|(_, s)| s.source) {
								Some(JobSource::Task(t)) => (t, (m as u32).to_be_bytes(), None),
								Some(JobSource::Pool(_)) => (pool_task(), [0xee, m, 0, 0], Some(pool_task())),
								None => (task(1), (m as u32).to_be_bytes(), None),
							};
							let shares = if dup && !last.is_empty() {
								last.clone()
							} else {
								let s = mine(&t, en1, en2, n as usize);
								en2 += n as u32 * 3;
								s
							};
							last = shares.clone();
							let (p, sig) = payload_with(keys[m as usize], m as u32, job, pool_job, shares);
							Hashpower::submit_shares(RuntimeOrigin::none(), p, sig)
						},
						Op::Advance(n) => { run_to(System::block_number() + n as u64); Ok(()) },
						Op::Retire(m) => Hashpower::retire_miner(RuntimeOrigin::signed(if m == 2 { provider2() } else { provider() }), m as u32),
					};
					if res.is_err() {
						prop_assert_eq!(root, sp_io::storage::root(sp_runtime::StateVersion::V1), "failed call changed state: {:?}", res);
					}
					Hashpower::do_try_state().map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
					for (_, s) in SubAccounts::<Test>::iter() {
						// Paid is the work at the price, rounded down.
						prop_assert_eq!(s.paid, ((s.work >> 32) << 20) + (((s.work & 0xffff_ffff) << 20) >> 32));
					}
				}
				prop_assert_eq!(pallet_balances::TotalIssuance::<Test>::get(), issuance);
				let total: u128 = (1..=6u8).map(|a| Balances::total_balance(&account(a))).sum();
				prop_assert_eq!(total, issuance, "balances do not add up");
				Ok(())
			})?;
		}
	}
}
