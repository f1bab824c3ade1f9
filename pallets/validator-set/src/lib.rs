//! # Validator set
//!
//! The consortium's block authors. Aura and GRANDPA take their authorities from `pallet-session`;
//! this pallet is the session's [`SessionManager`]: it keeps the list of validator accounts that the
//! governance origin (the consortium council, or sudo on a `dev` chain) has admitted, and hands the
//! list to the session pallet when a session is planned.
//!
//! ## Rules
//! - Only [`Config::GovernanceOrigin`] adds or removes validators.
//! - A validator is admitted only once its session keys are registered (`session.setKeys`), so the
//!   new set never contains an author that cannot author.
//! - The set never falls below [`Config::MinValidators`] and never exceeds
//!   [`Config::MaxValidators`].
//! - A change is queued at the end of the current session and takes effect at the session after,
//!   the usual `pallet-session` pipeline: authors learn their slot one session ahead.
//!
//! ## Limitations
//! No slashing or automatic removal of offline validators: the consortium decides by vote.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub mod weights;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

use alloc::vec::Vec;
use sp_staking::SessionIndex;

/// Benchmark support: the runtime registers session keys for a fresh account.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Make `who` pass `ValidatorRegistration::is_registered`.
	fn register_session_keys(who: &AccountId);
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{pallet_prelude::*, traits::ValidatorRegistration};
	use frame_system::pallet_prelude::*;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;
		/// The origin that admits and removes validators (the consortium's governance origin).
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Tells whether an account has registered session keys.
		type ValidatorRegistration: ValidatorRegistration<Self::AccountId>;
		/// Fewest validators the set may hold.
		#[pallet::constant]
		type MinValidators: Get<u32>;
		/// Most validators the set may hold.
		#[pallet::constant]
		type MaxValidators: Get<u32>;
		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;
		/// Sets up session keys for benchmark accounts.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// The admitted validators, in admission order. This is the set the next planned session gets.
	#[pallet::storage]
	pub type Validators<T: Config> =
		StorageValue<_, BoundedVec<T::AccountId, T::MaxValidators>, ValueQuery>;

	/// Whether [`Validators`] changed since the session pallet last took it.
	#[pallet::storage]
	pub type SetChanged<T: Config> = StorageValue<_, bool, ValueQuery>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The validators at genesis.
		pub validators: Vec<T::AccountId>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			let mut set: Vec<T::AccountId> = Vec::new();
			for v in &self.validators {
				assert!(!set.contains(v), "duplicate genesis validator");
				set.push(v.clone());
			}
			// An empty list is the default genesis (tools build it); a real one meets the minimum.
			assert!(
				set.is_empty() || set.len() as u32 >= T::MinValidators::get(),
				"fewer genesis validators than MinValidators"
			);
			let bounded: BoundedVec<_, T::MaxValidators> =
				set.try_into().expect("more genesis validators than MaxValidators");
			Validators::<T>::put(bounded);
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A validator was admitted; it starts authoring after the next session change.
		ValidatorAdded {
			/// The admitted account.
			who: T::AccountId,
		},
		/// A validator was removed; it stops authoring after the next session change.
		ValidatorRemoved {
			/// The removed account.
			who: T::AccountId,
		},
		/// The changed set was handed to the session pallet for the given session.
		NewSetPlanned {
			/// The session the set becomes active in.
			session: SessionIndex,
			/// How many validators the set holds.
			count: u32,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The account is already a validator.
		AlreadyValidator,
		/// The account is not a validator.
		NotValidator,
		/// The account has not registered session keys (`session.setKeys`).
		NoSessionKeys,
		/// The set would exceed `MaxValidators`.
		TooManyValidators,
		/// The set would fall below `MinValidators`.
		TooFewValidators,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MinValidators::get() >= 1, "a chain needs at least one validator");
			assert!(T::MinValidators::get() <= T::MaxValidators::get(), "min above max");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Admit a validator.
		///
		/// - `origin`: the governance origin.
		/// - `who`: an account that has registered its session keys.
		///
		/// Emits [`Event::ValidatorAdded`]. The account starts authoring after the next session
		/// change.
		#[pallet::call_index(0)]
		pub fn add_validator(origin: OriginFor<T>, who: T::AccountId) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_add_validator(who)
		}

		/// Remove a validator.
		///
		/// - `origin`: the governance origin.
		/// - `who`: a current validator.
		///
		/// Emits [`Event::ValidatorRemoved`]. Fails if the set would fall below `MinValidators`.
		#[pallet::call_index(1)]
		pub fn remove_validator(origin: OriginFor<T>, who: T::AccountId) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_remove_validator(who)
		}
	}

	impl<T: Config> Pallet<T> {
		/// Admit `who`; checks everything before writing.
		pub fn do_add_validator(who: T::AccountId) -> DispatchResult {
			let mut set = Validators::<T>::get();
			ensure!(!set.contains(&who), Error::<T>::AlreadyValidator);
			ensure!(T::ValidatorRegistration::is_registered(&who), Error::<T>::NoSessionKeys);
			set.try_push(who.clone()).map_err(|_| Error::<T>::TooManyValidators)?;
			Validators::<T>::put(set);
			SetChanged::<T>::put(true);
			Self::deposit_event(Event::ValidatorAdded { who });
			Ok(())
		}

		/// Remove `who`; checks everything before writing.
		pub fn do_remove_validator(who: T::AccountId) -> DispatchResult {
			let mut set = Validators::<T>::get();
			let pos = set.iter().position(|v| v == &who).ok_or(Error::<T>::NotValidator)?;
			ensure!(
				(set.len() as u32).saturating_sub(1) >= T::MinValidators::get(),
				Error::<T>::TooFewValidators
			);
			set.remove(pos);
			Validators::<T>::put(set);
			SetChanged::<T>::put(true);
			Self::deposit_event(Event::ValidatorRemoved { who });
			Ok(())
		}

		/// Invariants: the set is within its bounds and holds no duplicates.
		#[cfg(any(feature = "try-runtime", feature = "std", test))]
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			let set = Validators::<T>::get();
			ensure!(
				set.is_empty() || set.len() as u32 >= T::MinValidators::get(),
				"validator set below minimum"
			);
			for (i, v) in set.iter().enumerate() {
				ensure!(!set.iter().skip(i + 1).any(|w| w == v), "duplicate validator");
			}
			Ok(())
		}
	}
}

impl<T: Config> pallet_session::SessionManager<T::AccountId> for Pallet<T> {
	fn new_session(new_index: SessionIndex) -> Option<Vec<T::AccountId>> {
		if !SetChanged::<T>::take() {
			return None;
		}
		let set = Validators::<T>::get().into_inner();
		Self::deposit_event(Event::NewSetPlanned { session: new_index, count: set.len() as u32 });
		Some(set)
	}

	fn new_session_genesis(_new_index: SessionIndex) -> Option<Vec<T::AccountId>> {
		Some(Validators::<T>::get().into_inner())
	}

	fn end_session(_end_index: SessionIndex) {}

	fn start_session(_start_index: SessionIndex) {}
}
