//! # Commission: trusted share of commission
//!
//! The fifth of the five trusts. Every settled bill's pay is split between the provider, the
//! platform, the hubs of both sides, the reseller that brought the buyer and a contribution
//! reward pool, at [`Rates`] set by the governance origin ([`Pallet::set_rates`]). The lines
//! leave the provider's account in one transfer to the commission pot (an account of this
//! pallet) and are owed from there: to hubs and resellers as [`Claimable`] balances they
//! [`Pallet::claim`], to the platform as [`PlatformBalance`] that governance withdraws, to the
//! current era's reward [`Pool`].
//!
//! ## Reward pool and contribution score (CN117579629, claim 8)
//! At the end of each era ([`EraBlocks`] blocks) the pool is shared among the providers paid in
//! the era by the softmax of their contribution scores
//! `score_j = (1 + W_rc) × [Σ_i W_ra_i × R_a_i + W_rt × Σ_i W_rq_i × R_q_i]`, where `R_a_i` are
//! the units of each kind delivered in settled periods, `R_q` the mean measured availability
//! and the share of periods that met the SLA, `W_rc` and `W_rt` come from the provider's last
//! five agreements (completion rate; share of agreed time served). Weights are set by
//! governance ([`Pallet::set_score_weights`]); all arithmetic is fixed point
//! ([`computility_market::score`]). The last score of each provider is its matching priority on
//! ties ([`computility_primitives::ContributionScores`]).
//!
//! ## Money
//! The pot's balance is always at least its existential deposit plus everything owed from it
//! (claimable, platform, pool); anything beyond (a donation) joins the pool at the era's end.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
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

/// Registers participants for the benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Make `who` an approved, active participant with `role`.
	fn member(who: &AccountId, role: computility_primitives::Role);
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use computility_market::score;
	use computility_primitives::{
		CommissionLines, ContributionScores, Earning, IdentityRegistry, Role,
	};
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{Inspect, Mutate},
			tokens::Preservation,
		},
		PalletId,
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::traits::{AccountIdConversion, Saturating, Zero};

	/// Balance (u128) of the configured currency.
	pub type BalanceOf<T> =
		<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;
		/// The currency commission is paid in.
		type Currency: Mutate<Self::AccountId, Balance = u128>;
		/// Hubs, roles and standing of participants.
		type Identity: IdentityRegistry<Self::AccountId>;
		/// Sets rates and weights, withdraws the platform's share.
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Derives the pot account.
		#[pallet::constant]
		type PalletId: Get<PalletId>;
		/// Most providers sharing one era's pool (later ones in the era still pay commission
		/// but do not share that era's pool).
		#[pallet::constant]
		type MaxEraProviders: Get<u32>;
		/// Weights.
		type WeightInfo: WeightInfo;
		/// Benchmark set-up.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// The commission rates.
	#[pallet::storage]
	pub type Rates<T> = StorageValue<_, CommissionRates, ValueQuery>;

	/// The contribution-score weights.
	#[pallet::storage]
	pub type Weights<T> = StorageValue<_, ScoreWeights, ValueQuery>;

	/// Length of a reward era in blocks.
	#[pallet::storage]
	pub type EraBlocks<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	/// The current era.
	#[pallet::storage]
	pub type CurrentEra<T: Config> = StorageValue<_, EraInfo<BlockNumberFor<T>>, ValueQuery>;

	/// The reward pool of the current era (held in the pot).
	#[pallet::storage]
	pub type Pool<T> = StorageValue<_, u128, ValueQuery>;

	/// The platform's share, held in the pot until governance withdraws it.
	#[pallet::storage]
	pub type PlatformBalance<T> = StorageValue<_, u128, ValueQuery>;

	/// What each hub, reseller and rewarded provider may claim from the pot.
	#[pallet::storage]
	pub type Claimable<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, u128, ValueQuery>;

	/// Sum of [`Claimable`].
	#[pallet::storage]
	pub type TotalClaimable<T> = StorageValue<_, u128, ValueQuery>;

	/// The reseller each buyer names as having brought it.
	#[pallet::storage]
	pub type Referrals<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, T::AccountId, OptionQuery>;

	/// Providers paid in the current era (who share its pool).
	#[pallet::storage]
	pub type EraProviders<T: Config> =
		StorageValue<_, BoundedVec<T::AccountId, T::MaxEraProviders>, ValueQuery>;

	/// What each provider of [`EraProviders`] delivered in the current era.
	#[pallet::storage]
	pub type Stats<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, EraStats, OptionQuery>;

	/// Each provider's last five agreements.
	#[pallet::storage]
	pub type History<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<PastTask, ConstU32<5>>,
		ValueQuery,
	>;

	/// Each provider's score at the end of the last era it was paid in (fixed point, six
	/// decimals): its matching priority.
	#[pallet::storage]
	pub type Scores<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, i64, ValueQuery>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Initial rates.
		pub rates: CommissionRates,
		/// Initial score weights.
		pub weights: ScoreWeights,
		/// Era length in blocks (0: one day of 6-second blocks).
		pub era_blocks: u32,
		#[serde(skip)]
		pub _phantom: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			assert!(
				computility_market::settlement::Rates::from(self.rates).is_valid(),
				"commission rates above 100 %"
			);
			assert!(self.weights.is_valid(), "score weights out of range");
			Rates::<T>::put(self.rates);
			Weights::<T>::put(self.weights);
			let era = if self.era_blocks == 0 { 14_400 } else { self.era_blocks };
			EraBlocks::<T>::put(BlockNumberFor::<T>::from(era));
			// The pot exists from genesis, so any line, however small, can be paid into it.
			let pot = Pallet::<T>::pot();
			if T::Currency::balance(&pot).is_zero() {
				let _ = T::Currency::mint_into(&pot, T::Currency::minimum_balance());
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// Commission was charged on a provider's pay.
		Charged {
			/// The provider.
			provider: T::AccountId,
			/// Its pay before commission.
			pay: BalanceOf<T>,
			/// Moved to the pot (platform, hubs, reseller, pool).
			commission: BalanceOf<T>,
		},
		/// An era ended and its pool was shared by contribution score.
		EraClosed {
			/// The era.
			era: u32,
			/// Shared.
			pool: BalanceOf<T>,
			/// Providers it was shared among.
			providers: u32,
		},
		/// A provider's share of an era's pool.
		Rewarded {
			/// The provider.
			provider: T::AccountId,
			/// Its contribution score (fixed point, six decimals).
			score: i64,
			/// Its share, now claimable.
			amount: BalanceOf<T>,
		},
		/// Someone claimed what was owed to it.
		Claimed {
			/// Who.
			who: T::AccountId,
			/// Paid out.
			amount: BalanceOf<T>,
		},
		/// Governance withdrew platform commission.
		PlatformWithdrawn {
			/// Paid to.
			dest: T::AccountId,
			/// Amount.
			amount: BalanceOf<T>,
		},
		/// Governance set the commission rates.
		RatesSet {
			/// The new rates.
			rates: CommissionRates,
		},
		/// Governance set the contribution-score weights.
		WeightsSet {
			/// The new weights.
			weights: ScoreWeights,
		},
		/// Governance set the era length.
		EraBlocksSet {
			/// Blocks per era.
			blocks: BlockNumberFor<T>,
		},
		/// A buyer named (or cleared) the reseller that brought it.
		ResellerSet {
			/// The buyer.
			buyer: T::AccountId,
			/// The reseller, if any.
			reseller: Option<T::AccountId>,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The rates add up to more than 100 %.
		InvalidRates,
		/// A score weight is beyond ±1000.0.
		WeightOutOfRange,
		/// An era must last at least one block.
		ZeroEra,
		/// Nothing is owed to this account.
		NothingToClaim,
		/// The platform balance is smaller than the amount.
		InsufficientPlatformBalance,
		/// The amount would not create the destination account (below the existential deposit).
		BelowMinimum,
		/// The named account is not an active reseller.
		NotReseller,
		/// A buyer cannot name itself.
		SelfReferral,
		/// The account is not an active participant.
		NotParticipant,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(n: BlockNumberFor<T>) -> Weight {
			let era = CurrentEra::<T>::get();
			let len = EraBlocks::<T>::get().max(1u32.into());
			if n.saturating_sub(era.start) < len {
				return T::DbWeight::get().reads(2);
			}
			let providers = EraProviders::<T>::decode_len().unwrap_or(0) as u32;
			Self::close_era(n);
			T::WeightInfo::close_era(providers)
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Set the commission rates (apply to bills settled from now on).
		///
		/// - `origin`: the governance origin.
		/// - `rates`: parts per million of the provider's pay, at most 100 % together.
		///
		/// Emits [`Event::RatesSet`].
		#[pallet::call_index(0)]
		pub fn set_rates(origin: OriginFor<T>, rates: CommissionRates) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			ensure!(
				computility_market::settlement::Rates::from(rates).is_valid(),
				Error::<T>::InvalidRates
			);
			Rates::<T>::put(rates);
			Self::deposit_event(Event::RatesSet { rates });
			Ok(())
		}

		/// Set the contribution-score weights (apply from the current era's close).
		///
		/// - `origin`: the governance origin.
		/// - `weights`: each within ±1000.0 (fixed point, six decimals).
		///
		/// Emits [`Event::WeightsSet`].
		#[pallet::call_index(1)]
		pub fn set_score_weights(origin: OriginFor<T>, weights: ScoreWeights) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			ensure!(weights.is_valid(), Error::<T>::WeightOutOfRange);
			Weights::<T>::put(weights);
			Self::deposit_event(Event::WeightsSet { weights });
			Ok(())
		}

		/// Name (or with `None` clear) the reseller that brought the caller: it earns the
		/// reseller line of every bill the caller pays.
		///
		/// - `origin`: an active participant (the buyer).
		/// - `reseller`: an active participant with the reseller role, not the caller.
		///
		/// Emits [`Event::ResellerSet`].
		#[pallet::call_index(2)]
		pub fn set_reseller(
			origin: OriginFor<T>,
			reseller: Option<T::AccountId>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(T::Identity::is_active(&who), Error::<T>::NotParticipant);
			match &reseller {
				Some(r) => {
					ensure!(*r != who, Error::<T>::SelfReferral);
					ensure!(
						T::Identity::is_active_with_role(r, Role::Reseller),
						Error::<T>::NotReseller
					);
					Referrals::<T>::insert(&who, r);
				},
				None => Referrals::<T>::remove(&who),
			}
			Self::deposit_event(Event::ResellerSet { buyer: who, reseller });
			Ok(())
		}

		/// Withdraw everything owed to the caller (hub and reseller lines, pool rewards).
		///
		/// - `origin`: an account with a claimable balance.
		///
		/// Emits [`Event::Claimed`].
		#[pallet::call_index(3)]
		pub fn claim(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let amount = Claimable::<T>::get(&who);
			ensure!(amount > 0, Error::<T>::NothingToClaim);
			Self::pay_out(&who, amount)?;
			Claimable::<T>::remove(&who);
			TotalClaimable::<T>::mutate(|t| *t = t.saturating_sub(amount));
			Self::deposit_event(Event::Claimed { who, amount });
			Ok(())
		}

		/// Withdraw platform commission to `dest`.
		///
		/// - `origin`: the governance origin.
		/// - `amount`: at most the platform balance.
		///
		/// Emits [`Event::PlatformWithdrawn`].
		#[pallet::call_index(4)]
		pub fn withdraw_platform(
			origin: OriginFor<T>,
			dest: T::AccountId,
			amount: BalanceOf<T>,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			let have = PlatformBalance::<T>::get();
			ensure!(amount > 0 && amount <= have, Error::<T>::InsufficientPlatformBalance);
			Self::pay_out(&dest, amount)?;
			PlatformBalance::<T>::put(have.saturating_sub(amount));
			Self::deposit_event(Event::PlatformWithdrawn { dest, amount });
			Ok(())
		}

		/// Set the era length (the current era ends once it is this long).
		///
		/// - `origin`: the governance origin.
		/// - `blocks`: at least 1.
		///
		/// Emits [`Event::EraBlocksSet`].
		#[pallet::call_index(5)]
		pub fn set_era_blocks(origin: OriginFor<T>, blocks: BlockNumberFor<T>) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			ensure!(!blocks.is_zero(), Error::<T>::ZeroEra);
			EraBlocks::<T>::put(blocks);
			Self::deposit_event(Event::EraBlocksSet { blocks });
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// The pot: holds every line until it is claimed, withdrawn or shared.
		pub fn pot() -> T::AccountId {
			T::PalletId::get().into_account_truncating()
		}

		fn pay_out(dest: &T::AccountId, amount: u128) -> DispatchResult {
			ensure!(
				amount >= T::Currency::minimum_balance() || !T::Currency::balance(dest).is_zero(),
				Error::<T>::BelowMinimum
			);
			T::Currency::transfer(&Self::pot(), dest, amount, Preservation::Preserve)?;
			Ok(())
		}

		/// What the pot owes (claimable, platform, pool).
		pub fn owed() -> u128 {
			TotalClaimable::<T>::get()
				.saturating_add(PlatformBalance::<T>::get())
				.saturating_add(Pool::<T>::get())
		}

		fn credit(who: &T::AccountId, amount: u128) {
			if amount > 0 {
				Claimable::<T>::mutate(who, |c| *c = c.saturating_add(amount));
				TotalClaimable::<T>::mutate(|t| *t = t.saturating_add(amount));
			}
		}

		/// The contribution score of a provider from its era record and task history.
		pub fn score_of(stats: &EraStats, history: &[PastTask], w: &ScoreWeights) -> i64 {
			let last: Vec<score::TaskRecord> = history.iter().map(|t| (*t).into()).collect();
			score::score(&stats.resources(w), &stats.quality(w), &last)
				.map(|s| s.clamp(i64::MIN as i128, i64::MAX as i128) as i64)
				.unwrap_or(0)
		}

		/// Share the pool (with any surplus in the pot) among the era's providers by softmax
		/// of their scores, and start the next era at `now`.
		pub(crate) fn close_era(now: BlockNumberFor<T>) {
			let era = CurrentEra::<T>::get();
			let surplus = T::Currency::balance(&Self::pot())
				.saturating_sub(T::Currency::minimum_balance())
				.saturating_sub(Self::owed());
			let pool = Pool::<T>::get().saturating_add(surplus);
			let providers = EraProviders::<T>::take();
			let w = Weights::<T>::get();
			let scores: Vec<i64> = providers
				.iter()
				.map(|p| {
					let stats = Stats::<T>::take(p).unwrap_or_default();
					let s = Self::score_of(&stats, &History::<T>::get(p), &w);
					Scores::<T>::insert(p, s);
					s
				})
				.collect();
			let fixed: Vec<score::Fixed> = scores.iter().map(|s| *s as score::Fixed).collect();
			let shares = score::softmax_shares(pool, &fixed);
			let mut shared = 0u128;
			for ((p, s), amount) in providers.iter().zip(scores.iter()).zip(shares.iter()) {
				Self::credit(p, *amount);
				shared = shared.saturating_add(*amount);
				Self::deposit_event(Event::Rewarded {
					provider: p.clone(),
					score: *s,
					amount: *amount,
				});
			}
			Pool::<T>::put(pool.saturating_sub(shared));
			CurrentEra::<T>::put(EraInfo { index: era.index.saturating_add(1), start: now });
			Self::deposit_event(Event::EraClosed {
				era: era.index,
				pool: shared,
				providers: providers.len() as u32,
			});
		}

		fn record(e: &Earning<T::AccountId, u128>) {
			let mut stats = match Stats::<T>::get(&e.provider) {
				Some(s) => s,
				None => {
					if EraProviders::<T>::try_mutate(|v| v.try_push(e.provider.clone())).is_err() {
						return;
					}
					EraStats::default()
				},
			};
			let k = kind_index(e.kind);
			stats.units[k] = stats.units[k].saturating_add(e.quantity as u64);
			stats.periods = stats.periods.saturating_add(1);
			stats.availability_sum =
				stats.availability_sum.saturating_add(e.availability_permille.min(1000) as u64);
			stats.met = stats.met.saturating_add(e.met as u32);
			Stats::<T>::insert(&e.provider, stats);
		}

		/// Invariants: the pot holds at least its existential deposit plus everything it owes;
		/// [`TotalClaimable`] is the sum of [`Claimable`]; the era's providers are distinct and
		/// exactly those with a record.
		#[cfg(any(feature = "try-runtime", feature = "std", test))]
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			let claimable: u128 = Claimable::<T>::iter_values().sum();
			ensure!(claimable == TotalClaimable::<T>::get(), "claimable total out of step");
			ensure!(
				T::Currency::balance(&Self::pot())
					>= T::Currency::minimum_balance().saturating_add(Self::owed()),
				"the pot holds less than it owes"
			);
			let providers = EraProviders::<T>::get();
			let mut sorted: Vec<_> = providers.iter().cloned().collect();
			sorted.sort();
			sorted.dedup();
			ensure!(sorted.len() == providers.len(), "a provider is listed twice in the era");
			ensure!(Stats::<T>::iter_keys().count() == providers.len(), "era records out of step");
			for p in providers.iter() {
				ensure!(Stats::<T>::contains_key(p), "an era provider has no record");
			}
			ensure!(
				computility_market::settlement::Rates::from(Rates::<T>::get()).is_valid(),
				"rates above 100 %"
			);
			Ok(())
		}
	}

	impl<T: Config> computility_primitives::Commission<T::AccountId, u128> for Pallet<T> {
		fn charge(
			e: &Earning<T::AccountId, u128>,
		) -> Result<CommissionLines<T::AccountId, u128>, DispatchError> {
			let mut rates = Rates::<T>::get();
			let provider_hub = T::Identity::hub_of(&e.provider);
			let buyer_hub = T::Identity::hub_of(&e.buyer);
			let reseller = Referrals::<T>::get(&e.buyer)
				.filter(|r| T::Identity::is_active_with_role(r, Role::Reseller));
			// A line without a recipient stays with the provider.
			if provider_hub.is_none() {
				rates.provider_hub_ppm = 0;
			}
			if buyer_hub.is_none() {
				rates.buyer_hub_ppm = 0;
			}
			let split =
				computility_market::settlement::split(e.pay, &rates.into(), reseller.is_some())
					.ok_or(Error::<T>::InvalidRates)?;
			let commission = e.pay.saturating_sub(split.provider);
			if commission > 0 {
				T::Currency::transfer(
					&e.provider,
					&Self::pot(),
					commission,
					Preservation::Expendable,
				)?;
			}
			PlatformBalance::<T>::mutate(|b| *b = b.saturating_add(split.platform));
			Pool::<T>::mutate(|b| *b = b.saturating_add(split.reward_pool));
			let line = |who: Option<T::AccountId>, amount: u128| {
				who.map(|w| {
					Self::credit(&w, amount);
					(w, amount)
				})
			};
			let lines = CommissionLines {
				provider: split.provider,
				platform: split.platform,
				provider_hub: line(provider_hub, split.provider_hub),
				buyer_hub: line(buyer_hub, split.buyer_hub),
				reseller: line(reseller, split.reseller),
				reward_pool: split.reward_pool,
			};
			Self::record(e);
			Self::deposit_event(Event::Charged {
				provider: e.provider.clone(),
				pay: e.pay,
				commission,
			});
			Ok(lines)
		}
	}

	impl<T: Config> computility_primitives::AgreementEnded<T::AccountId> for Pallet<T> {
		fn ended(
			_id: computility_primitives::AgreementId,
			provider: &T::AccountId,
			completed: bool,
			served: u64,
			planned: u64,
		) {
			History::<T>::mutate(provider, |h| {
				if h.is_full() {
					h.remove(0);
				}
				let _ = h.try_push(PastTask { completed, served, planned });
			});
		}
	}

	impl<T: Config> ContributionScores<T::AccountId> for Pallet<T> {
		fn score(provider: &T::AccountId) -> i64 {
			Scores::<T>::get(provider)
		}
	}
}
