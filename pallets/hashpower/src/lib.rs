//! # Hashpower: PoW hashing power split between sub-accounts (EP 4 178 150)
//!
//! Hashrate buyers open **sub-accounts**: a standard (work bought, in hashes), a price per 2^32
//! hashes (escrowed), the distribution centre the work is for, and where the jobs come from
//! ([`JobSource`]): a Stratum-shaped task given on chain (previous hash, coinbase parts, merkle
//! branch, version, nbits, ntime, share difficulty), or the buyer's own **Stratum pool** (the
//! centre, `stratum+tcp://host:port`, and a worker name), which the miner server joins as a
//! Stratum client: it relays the pool's jobs to its miners and forwards the shares that meet the
//! pool's difficulty; the scheduler submits each pool job with the shares found for it, whose
//! coinbase must contain the buyer's payout bytes (so the work credited can only pay that pool).
//! Providers register **miner servers** (endpoint, declared hashrate, the scheduler key of the
//! node that dispatches them, a standby).
//!
//! The node's **off-chain worker is the scheduling module**: for every active miner whose
//! scheduler key it holds, it authenticates to the miner server (bearer token from the node's
//! off-chain storage), sends it the job of the sub-account being served (the queue's head, with
//! the miner's extranonce1 as its part of the search space), collects the shares found and
//! submits them as an unsigned transaction with a payload signed by the scheduler key
//! ([`Pallet::submit_shares`]), which the pool validates (signature, key, job, freshness; one per
//! miner, job and block).
//!
//! On chain every share is rebuilt (coinbase → merkle root → header) and its SHA-256d compared
//! with the target of the difficulty it was mined at (at least the task's) by
//! [`computility_pow`]; its extranonce1 must be in the miner's space; duplicates are refused;
//! work (difficulty × 2^32 hashes) is credited to the sub-account and paid from its escrow to the miner's provider
//! (commission charged). When a sub-account is **up to standard** the queue moves to the next
//! (a new job: Stratum's `clean_jobs`), until all are served. An active miner that delivers less
//! than [`Config::MinDeliveryPercent`] of its declared hashrate over [`Config::WindowBlocks`]
//! (nothing at all, when its server is down) is marked failed and its **standby takes over**.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub mod ocw;
pub mod types;
pub mod weights;
pub use types::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

/// Key type of scheduler keys (`author_insertKey` with `"hash"`).
pub const KEY_TYPE: sp_core::crypto::KeyTypeId = sp_core::crypto::KeyTypeId(*b"hash");

/// Scheduler keys: sr25519, key type `hash`.
pub mod crypto {
	use super::KEY_TYPE;
	use sp_runtime::{
		app_crypto::{app_crypto, sr25519},
		traits::Verify,
		MultiSignature, MultiSigner,
	};
	app_crypto!(sr25519, KEY_TYPE);

	/// The scheduler's signing identity.
	pub struct SchedulerId;
	impl frame_system::offchain::AppCrypto<MultiSigner, MultiSignature> for SchedulerId {
		type RuntimeAppPublic = Public;
		type GenericSignature = sp_core::sr25519::Signature;
		type GenericPublic = sp_core::sr25519::Public;
	}
	impl
		frame_system::offchain::AppCrypto<
			<sp_core::sr25519::Signature as Verify>::Signer,
			sp_core::sr25519::Signature,
		> for SchedulerId
	{
		type RuntimeAppPublic = Public;
		type GenericSignature = sp_core::sr25519::Signature;
		type GenericPublic = sp_core::sr25519::Public;
	}
}

/// Scheduler keys in the benchmarking keystore (for runtimes' [`BenchmarkHelper`]s).
#[cfg(feature = "runtime-benchmarks")]
pub mod bench_keys {
	/// A new sr25519 key of type `hash`.
	pub fn generate() -> sp_core::sr25519::Public {
		sp_io::crypto::sr25519_generate(super::KEY_TYPE, None)
	}
	/// `message` signed by `public` (a key of type `hash`).
	pub fn sign(public: &sp_core::sr25519::Public, message: &[u8]) -> sp_core::sr25519::Signature {
		sp_io::crypto::sr25519_sign(super::KEY_TYPE, public, message).unwrap_or_default()
	}
}

/// Sets up parties and keys for the benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId, Public, Signature> {
	/// Make `who` an approved, active, funded participant with `role`.
	fn member(who: &AccountId, role: computility_primitives::Role);
	/// A new scheduler key in the keystore.
	fn scheduler() -> Public;
	/// `message` signed by the scheduler key `public`.
	fn sign(public: &Public, message: &[u8]) -> Signature;
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use computility_pow::{self as pow, Sha256};
	use computility_primitives::{Commission, Earning, IdentityRegistry, ResourceKind, Role};
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{Inspect, InspectHold, Mutate, MutateHold},
			tokens::{Fortitude, Precision, Restriction},
		},
	};
	use frame_system::{
		offchain::{AppCrypto, CreateBare, SignedPayload, SigningTypes},
		pallet_prelude::*,
	};
	use sp_runtime::{
		traits::{IdentifyAccount, SaturatedConversion, Saturating},
		transaction_validity::{
			InvalidTransaction, TransactionSource, TransactionValidity, ValidTransaction,
		},
	};

	/// Balance of the configured currency.
	pub type BalanceOf<T> =
		<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;
	/// A miner of this runtime.
	pub type MinerOf<T> = Miner<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;
	/// A sub-account of this runtime.
	pub type SubAccountOf<T> = SubAccount<<T as frame_system::Config>::AccountId, BalanceOf<T>>;
	/// A shares payload of this runtime.
	pub type PayloadOf<T> = SharesPayload<<T as SigningTypes>::Public, BlockNumberFor<T>>;

	/// SHA-256 by the host (native speed on chain).
	pub struct HostSha;
	impl Sha256 for HostSha {
		fn sha256(data: &[u8]) -> [u8; 32] {
			sp_io::hashing::sha2_256(data)
		}
	}

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A sub-account's escrow for the work it bought.
		Escrow,
	}

	#[pallet::config]
	pub trait Config: CreateBare<Call<Self>> + SigningTypes + frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;
		/// The currency escrow is held in.
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ InspectHold<Self::AccountId>
			+ Mutate<Self::AccountId, Balance = u128>;
		/// The runtime's hold reasons.
		type RuntimeHoldReason: From<HoldReason>;
		/// Roles and standing of providers and buyers.
		type Identity: IdentityRegistry<Self::AccountId>;
		/// Charges commission on what providers are paid.
		type Commission: Commission<Self::AccountId, BalanceOf<Self>>;
		/// The scheduler keys.
		type AuthorityId: AppCrypto<Self::Public, Self::Signature>;
		/// Most shares in one submission (at most [`MAX_SHARES`]).
		#[pallet::constant]
		type MaxShares: Get<u32>;
		/// Most active miners (dispatched at once).
		#[pallet::constant]
		type MaxMiners: Get<u32>;
		/// Most sub-accounts waiting.
		#[pallet::constant]
		type MaxQueue: Get<u32>;
		/// Length of a miner's delivery window, in blocks.
		#[pallet::constant]
		type WindowBlocks: Get<BlockNumberFor<Self>>;
		/// Milliseconds per block (to turn a declared hashrate into work per window).
		#[pallet::constant]
		type BlockMillis: Get<u64>;
		/// Least share of its declared hashrate a miner must deliver per window.
		#[pallet::constant]
		type MinDeliveryPercent: Get<u32>;
		/// Priority of share submissions in the pool.
		#[pallet::constant]
		type UnsignedPriority: Get<TransactionPriority>;
		/// Weights.
		type WeightInfo: WeightInfo;
		/// Benchmark set-up.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId, Self::Public, Self::Signature>;
	}

	/// Miner servers.
	#[pallet::storage]
	pub type Miners<T: Config> = StorageMap<_, Twox64Concat, MinerId, MinerOf<T>, OptionQuery>;

	/// The next miner id.
	#[pallet::storage]
	pub type NextMinerId<T> = StorageValue<_, MinerId, ValueQuery>;

	/// Miners being dispatched.
	#[pallet::storage]
	pub type ActiveMiners<T: Config> =
		StorageValue<_, BoundedVec<MinerId, T::MaxMiners>, ValueQuery>;

	/// Sub-accounts.
	#[pallet::storage]
	pub type SubAccounts<T: Config> =
		StorageMap<_, Twox64Concat, SubAccountId, SubAccountOf<T>, OptionQuery>;

	/// The next sub-account id.
	#[pallet::storage]
	pub type NextSubAccountId<T> = StorageValue<_, SubAccountId, ValueQuery>;

	/// Open sub-accounts in the order they are served; the head is being served.
	#[pallet::storage]
	pub type Queue<T: Config> = StorageValue<_, BoundedVec<SubAccountId, T::MaxQueue>, ValueQuery>;

	/// The next job id.
	#[pallet::storage]
	pub type NextJobId<T> = StorageValue<_, JobId, ValueQuery>;

	/// Shares accepted for a job (by header hash): a share counts once.
	#[pallet::storage]
	pub type Seen<T: Config> =
		StorageDoubleMap<_, Twox64Concat, JobId, Identity, [u8; 32], (), OptionQuery>;

	/// Jobs no longer served whose [`Seen`] entries are being cleared.
	#[pallet::storage]
	pub type StaleJobs<T: Config> = StorageValue<_, BoundedVec<JobId, ConstU32<256>>, ValueQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A provider registered a miner server.
		MinerRegistered {
			/// The miner.
			miner: MinerId,
			/// Its provider.
			provider: T::AccountId,
			/// Whether it waits as a standby (and for which primary).
			standby_for: Option<MinerId>,
		},
		/// A provider retired a miner server.
		MinerRetired {
			/// The miner.
			miner: MinerId,
		},
		/// A miner failed or under-delivered; its standby (if any) took over.
		MinerFailedOver {
			/// The failed miner.
			failed: MinerId,
			/// The standby now active.
			standby: Option<MinerId>,
			/// Work it delivered in its last window (hashes).
			delivered: u128,
			/// Work its declared hashrate promised for the window (hashes).
			expected: u128,
		},
		/// A buyer opened a sub-account; its escrow is held.
		SubAccountCreated {
			/// The sub-account.
			sub_account: SubAccountId,
			/// Its buyer.
			buyer: T::AccountId,
			/// Work bought (hashes).
			standard: u128,
			/// Escrow held.
			escrow: BalanceOf<T>,
			/// Its first job.
			job: JobId,
		},
		/// A buyer changed its task: a new job replaces the old one.
		TaskUpdated {
			/// The sub-account.
			sub_account: SubAccountId,
			/// The new job.
			job: JobId,
		},
		/// Shares were checked.
		SharesChecked {
			/// The miner that found them.
			miner: MinerId,
			/// The sub-account credited.
			sub_account: SubAccountId,
			/// Accepted.
			accepted: u32,
			/// Refused as duplicates.
			duplicate: u32,
			/// Refused: above the share target or malformed.
			invalid: u32,
			/// Work credited (hashes).
			work: u128,
			/// Paid to the provider.
			paid: BalanceOf<T>,
		},
		/// A sub-account is up to standard.
		UpToStandard {
			/// The sub-account.
			sub_account: SubAccountId,
			/// Work credited (hashes).
			work: u128,
		},
		/// The scheduler moved on: the next sub-account (if any) is served.
		Switched {
			/// The one served before.
			from: SubAccountId,
			/// The one served now.
			to: Option<SubAccountId>,
		},
		/// A buyer cancelled a sub-account; the unspent escrow was returned.
		SubAccountCancelled {
			/// The sub-account.
			sub_account: SubAccountId,
			/// Returned.
			refund: BalanceOf<T>,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The account is not an active provider.
		NotProvider,
		/// The account is not an active participant.
		NotParticipant,
		/// No miner has this id.
		UnknownMiner,
		/// No sub-account has this id.
		UnknownSubAccount,
		/// Only the miner's provider or the sub-account's buyer may do this.
		NotOwner,
		/// The most active miners are registered.
		TooManyMiners,
		/// The queue of sub-accounts is full.
		QueueFull,
		/// The task has no difficulty or an extranonce2 size outside 1 to 8.
		InvalidTask,
		/// The standard is less than one share of the task.
		StandardTooSmall,
		/// The buyer cannot pay the escrow.
		InsufficientBalance,
		/// The primary already has a standby, or is not active.
		StandbyUnavailable,
		/// The miner is not active.
		MinerNotActive,
		/// The key is not the miner's scheduler.
		WrongScheduler,
		/// The job is not the one being served.
		StaleJob,
		/// The sub-account is no longer open.
		NotOpen,
		/// The endpoint is longer than allowed.
		EndpointTooLong,
		/// The price times the standard overflows.
		Overflow,
		/// More shares than one submission may carry.
		TooManyShares,
		/// A pool-served sub-account needs a `stratum+tcp://` centre, a worker name and a
		/// difficulty.
		InvalidPool,
		/// The sub-account is served by its pool: it has no on-chain task to replace.
		NotOnChainTask,
		/// Shares for a pool-served sub-account must come with the pool's job, and shares for an
		/// on-chain task without one.
		WrongWorkKind,
		/// The pool job's coinbase does not contain the sub-account's payout bytes.
		PayoutMissing,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(n: BlockNumberFor<T>) -> Weight {
			let active = ActiveMiners::<T>::decode_len().unwrap_or(0) as u32;
			Self::check_delivery(n);
			T::WeightInfo::check_delivery(active)
		}

		fn on_idle(_n: BlockNumberFor<T>, remaining: Weight) -> Weight {
			Self::clear_stale(remaining)
		}

		fn offchain_worker(n: BlockNumberFor<T>) {
			crate::ocw::run::<T>(n);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Register a miner server.
		///
		/// - `origin`: an active provider.
		/// - `endpoint`: its HTTP endpoint.
		/// - `declared_hashrate`: hashes per second it promises.
		/// - `scheduler`: the account of the off-chain worker key (type `hash`) that dispatches it.
		/// - `standby_for`: a primary of the same provider without a standby: this miner waits
		///   to replace it. `None`: active at once.
		///
		/// Emits [`Event::MinerRegistered`].
		#[pallet::call_index(0)]
		pub fn register_miner(
			origin: OriginFor<T>,
			endpoint: Vec<u8>,
			declared_hashrate: u64,
			scheduler: T::AccountId,
			standby_for: Option<MinerId>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(
				T::Identity::is_active_with_role(&who, Role::Provider),
				Error::<T>::NotProvider
			);
			let endpoint: Endpoint =
				endpoint.try_into().map_err(|_| Error::<T>::EndpointTooLong)?;
			let id = NextMinerId::<T>::get();
			let state = match standby_for {
				Some(p) => {
					Miners::<T>::try_mutate(p, |m| {
						let m = m.as_mut().ok_or(Error::<T>::UnknownMiner)?;
						ensure!(m.provider == who, Error::<T>::NotOwner);
						ensure!(
							m.standby.is_none() && m.state == MinerState::Active,
							Error::<T>::StandbyUnavailable
						);
						m.standby = Some(id);
						Ok::<_, DispatchError>(())
					})?;
					MinerState::Standby
				},
				None => {
					ActiveMiners::<T>::try_append(id).map_err(|_| Error::<T>::TooManyMiners)?;
					MinerState::Active
				},
			};
			NextMinerId::<T>::put(id.saturating_add(1));
			Miners::<T>::insert(
				id,
				Miner {
					provider: who.clone(),
					endpoint,
					declared_hashrate,
					scheduler,
					standby: None,
					state,
					extranonce1: id.to_be_bytes(),
					window_start: frame_system::Pallet::<T>::block_number(),
					window_work: 0,
					accepted: 0,
					work: 0,
				},
			);
			Self::deposit_event(Event::MinerRegistered { miner: id, provider: who, standby_for });
			Ok(())
		}

		/// Retire a miner server (it is no longer dispatched).
		///
		/// - `origin`: its provider.
		///
		/// Emits [`Event::MinerRetired`].
		#[pallet::call_index(1)]
		pub fn retire_miner(origin: OriginFor<T>, miner: MinerId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Miners::<T>::try_mutate(miner, |m| {
				let m = m.as_mut().ok_or(Error::<T>::UnknownMiner)?;
				ensure!(m.provider == who, Error::<T>::NotOwner);
				ensure!(m.state != MinerState::Retired, Error::<T>::MinerNotActive);
				m.state = MinerState::Retired;
				Ok::<_, DispatchError>(())
			})?;
			ActiveMiners::<T>::mutate(|v| v.retain(|x| *x != miner));
			Self::deposit_event(Event::MinerRetired { miner });
			Ok(())
		}

		/// Open a sub-account: buy `standard` hashes of work at `price` per 2^32 hashes, to be
		/// delivered to `centre` as `worker`. The escrow (`price × standard / 2^32`, rounded up)
		/// is held; the sub-account joins the queue.
		///
		/// - `origin`: an active participant.
		/// - `source`: [`JobSource::Task`], a task given on chain; or [`JobSource::Pool`]: the jobs of the
		///   buyer's Stratum pool at `centre` (`stratum+tcp://host:port`) as `worker` (its
		///   password, if secret, goes in the scheduling node's off-chain storage under
		///   `computility::pool-password::<sub-account>`).
		///
		/// Emits [`Event::SubAccountCreated`].
		#[pallet::call_index(2)]
		pub fn create_sub_account(
			origin: OriginFor<T>,
			standard: u128,
			price: BalanceOf<T>,
			source: JobSource,
			centre: Vec<u8>,
			worker: Vec<u8>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(T::Identity::is_active(&who), Error::<T>::NotParticipant);
			match &source {
				JobSource::Task(t) => ensure!(t.is_valid(), Error::<T>::InvalidTask),
				JobSource::Pool(_) => ensure!(
					source.is_valid() && centre.starts_with(STRATUM_SCHEME) && !worker.is_empty(),
					Error::<T>::InvalidPool
				),
			}
			ensure!(standard >= pow::work_of(source.difficulty()), Error::<T>::StandardTooSmall);
			let centre: Endpoint = centre.try_into().map_err(|_| Error::<T>::EndpointTooLong)?;
			let worker: Endpoint = worker.try_into().map_err(|_| Error::<T>::EndpointTooLong)?;
			let escrow = Self::cost(price, standard).ok_or(Error::<T>::Overflow)?;
			let id = NextSubAccountId::<T>::get();
			let was_idle = Queue::<T>::get().is_empty();
			Queue::<T>::try_append(id).map_err(|_| Error::<T>::QueueFull)?;
			T::Currency::hold(&HoldReason::Escrow.into(), &who, escrow)
				.map_err(|_| Error::<T>::InsufficientBalance)?;
			let job = Self::next_job();
			NextSubAccountId::<T>::put(id.saturating_add(1));
			SubAccounts::<T>::insert(
				id,
				SubAccount {
					buyer: who.clone(),
					standard,
					price,
					escrow,
					paid: 0,
					work: 0,
					source,
					job,
					centre,
					worker,
					state: SubAccountState::Open,
				},
			);
			if was_idle {
				Self::restart_windows();
			}
			Self::deposit_event(Event::SubAccountCreated {
				sub_account: id,
				buyer: who,
				standard,
				escrow,
				job,
			});
			Ok(())
		}

		/// Replace an open sub-account's task (a new block template): a new job; shares of the
		/// old one are stale.
		///
		/// - `origin`: its buyer.
		/// - `sub_account`: one with an on-chain task (a pool gives its own jobs).
		///
		/// Emits [`Event::TaskUpdated`].
		#[pallet::call_index(3)]
		pub fn update_task(
			origin: OriginFor<T>,
			sub_account: SubAccountId,
			task: MiningTask,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(task.is_valid(), Error::<T>::InvalidTask);
			let job = SubAccounts::<T>::try_mutate(sub_account, |s| {
				let s = s.as_mut().ok_or(Error::<T>::UnknownSubAccount)?;
				ensure!(s.buyer == who, Error::<T>::NotOwner);
				ensure!(s.state == SubAccountState::Open, Error::<T>::NotOpen);
				ensure!(matches!(s.source, JobSource::Task(_)), Error::<T>::NotOnChainTask);
				Self::retire_job(s.job);
				s.source = JobSource::Task(task);
				s.job = Self::next_job();
				Ok::<_, DispatchError>(s.job)
			})?;
			Self::deposit_event(Event::TaskUpdated { sub_account, job });
			Ok(())
		}

		/// Cancel an open sub-account: the unspent escrow goes back to the buyer.
		///
		/// - `origin`: its buyer.
		///
		/// Emits [`Event::SubAccountCancelled`] (and [`Event::Switched`] if it was served).
		#[pallet::call_index(4)]
		pub fn cancel_sub_account(
			origin: OriginFor<T>,
			sub_account: SubAccountId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut s = SubAccounts::<T>::get(sub_account).ok_or(Error::<T>::UnknownSubAccount)?;
			ensure!(s.buyer == who, Error::<T>::NotOwner);
			ensure!(s.state == SubAccountState::Open, Error::<T>::NotOpen);
			let refund = Self::release_rest(&mut s)?;
			s.state = SubAccountState::Cancelled;
			Self::retire_job(s.job);
			SubAccounts::<T>::insert(sub_account, s);
			let was_head = Queue::<T>::get().first() == Some(&sub_account);
			Queue::<T>::mutate(|q| q.retain(|x| *x != sub_account));
			Self::deposit_event(Event::SubAccountCancelled { sub_account, refund });
			if was_head {
				Self::switched(sub_account);
			}
			Ok(())
		}

		/// Shares a miner found for the job being served, submitted by the miner's scheduler
		/// (the node's off-chain worker) with its signature over the payload.
		///
		/// Each share is rebuilt and checked against the share target; accepted shares credit
		/// work to the sub-account being served and pay the miner's provider from its escrow.
		/// For a sub-account served by its pool the payload carries the pool's job the shares
		/// were found for: its coinbase must contain the sub-account's payout bytes, and the
		/// shares' extranonces are the pool's (not the miner's space).
		///
		/// - `origin`: none (validated by signature in the pool).
		///
		/// Emits [`Event::SharesChecked`] (and [`Event::UpToStandard`], [`Event::Switched`]).
		#[pallet::call_index(5)]
		#[pallet::weight(<T as Config>::WeightInfo::submit_shares(payload.shares.len() as u32))]
		pub fn submit_shares(
			origin: OriginFor<T>,
			payload: PayloadOf<T>,
			_signature: T::Signature,
		) -> DispatchResult {
			ensure_none(origin)?;
			let (miner, sub_id, mut sub, task) = Self::current_for(&payload)?;
			let pool = payload.pool_job.is_some();
			let least = sub.source.difficulty();
			let job = task.job();
			let size = task.extranonce2_size as usize;
			let (mut accepted, mut duplicate, mut invalid) = (0u32, 0u32, 0u32);
			let mut credited = 0u128;
			for s in payload.shares.iter() {
				if sub.work >= sub.standard {
					break;
				}
				let en1 = &s.extranonce1;
				// A pool assigns the extranonces; on an on-chain task they are the miner's.
				let own = pool || (en1.len() >= 4 && en1[..4] == miner.extranonce1);
				let en2_size = if pool {
					Some(s.extranonce2.len())
				} else {
					(4 + size).checked_sub(en1.len())
				};
				let Some(en2_size) = en2_size else {
					invalid += 1;
					continue;
				};
				if !own || s.difficulty < least {
					invalid += 1;
					continue;
				}
				let share = pow::Share {
					extranonce1: en1,
					extranonce2: &s.extranonce2,
					ntime: s.ntime,
					nonce: s.nonce,
					version_bits: s.version_bits,
				};
				match pow::check_share::<HostSha>(&job, &share, en2_size, s.difficulty) {
					Ok(hash) if Seen::<T>::contains_key(sub.job, hash) => duplicate += 1,
					Ok(hash) => {
						Seen::<T>::insert(sub.job, hash, ());
						let w =
							pow::work_of(s.difficulty).min(sub.standard.saturating_sub(sub.work));
						sub.work = sub.work.saturating_add(w);
						credited = credited.saturating_add(w);
						accepted += 1;
					},
					Err(_) => invalid += 1,
				}
			}
			// Pay what the work so far is worth, less what was paid (no rounding is lost).
			let owed = Self::cost_floor(sub.price, sub.work).unwrap_or(sub.escrow).min(sub.escrow);
			let pay = owed.saturating_sub(sub.paid);
			if pay > 0 {
				T::Currency::transfer_on_hold(
					&HoldReason::Escrow.into(),
					&sub.buyer,
					&miner.provider,
					pay,
					Precision::Exact,
					Restriction::Free,
					Fortitude::Polite,
				)?;
				sub.paid = sub.paid.saturating_add(pay);
				T::Commission::charge(&Earning {
					provider: miner.provider.clone(),
					buyer: sub.buyer.clone(),
					pay,
					kind: ResourceKind::Hashrate,
					quantity: (miner.declared_hashrate / 1_000_000_000).saturated_into(),
					availability_permille: 1000,
					met: true,
				})?;
			}
			Miners::<T>::mutate(payload.miner, |m| {
				if let Some(m) = m {
					m.accepted = m.accepted.saturating_add(accepted as u64);
					m.work = m.work.saturating_add(credited);
					m.window_work = m.window_work.saturating_add(credited);
				}
			});
			let done = sub.work >= sub.standard;
			if done {
				sub.state = SubAccountState::Done;
				Self::release_rest(&mut sub)?;
				Self::retire_job(sub.job);
			}
			let work = sub.work;
			SubAccounts::<T>::insert(sub_id, sub);
			Self::deposit_event(Event::SharesChecked {
				miner: payload.miner,
				sub_account: sub_id,
				accepted,
				duplicate,
				invalid,
				work: credited,
				paid: pay,
			});
			if done {
				Queue::<T>::mutate(|q| q.retain(|x| *x != sub_id));
				Self::deposit_event(Event::UpToStandard { sub_account: sub_id, work });
				Self::switched(sub_id);
			}
			Ok(())
		}
	}

	#[pallet::validate_unsigned]
	#[allow(deprecated)]
	impl<T: Config> ValidateUnsigned for Pallet<T> {
		type Call = Call<T>;

		fn validate_unsigned(_source: TransactionSource, call: &Self::Call) -> TransactionValidity {
			let Call::submit_shares { payload, signature } = call else {
				return InvalidTransaction::Call.into();
			};
			if !SignedPayload::<T>::verify::<T::AuthorityId>(payload, signature.clone()) {
				return InvalidTransaction::BadProof.into();
			}
			let now = frame_system::Pallet::<T>::block_number();
			if payload.block_number > now {
				return InvalidTransaction::Future.into();
			}
			if now.saturating_sub(payload.block_number) > 5u32.into() {
				return InvalidTransaction::Stale.into();
			}
			if payload.shares.is_empty() {
				return InvalidTransaction::Custom(1).into();
			}
			if Self::current_for(payload).is_err() {
				// Not the miner's scheduler, not an active miner, or not the job being served.
				return InvalidTransaction::Custom(2).into();
			}
			ValidTransaction::with_tag_prefix("Hashpower")
				.priority(T::UnsignedPriority::get())
				.and_provides((payload.miner, payload.job, payload.block_number))
				.longevity(5)
				.propagate(true)
				.build()
		}
	}

	impl<T: SigningTypes + Config> SignedPayload<T> for PayloadOf<T> {
		fn public(&self) -> T::Public {
			self.public.clone()
		}
	}

	impl<T: Config> Pallet<T> {
		/// The miner, sub-account id and sub-account a payload is for, if it may be credited, and
		/// the job its shares are checked against (the on-chain task, or the pool's job).
		pub fn current_for(
			payload: &PayloadOf<T>,
		) -> Result<(MinerOf<T>, SubAccountId, SubAccountOf<T>, MiningTask), DispatchError> {
			let miner = Miners::<T>::get(payload.miner).ok_or(Error::<T>::UnknownMiner)?;
			ensure!(miner.state == MinerState::Active, Error::<T>::MinerNotActive);
			ensure!(
				miner.scheduler == payload.public.clone().into_account(),
				Error::<T>::WrongScheduler
			);
			ensure!(payload.shares.len() as u32 <= T::MaxShares::get(), Error::<T>::TooManyShares);
			let (id, sub) = Self::serving().ok_or(Error::<T>::StaleJob)?;
			ensure!(sub.job == payload.job, Error::<T>::StaleJob);
			let task = match (&payload.pool_job, &sub.source) {
				(None, JobSource::Task(t)) => t.clone(),
				(Some(j), JobSource::Pool(p)) => {
					ensure!(j.is_valid(), Error::<T>::InvalidTask);
					ensure!(
						contains(&j.coinbase1, &p.payout) || contains(&j.coinbase2, &p.payout),
						Error::<T>::PayoutMissing
					);
					j.clone()
				},
				_ => return Err(Error::<T>::WrongWorkKind.into()),
			};
			Ok((miner, id, sub, task))
		}

		/// The sub-account being served.
		pub fn serving() -> Option<(SubAccountId, SubAccountOf<T>)> {
			let id = *Queue::<T>::get().first()?;
			SubAccounts::<T>::get(id).map(|s| (id, s))
		}

		/// `price × hashes / 2^32`, rounded up (the escrow).
		fn cost(price: u128, hashes: u128) -> Option<u128> {
			let whole = (hashes >> 32).checked_mul(price)?;
			let part = (hashes & 0xffff_ffff).checked_mul(price)?;
			whole.checked_add(part.div_ceil(1 << 32))
		}

		/// `price × hashes / 2^32`, rounded down (what work is worth).
		fn cost_floor(price: u128, hashes: u128) -> Option<u128> {
			let whole = (hashes >> 32).checked_mul(price)?;
			let part = (hashes & 0xffff_ffff).checked_mul(price)?;
			whole.checked_add(part >> 32)
		}

		fn next_job() -> JobId {
			let j = NextJobId::<T>::get();
			NextJobId::<T>::put(j.saturating_add(1));
			j
		}

		fn retire_job(job: JobId) {
			StaleJobs::<T>::mutate(|v| {
				if v.is_full() {
					v.remove(0);
				}
				let _ = v.try_push(job);
			});
		}

		/// Return the unspent escrow of a sub-account to its buyer.
		fn release_rest(s: &mut SubAccountOf<T>) -> Result<BalanceOf<T>, DispatchError> {
			let rest = s.escrow.saturating_sub(s.paid);
			if rest > 0 {
				T::Currency::release(&HoldReason::Escrow.into(), &s.buyer, rest, Precision::Exact)?;
			}
			s.escrow = s.paid;
			Ok(rest)
		}

		fn switched(from: SubAccountId) {
			let to = Queue::<T>::get().first().copied();
			Self::restart_windows();
			Self::deposit_event(Event::Switched { from, to });
		}

		/// Every active miner starts a new delivery window now (a new job to work).
		fn restart_windows() {
			let now = frame_system::Pallet::<T>::block_number();
			for id in ActiveMiners::<T>::get() {
				Miners::<T>::mutate(id, |m| {
					if let Some(m) = m {
						m.window_start = now;
						m.window_work = 0;
					}
				});
			}
		}

		/// Work a miner's declared hashrate promises per window (hashes).
		pub fn expected_work(declared: u64) -> u128 {
			let window: u64 = T::WindowBlocks::get().saturated_into();
			(declared as u128)
				.saturating_mul(window as u128)
				.saturating_mul(T::BlockMillis::get() as u128)
				/ 1000
		}

		/// End each active miner's window that is over: below the least delivery, it fails and
		/// its standby takes over. Only while a sub-account is being served.
		pub(crate) fn check_delivery(now: BlockNumberFor<T>) {
			if Queue::<T>::get().is_empty() {
				return;
			}
			let window = T::WindowBlocks::get();
			for id in ActiveMiners::<T>::get() {
				let Some(mut m) = Miners::<T>::get(id) else { continue };
				if now.saturating_sub(m.window_start) < window {
					continue;
				}
				let expected = Self::expected_work(m.declared_hashrate);
				let least = expected.saturating_mul(T::MinDeliveryPercent::get() as u128) / 100;
				if m.window_work >= least {
					m.window_start = now;
					m.window_work = 0;
					Miners::<T>::insert(id, m);
					continue;
				}
				let delivered = m.window_work;
				m.state = MinerState::Failed;
				let standby = m.standby.filter(|s| {
					Miners::<T>::get(s).is_some_and(|x| x.state == MinerState::Standby)
				});
				Miners::<T>::insert(id, m);
				ActiveMiners::<T>::mutate(|v| {
					v.retain(|x| *x != id);
					if let Some(s) = standby {
						// Room was just made.
						let _ = v.try_push(s);
					}
				});
				if let Some(s) = standby {
					Miners::<T>::mutate(s, |x| {
						if let Some(x) = x {
							x.state = MinerState::Active;
							x.window_start = now;
							x.window_work = 0;
						}
					});
				}
				Self::deposit_event(Event::MinerFailedOver {
					failed: id,
					standby,
					delivered,
					expected,
				});
			}
		}

		/// Clear [`Seen`] entries of stale jobs with the weight left in the block.
		fn clear_stale(remaining: Weight) -> Weight {
			let per = T::DbWeight::get().reads_writes(1, 1);
			let base = T::DbWeight::get().reads_writes(1, 1);
			if remaining.any_lt(base.saturating_add(per)) {
				return Weight::zero();
			}
			let mut stale = StaleJobs::<T>::get();
			let Some(job) = stale.first().copied() else { return T::DbWeight::get().reads(1) };
			let limit = remaining.saturating_sub(base).ref_time() / per.ref_time().max(1);
			let limit = limit.min(512) as u32;
			let res = Seen::<T>::clear_prefix(job, limit, None);
			if res.maybe_cursor.is_none() {
				stale.remove(0);
				StaleJobs::<T>::put(stale);
			}
			base.saturating_add(per.saturating_mul(res.loops as u64))
		}

		/// Invariants: escrow held equals what open sub-accounts have left; the queue holds
		/// exactly the open sub-accounts, once each; active miners are active, at most one
		/// standby per primary; work never exceeds the standard, pay never exceeds escrow.
		#[cfg(any(feature = "try-runtime", feature = "std", test))]
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			use alloc::collections::btree_map::BTreeMap;
			let mut held: BTreeMap<T::AccountId, u128> = BTreeMap::new();
			let queue = Queue::<T>::get();
			let mut open = 0usize;
			for (id, s) in SubAccounts::<T>::iter() {
				ensure!(id < NextSubAccountId::<T>::get(), "sub-account id beyond the counter");
				ensure!(s.work <= s.standard, "work beyond the standard");
				ensure!(s.paid <= s.escrow, "paid beyond escrow");
				if s.state == SubAccountState::Open {
					open += 1;
					ensure!(queue.contains(&id), "open sub-account not queued");
					let e = held.entry(s.buyer.clone()).or_default();
					*e = e.saturating_add(s.escrow.saturating_sub(s.paid));
				} else {
					ensure!(!queue.contains(&id), "closed sub-account queued");
					ensure!(s.escrow == s.paid, "closed sub-account still holds escrow");
				}
			}
			ensure!(queue.len() == open, "queue differs from the open sub-accounts");
			for (who, amount) in held {
				ensure!(
					T::Currency::balance_on_hold(&HoldReason::Escrow.into(), &who) == amount,
					"escrow hold differs from the open sub-accounts"
				);
			}
			let active = ActiveMiners::<T>::get();
			for id in active.iter() {
				let m = Miners::<T>::get(id).ok_or("unknown active miner")?;
				ensure!(m.state == MinerState::Active, "listed miner is not active");
			}
			let listed = Miners::<T>::iter().filter(|(_, m)| m.state == MinerState::Active).count();
			ensure!(listed == active.len(), "an active miner is not listed");
			Ok(())
		}
	}
}
