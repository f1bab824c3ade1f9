//! # Agreements: trusted transaction agreements with escrow
//!
//! The third of the five trusts. Every match of the order book creates an agreement: parties,
//! resource, quantity, unit price, start, length, service levels and the escrowed amount, which
//! stays held on the buyer's account (hold reason [`HoldReason::Escrow`]) until it is paid to
//! the provider or refunded.
//!
//! ## Ending an agreement
//! - **Completion**: after its last block anyone may call [`Pallet::complete`]; the provider is
//!   paid what is left of the escrow.
//! - **Early termination**: the buyer or the provider may call [`Pallet::terminate`] while it
//!   runs; the provider is paid pro rata for the blocks served (rounded down), the buyer gets
//!   the rest back.
//! - **Dispute**: either party may call [`Pallet::dispute`]; the escrow is frozen until the
//!   governance origin calls [`Pallet::resolve_dispute`] with the provider's share.
//!
//! ## Metered agreements
//! When [`Config::Metered`] is set (the runtime with billing), the provider is paid per
//! settlement period of [`Agreement::period`] blocks by the billing pallet, after the SLA check,
//! through [`Pallet::pay_provider`] and [`Pallet::refund_buyer`]; billing closes the agreement
//! when its last period is settled. `complete` is then refused; `terminate` refunds the unserved
//! part at once, moves the end to the current block and leaves the served periods to billing.
//!
//! ## Limitations
//! A party may take part in at most [`Config::MaxAgreementsPerAccount`] running agreements.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub mod runtime_api;
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

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use computility_primitives::NewAgreement;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{Inspect, InspectHold, Mutate, MutateHold},
			tokens::{Fortitude, Precision, Restriction},
		},
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::{
		traits::{One, SaturatedConversion, Saturating, Zero},
		Perbill,
	};

	/// Balance of the configured currency.
	pub type BalanceOf<T> =
		<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;
	/// An agreement of this runtime.
	pub type AgreementOf<T> =
		Agreement<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A buyer's escrow for a running agreement.
		Escrow,
	}

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;
		/// The currency escrow is held in.
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ InspectHold<Self::AccountId>
			+ Mutate<Self::AccountId, Balance = u128>;
		/// The runtime's hold reasons.
		type RuntimeHoldReason: From<HoldReason>;
		/// Resolves disputes.
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Blocks in an hour (lease lengths are in hours).
		#[pallet::constant]
		type BlocksPerHour: Get<BlockNumberFor<Self>>;
		/// Most running agreements one account may be party to.
		#[pallet::constant]
		type MaxAgreementsPerAccount: Get<u32>;
		/// Settlement period recorded in new agreements, in blocks.
		type PeriodBlocks: Get<BlockNumberFor<Self>>;
		/// Whether billing pays providers per period (see the pallet docs).
		#[pallet::constant]
		type Metered: Get<bool>;
		/// Told when an agreement ends.
		type OnEnded: computility_primitives::AgreementEnded<Self::AccountId>;
		/// Weights.
		type WeightInfo: WeightInfo;
	}

	/// All agreements, running and ended (the record).
	#[pallet::storage]
	pub type Agreements<T: Config> =
		StorageMap<_, Twox64Concat, AgreementId, AgreementOf<T>, OptionQuery>;

	/// The next agreement id.
	#[pallet::storage]
	pub type NextAgreementId<T> = StorageValue<_, AgreementId, ValueQuery>;

	/// Units of each resource under running (active or disputed) agreements that were not ended
	/// early; the order pallet never offers more of a resource than its quantity less these.
	#[pallet::storage]
	pub type LeasedUnits<T> = StorageMap<_, Twox64Concat, ResourceId, u32, OptionQuery>;

	/// Each account's running (active or disputed) agreements, as buyer or provider.
	#[pallet::storage]
	pub type AgreementsOf<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<AgreementId, T::MaxAgreementsPerAccount>,
		ValueQuery,
	>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A match created an agreement; its escrow is held from the buyer.
		Created {
			/// The agreement.
			id: AgreementId,
			/// Who pays.
			buyer: T::AccountId,
			/// Who serves.
			provider: T::AccountId,
			/// Units leased.
			quantity: u32,
			/// Unit price per hour.
			unit_price: BalanceOf<T>,
			/// Escrow held.
			escrow: BalanceOf<T>,
			/// Last block (exclusive).
			end: BlockNumberFor<T>,
		},
		/// The provider was paid from escrow.
		ProviderPaid {
			/// The agreement.
			id: AgreementId,
			/// Amount paid.
			amount: BalanceOf<T>,
		},
		/// The buyer was refunded from escrow.
		BuyerRefunded {
			/// The agreement.
			id: AgreementId,
			/// Amount refunded.
			amount: BalanceOf<T>,
		},
		/// The agreement ran to its end.
		Completed {
			/// The agreement.
			id: AgreementId,
		},
		/// A party ended the agreement early.
		Terminated {
			/// The agreement.
			id: AgreementId,
			/// Who ended it.
			by: Party,
		},
		/// A party disputed the agreement; its escrow is frozen.
		Disputed {
			/// The agreement.
			id: AgreementId,
			/// Who disputed.
			by: Party,
		},
		/// Governance resolved a dispute.
		DisputeResolved {
			/// The agreement.
			id: AgreementId,
			/// The provider's share of the remaining escrow.
			provider_share: Perbill,
		},
		/// Billing found the service levels broken.
		Breached {
			/// The agreement.
			id: AgreementId,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No agreement has this id.
		UnknownAgreement,
		/// Only the buyer or the provider may do this.
		NotParty,
		/// The agreement is not running.
		NotActive,
		/// The agreement is not disputed.
		NotDisputed,
		/// The agreement has not reached its end.
		NotEnded,
		/// The agreement has already ended: terminate is for running agreements.
		AlreadyEnded,
		/// A party has the most running agreements allowed.
		TooManyAgreements,
		/// The amount exceeds what is left of the escrow.
		ExceedsEscrow,
		/// The lease is empty (no units or no hours) or its end overflows.
		InvalidTerms,
		/// The buyer cannot pay the escrow.
		InsufficientBalance,
		/// The buyer and the provider are the same account.
		SelfDealing,
		/// Billing settles this agreement period by period; it closes the agreement itself.
		SettledByBilling,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(!T::BlocksPerHour::get().is_zero(), "an hour has blocks");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// End a running agreement early.
		///
		/// - `origin`: the buyer or the provider.
		/// - `id`: a running agreement that has not reached its end (use `complete` after).
		///
		/// The provider is paid pro rata for the blocks served, the buyer refunded the rest.
		/// Emits [`Event::ProviderPaid`], [`Event::BuyerRefunded`], [`Event::Terminated`].
		#[pallet::call_index(0)]
		pub fn terminate(origin: OriginFor<T>, id: AgreementId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let a = Agreements::<T>::get(id).ok_or(Error::<T>::UnknownAgreement)?;
			let by = Self::party(&a, &who)?;
			ensure!(a.state == AgreementState::Active, Error::<T>::NotActive);
			let now = frame_system::Pallet::<T>::block_number();
			ensure!(now < a.end && a.ended_early.is_none(), Error::<T>::AlreadyEnded);
			let earned = Self::earned(&a, now).ok_or(sp_runtime::ArithmeticError::Overflow)?;
			if T::Metered::get() {
				// The unserved part goes back now; billing settles the served periods.
				let refund = a.escrow.saturating_sub(earned).min(Self::remaining(&a));
				Self::refund_buyer(id, refund)?;
				let left = Agreements::<T>::try_mutate(id, |x| {
					let x = x.as_mut().ok_or(Error::<T>::UnknownAgreement)?;
					x.end = now;
					x.ended_early = Some(by);
					Ok::<_, DispatchError>(Self::remaining(x))
				})?;
				// Nothing more is served: the units are free for new asks at once.
				Self::release_units(&a);
				if left == 0 {
					Self::do_close(id, 0, AgreementState::Terminated)?;
				}
			} else {
				let to_provider = earned.saturating_sub(a.paid);
				Self::do_close(id, to_provider, AgreementState::Terminated)?;
			}
			Self::deposit_event(Event::Terminated { id, by });
			Ok(())
		}

		/// Settle an agreement that has reached its end: the provider is paid the rest of the
		/// escrow.
		///
		/// - `origin`: anyone (signed).
		/// - `id`: a running agreement whose end block has passed.
		///
		/// Emits [`Event::ProviderPaid`] and [`Event::Completed`].
		#[pallet::call_index(1)]
		pub fn complete(origin: OriginFor<T>, id: AgreementId) -> DispatchResult {
			ensure_signed(origin)?;
			let a = Agreements::<T>::get(id).ok_or(Error::<T>::UnknownAgreement)?;
			ensure!(a.state == AgreementState::Active, Error::<T>::NotActive);
			ensure!(!T::Metered::get(), Error::<T>::SettledByBilling);
			ensure!(frame_system::Pallet::<T>::block_number() >= a.end, Error::<T>::NotEnded);
			let rest = Self::remaining(&a);
			Self::do_close(id, rest, AgreementState::Completed)?;
			Self::deposit_event(Event::Completed { id });
			Ok(())
		}

		/// Dispute a running agreement: its escrow is frozen until governance decides.
		///
		/// - `origin`: the buyer or the provider.
		/// - `id`: a running agreement.
		///
		/// Emits [`Event::Disputed`].
		#[pallet::call_index(2)]
		pub fn dispute(origin: OriginFor<T>, id: AgreementId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Agreements::<T>::try_mutate(id, |a| {
				let a = a.as_mut().ok_or(Error::<T>::UnknownAgreement)?;
				let by = Self::party(a, &who)?;
				ensure!(a.state == AgreementState::Active, Error::<T>::NotActive);
				a.state = AgreementState::Disputed;
				Self::deposit_event(Event::Disputed { id, by });
				Ok(())
			})
		}

		/// Resolve a dispute: the provider gets `provider_share` of what is left of the escrow,
		/// the buyer the rest.
		///
		/// - `origin`: the governance origin.
		/// - `id`: a disputed agreement.
		///
		/// Emits [`Event::ProviderPaid`], [`Event::BuyerRefunded`], [`Event::DisputeResolved`].
		#[pallet::call_index(3)]
		pub fn resolve_dispute(
			origin: OriginFor<T>,
			id: AgreementId,
			provider_share: Perbill,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			let a = Agreements::<T>::get(id).ok_or(Error::<T>::UnknownAgreement)?;
			ensure!(a.state == AgreementState::Disputed, Error::<T>::NotDisputed);
			let to_provider = provider_share.mul_floor(Self::remaining(&a));
			Self::do_close(id, to_provider, AgreementState::Completed)?;
			Self::deposit_event(Event::DisputeResolved { id, provider_share });
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		fn party(a: &AgreementOf<T>, who: &T::AccountId) -> Result<Party, DispatchError> {
			if *who == a.buyer {
				Ok(Party::Buyer)
			} else if *who == a.provider {
				Ok(Party::Provider)
			} else {
				Err(Error::<T>::NotParty.into())
			}
		}

		/// Escrow not yet paid or refunded.
		pub fn remaining(a: &AgreementOf<T>) -> BalanceOf<T> {
			a.escrow.saturating_sub(a.paid).saturating_sub(a.refunded)
		}

		/// Pay `amount` of agreement `id`'s escrow to its provider (billing's settlement).
		pub fn pay_provider(id: AgreementId, amount: BalanceOf<T>) -> DispatchResult {
			Agreements::<T>::try_mutate(id, |a| {
				let a = a.as_mut().ok_or(Error::<T>::UnknownAgreement)?;
				ensure!(a.state.holds_escrow(), Error::<T>::NotActive);
				ensure!(amount <= Self::remaining(a), Error::<T>::ExceedsEscrow);
				if amount > 0 {
					T::Currency::transfer_on_hold(
						&HoldReason::Escrow.into(),
						&a.buyer,
						&a.provider,
						amount,
						Precision::Exact,
						Restriction::Free,
						Fortitude::Polite,
					)?;
					a.paid = a.paid.saturating_add(amount);
					Self::deposit_event(Event::ProviderPaid { id, amount });
				}
				Ok(())
			})
		}

		/// Refund `amount` of agreement `id`'s escrow to its buyer (billing's penalties).
		pub fn refund_buyer(id: AgreementId, amount: BalanceOf<T>) -> DispatchResult {
			Agreements::<T>::try_mutate(id, |a| {
				let a = a.as_mut().ok_or(Error::<T>::UnknownAgreement)?;
				ensure!(a.state.holds_escrow(), Error::<T>::NotActive);
				ensure!(amount <= Self::remaining(a), Error::<T>::ExceedsEscrow);
				if amount > 0 {
					T::Currency::release(
						&HoldReason::Escrow.into(),
						&a.buyer,
						amount,
						Precision::Exact,
					)?;
					a.refunded = a.refunded.saturating_add(amount);
					Self::deposit_event(Event::BuyerRefunded { id, amount });
				}
				Ok(())
			})
		}

		/// Blocks the lease was agreed for (hours × blocks per hour).
		pub fn planned_blocks(a: &AgreementOf<T>) -> u64 {
			let per_hour: u64 = T::BlocksPerHour::get().saturated_into();
			per_hour.saturating_mul(a.hours as u64)
		}

		/// The escrow earned by block `at`: pro rata over the agreed length (capped at it).
		pub fn earned(a: &AgreementOf<T>, at: BlockNumberFor<T>) -> Option<BalanceOf<T>> {
			let total = Self::planned_blocks(a);
			let served: u64 = at.saturating_sub(a.start).saturated_into();
			computility_market::escrow::pro_rata(a.escrow, served.min(total), total)
		}

		/// Benchmarks: lengthen `who`'s list of running agreements (with ids of no agreement) until
		/// only `room` places are left, so that a benchmark reads and writes lists of the worst
		/// size. Never used outside benchmarks (`try_state` would reject such lists).
		#[cfg(feature = "runtime-benchmarks")]
		pub fn crowd_for_benchmarks(who: &T::AccountId, room: u32) {
			AgreementsOf::<T>::mutate(who, |v| {
				let mut filler = AgreementId::MAX;
				while (v.len() as u32).saturating_add(room) < T::MaxAgreementsPerAccount::get()
					&& v.try_push(filler).is_ok()
				{
					filler = filler.saturating_sub(1);
				}
			});
		}

		/// The units of agreement `a` are no longer leased (it ended, or was ended early).
		fn release_units(a: &AgreementOf<T>) {
			LeasedUnits::<T>::mutate_exists(a.resource, |u| {
				*u = u.map(|u| u.saturating_sub(a.quantity)).filter(|u| *u > 0)
			});
		}

		/// Pay `to_provider` and refund the rest, then end the agreement in `state`.
		pub fn do_close(
			id: AgreementId,
			to_provider: BalanceOf<T>,
			state: AgreementState,
		) -> DispatchResult {
			let a = Agreements::<T>::get(id).ok_or(Error::<T>::UnknownAgreement)?;
			let rest = Self::remaining(&a);
			let to_provider = to_provider.min(rest);
			Self::pay_provider(id, to_provider)?;
			Self::refund_buyer(id, rest.saturating_sub(to_provider))?;
			Agreements::<T>::mutate(id, |a| {
				if let Some(a) = a {
					a.state = state;
				}
			});
			for who in [&a.buyer, &a.provider] {
				AgreementsOf::<T>::mutate(who, |v| v.retain(|x| *x != id));
			}
			if a.state.holds_escrow() && a.ended_early.is_none() {
				Self::release_units(&a);
			}
			let now = frame_system::Pallet::<T>::block_number();
			let served: u64 = now.min(a.end).saturating_sub(a.start).saturated_into();
			let completed = state == AgreementState::Completed && a.ended_early.is_none();
			<T::OnEnded as computility_primitives::AgreementEnded<T::AccountId>>::ended(
				id,
				&a.provider,
				completed,
				served,
				Self::planned_blocks(&a),
			);
			if state == AgreementState::Breached {
				Self::deposit_event(Event::Breached { id });
			}
			Ok(())
		}

		/// Create an agreement and hold its escrow (the order pallet's matches).
		pub fn do_create(
			t: NewAgreement<T::AccountId, BalanceOf<T>>,
		) -> Result<AgreementId, DispatchError> {
			ensure!(t.buyer != t.provider, Error::<T>::SelfDealing);
			ensure!(t.quantity > 0 && t.hours > 0, Error::<T>::InvalidTerms);
			let start = frame_system::Pallet::<T>::block_number();
			let length = T::BlocksPerHour::get()
				.checked_mul(&t.hours.into())
				.ok_or(Error::<T>::InvalidTerms)?;
			let end = start.checked_add(&length).ok_or(Error::<T>::InvalidTerms)?;
			let id = NextAgreementId::<T>::get();
			let mut buyer_list = AgreementsOf::<T>::get(&t.buyer);
			let mut provider_list = AgreementsOf::<T>::get(&t.provider);
			buyer_list.try_push(id).map_err(|_| Error::<T>::TooManyAgreements)?;
			provider_list.try_push(id).map_err(|_| Error::<T>::TooManyAgreements)?;
			T::Currency::hold(&HoldReason::Escrow.into(), &t.buyer, t.escrow)
				.map_err(|_| Error::<T>::InsufficientBalance)?;
			NextAgreementId::<T>::put(id.saturating_add(1));
			AgreementsOf::<T>::insert(&t.buyer, buyer_list);
			AgreementsOf::<T>::insert(&t.provider, provider_list);
			LeasedUnits::<T>::mutate(t.resource, |u| {
				*u = Some(u.unwrap_or(0).saturating_add(t.quantity))
			});
			Agreements::<T>::insert(
				id,
				Agreement {
					buyer: t.buyer.clone(),
					provider: t.provider.clone(),
					ask: t.ask,
					bid: t.bid,
					resource: t.resource,
					quantity: t.quantity,
					unit_price: t.unit_price,
					hours: t.hours,
					start,
					end,
					sla: t.sla,
					task_hash: t.task_hash,
					escrow: t.escrow,
					paid: 0,
					refunded: 0,
					state: AgreementState::Active,
					period: T::PeriodBlocks::get().max(One::one()),
					ended_early: None,
				},
			);
			Self::deposit_event(Event::Created {
				id,
				buyer: t.buyer,
				provider: t.provider,
				quantity: t.quantity,
				unit_price: t.unit_price,
				escrow: t.escrow,
				end,
			});
			Ok(id)
		}

		/// Invariants: every buyer's escrow hold equals what its running agreements have left;
		/// the per-account lists hold exactly the running agreements; amounts never exceed escrow.
		#[cfg(any(feature = "try-runtime", feature = "std", test))]
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			use alloc::collections::btree_map::BTreeMap;
			let mut owed: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
			let mut running = 0usize;
			let mut leased: BTreeMap<ResourceId, u32> = BTreeMap::new();
			for (id, a) in Agreements::<T>::iter() {
				ensure!(id < NextAgreementId::<T>::get(), "agreement id beyond the counter");
				ensure!(
					a.paid.saturating_add(a.refunded) <= a.escrow,
					"paid out more than escrowed"
				);
				let listed_b = AgreementsOf::<T>::get(&a.buyer).contains(&id);
				let listed_p = AgreementsOf::<T>::get(&a.provider).contains(&id);
				if a.state.holds_escrow() {
					running += 1;
					ensure!(listed_b && listed_p, "running agreement missing from a party's list");
					if a.ended_early.is_none() {
						let u = leased.entry(a.resource).or_default();
						*u = u.saturating_add(a.quantity);
					}
					let e = owed.entry(a.buyer.clone()).or_default();
					*e = e.saturating_add(Self::remaining(&a));
				} else {
					ensure!(!listed_b && !listed_p, "ended agreement still listed");
					ensure!(Self::remaining(&a) == 0, "ended agreement still holds escrow");
				}
			}
			ensure!(
				LeasedUnits::<T>::iter().collect::<BTreeMap<_, _>>() == leased,
				"leased units differ from the running agreements"
			);
			let listed: usize = AgreementsOf::<T>::iter().map(|(_, v)| v.len()).sum();
			ensure!(listed == 2 * running, "stale entries in the per-account lists");
			for (who, amount) in owed {
				ensure!(
					T::Currency::balance_on_hold(&HoldReason::Escrow.into(), &who) == amount,
					"escrow hold differs from the running agreements"
				);
			}
			Ok(())
		}
	}
}

impl<T: Config> computility_primitives::AgreementFactory<T::AccountId, BalanceOf<T>> for Pallet<T> {
	fn create(
		terms: computility_primitives::NewAgreement<T::AccountId, BalanceOf<T>>,
	) -> Result<AgreementId, sp_runtime::DispatchError> {
		Self::do_create(terms)
	}

	fn leased(resource: ResourceId) -> u32 {
		LeasedUnits::<T>::get(resource).unwrap_or(0)
	}

	fn has_room(who: &T::AccountId) -> bool {
		(AgreementsOf::<T>::decode_len(who).unwrap_or(0) as u32)
			< <T::MaxAgreementsPerAccount as frame_support::traits::Get<u32>>::get()
	}
}
