//! # Order book: trusted transaction order
//!
//! The second of the five trusts. Providers post **asks** for capacity of a registered resource
//! (quantity, unit price per hour, shortest and longest lease, task kinds, expiry); buyers post
//! **bids** (kind, quantity, least performance, region, highest unit price, lease length, task,
//! service levels, priority, expiry). The live asks are the *rental panorama table*.
//!
//! A bid is matched **on arrival** against the asks that satisfy it, best first by its priority
//! (ties to the higher contribution score, then the older ask), with partial fills across as
//! many providers as needed; the rule is [`computility_market::matching`]. Each fill creates an
//! agreement (through [`computility_primitives::AgreementFactory`]) whose escrow comes out of
//! the bid's held funds; the ask's matched capacity is frozen at once. What is left of the bid
//! rests in the book, its funds held, until it expires, is cancelled, or is matched again
//! ([`Pallet::rematch_bid`], or when its price is raised).
//!
//! ## Cost does not grow with the book
//! Asks are indexed per resource kind in price order and in performance order (storage keys
//! that sort as the order does). Matching reads at most [`Config::MaxScan`] index entries from
//! the front of one index and makes at most [`Config::MaxFills`] fills; the weights are
//! benchmarked at those bounds, whatever the depth of the book.
//!
//! ## Money
//! A bid holds `max unit price × quantity × hours` (hold reason [`HoldReason::Bid`]). A fill
//! releases `max price × units × hours` of it: the ask's price share goes into the agreement's
//! escrow, the difference goes back to the buyer. `try_state` checks that every account's bid
//! hold equals what its open bids record.
//!
//! ## Limitations
//! - An ask arriving does not match resting bids; buyers re-run matching with `rematch_bid`.
//! - Asks past the scan bound are not seen by a match; deep books of unsuitable asks at the
//!   front of the index can hide suitable ones further back.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub mod runtime_api;

/// The deepest book the matching benchmark measures; the cost does not depend on depth, and the
/// weight charged is the one measured here.
pub const MAX_BENCHED_DEPTH: u32 = 10_000;
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

/// Benchmark support: the runtime makes approved providers (with a resource) and buyers.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Make `who` an approved provider with a resource of `kind` (performance `performance`,
	/// `quantity` units, region `CN-GD`); returns the resource.
	fn provider(
		who: &AccountId,
		kind: computility_primitives::ResourceKind,
		quantity: u32,
		performance: u32,
	) -> computility_primitives::ResourceId;
	/// Make `who` an approved buyer.
	fn buyer(who: &AccountId);
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use computility_market::{escrow, matching};
	use computility_primitives::{
		AgreementFactory, ContributionScores, IdentityRegistry, NewAgreement, Role,
	};
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{Inspect, InspectHold, Mutate, MutateHold},
			tokens::Precision,
		},
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::{traits::Saturating, ArithmeticError};

	/// Balance of the configured currency.
	pub type BalanceOf<T> =
		<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;
	/// An ask of this runtime.
	pub type AskOf<T> =
		Ask<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;
	/// A bid of this runtime.
	pub type BidOf<T> =
		Bid<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The funds of a resting bid.
		Bid,
	}

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;
		/// The currency bids are held in.
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ InspectHold<Self::AccountId>
			+ Mutate<Self::AccountId, Balance = u128>;
		/// The runtime's hold reasons.
		type RuntimeHoldReason: From<HoldReason>;
		/// Who may trade, and the resources they registered.
		type Identity: IdentityRegistry<Self::AccountId>;
		/// Where matches become agreements.
		type Agreements: AgreementFactory<Self::AccountId, BalanceOf<Self>>;
		/// Contribution scores for tie-breaking.
		type Scores: ContributionScores<Self::AccountId>;
		/// Most index entries one match reads.
		#[pallet::constant]
		type MaxScan: Get<u32>;
		/// Most fills (agreements) one match makes.
		#[pallet::constant]
		type MaxFills: Get<u32>;
		/// Most open asks per provider.
		#[pallet::constant]
		type MaxAsksPerAccount: Get<u32>;
		/// Most open bids per buyer.
		#[pallet::constant]
		type MaxBidsPerAccount: Get<u32>;
		/// Longest lease, in hours.
		#[pallet::constant]
		type MaxHours: Get<u32>;
		/// Longest life of an order, in blocks.
		#[pallet::constant]
		type MaxOrderLife: Get<BlockNumberFor<Self>>;
		/// Weights.
		type WeightInfo: WeightInfo;
		/// Sets up providers and buyers for benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: crate::BenchmarkHelper<Self::AccountId>;
	}

	/// Open asks.
	#[pallet::storage]
	pub type Asks<T: Config> = StorageMap<_, Twox64Concat, OrderId, AskOf<T>, OptionQuery>;

	/// Open bids.
	#[pallet::storage]
	pub type Bids<T: Config> = StorageMap<_, Twox64Concat, OrderId, BidOf<T>, OptionQuery>;

	/// The next order id (asks and bids share the sequence).
	#[pallet::storage]
	pub type NextOrderId<T> = StorageValue<_, OrderId, ValueQuery>;

	/// Asks with capacity, per kind, in price order (see [`price_key`]).
	#[pallet::storage]
	pub type PriceIndex<T> =
		StorageDoubleMap<_, Twox64Concat, ResourceKind, Identity, [u8; 24], (), OptionQuery>;

	/// Asks with capacity, per kind, fastest first (see [`performance_key`]).
	#[pallet::storage]
	pub type PerformanceIndex<T> =
		StorageDoubleMap<_, Twox64Concat, ResourceKind, Identity, [u8; 28], (), OptionQuery>;

	/// Each provider's open asks.
	#[pallet::storage]
	pub type AsksOf<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<OrderId, T::MaxAsksPerAccount>,
		ValueQuery,
	>;

	/// Each buyer's open bids.
	#[pallet::storage]
	pub type BidsOf<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<OrderId, T::MaxBidsPerAccount>,
		ValueQuery,
	>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A provider posted an ask.
		AskPlaced {
			/// The ask.
			id: OrderId,
			/// The provider.
			provider: T::AccountId,
			/// The resource offered.
			resource: ResourceId,
			/// Units offered.
			quantity: u32,
			/// Unit price per hour.
			unit_price: BalanceOf<T>,
		},
		/// A buyer posted a bid; its funds are held.
		BidPlaced {
			/// The bid.
			id: OrderId,
			/// The buyer.
			buyer: T::AccountId,
			/// Units wanted.
			quantity: u32,
			/// Funds held.
			held: BalanceOf<T>,
		},
		/// A bid was (partly) filled from an ask; an agreement was created.
		Matched {
			/// The bid.
			bid: OrderId,
			/// The ask.
			ask: OrderId,
			/// The agreement created.
			agreement: computility_primitives::AgreementId,
			/// Units filled.
			quantity: u32,
			/// Unit price paid (the ask's).
			unit_price: BalanceOf<T>,
		},
		/// A bid is filled completely and leaves the book.
		BidFilled {
			/// The bid.
			id: OrderId,
		},
		/// An ask's capacity is all matched; it leaves the book.
		AskFilled {
			/// The ask.
			id: OrderId,
		},
		/// An order was cancelled by its owner; a bid's funds were released.
		Cancelled {
			/// The order.
			id: OrderId,
			/// Funds released (bids).
			released: BalanceOf<T>,
		},
		/// An order expired and was removed; a bid's funds were released.
		Expired {
			/// The order.
			id: OrderId,
			/// Funds released (bids).
			released: BalanceOf<T>,
		},
		/// An order's price was changed.
		PriceAmended {
			/// The order.
			id: OrderId,
			/// The new (maximum) unit price.
			unit_price: BalanceOf<T>,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The account is not an approved, active participant.
		NotActiveParticipant,
		/// The participant's role may not post this order.
		WrongRole,
		/// No such resource.
		UnknownResource,
		/// The resource belongs to someone else.
		NotResourceOwner,
		/// The resource is retired.
		ResourceRetired,
		/// The ask offers more units than the resource has.
		ExceedsResource,
		/// Zero units, zero hours, a price of zero, min hours above max, or a task kind above 31.
		InvalidOrder,
		/// The lease or the order's life is longer than allowed.
		TooLong,
		/// No such ask.
		UnknownAsk,
		/// No such bid.
		UnknownBid,
		/// Only the order's owner may do this.
		NotOwner,
		/// The order has not expired yet.
		NotExpired,
		/// The order has expired.
		OrderExpired,
		/// The account has the most open orders allowed.
		TooManyOrders,
		/// The buyer cannot pay the bid's hold.
		InsufficientBalance,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MaxScan::get() >= T::MaxFills::get() && T::MaxFills::get() > 0);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Offer capacity of a registered resource.
		///
		/// - `origin`: an approved, active provider (a selling role) that owns `resource`.
		/// - `resource`: an active resource; `quantity` at most its units.
		/// - `unit_price`: per unit per hour; `min_hours`..=`max_hours`: lease lengths accepted;
		///   `task_kinds`: bit set of task kinds it runs; `lifetime`: blocks until it expires.
		///
		/// Emits [`Event::AskPlaced`]. Does not match resting bids.
		#[pallet::call_index(0)]
		pub fn place_ask(
			origin: OriginFor<T>,
			resource: ResourceId,
			quantity: u32,
			unit_price: BalanceOf<T>,
			min_hours: u32,
			max_hours: u32,
			task_kinds: u32,
			lifetime: BlockNumberFor<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_place_ask(
				who, resource, quantity, unit_price, min_hours, max_hours, task_kinds, lifetime,
			)
			.map(|_| ())
		}

		/// Bid for capacity; the bid's funds are held and it is matched at once.
		///
		/// - `origin`: an approved, active buyer (or reseller).
		/// - `terms`: what is wanted (see [`BidTerms`]); `lifetime`: blocks until it expires.
		///
		/// Emits [`Event::BidPlaced`], then [`Event::Matched`] per fill and [`Event::BidFilled`]
		/// if nothing is left.
		#[pallet::call_index(1)]
		#[pallet::weight(<T as Config>::WeightInfo::place_bid(MAX_BENCHED_DEPTH))]
		pub fn place_bid(
			origin: OriginFor<T>,
			terms: BidTerms<BalanceOf<T>>,
			lifetime: BlockNumberFor<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let id = Self::do_place_bid(who, terms, lifetime)?;
			Self::do_match(id)
		}

		/// Withdraw an ask (its matched part lives on in agreements).
		///
		/// - `origin`: the ask's provider.
		///
		/// Emits [`Event::Cancelled`].
		#[pallet::call_index(2)]
		pub fn cancel_ask(origin: OriginFor<T>, id: OrderId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let ask = Self::own_ask(&who, id, false)?;
			Self::remove_ask(id, &ask);
			Self::deposit_event(Event::Cancelled { id, released: 0 });
			Ok(())
		}

		/// Withdraw a bid; its held funds are released.
		///
		/// - `origin`: the bid's buyer.
		///
		/// Emits [`Event::Cancelled`].
		#[pallet::call_index(3)]
		pub fn cancel_bid(origin: OriginFor<T>, id: OrderId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let bid = Self::own_bid(&who, id, false)?;
			let released = Self::remove_bid(id, &bid)?;
			Self::deposit_event(Event::Cancelled { id, released });
			Ok(())
		}

		/// Change an ask's unit price; it moves in the book.
		///
		/// - `origin`: the ask's provider; `unit_price` above zero.
		///
		/// Emits [`Event::PriceAmended`].
		#[pallet::call_index(4)]
		pub fn amend_ask_price(
			origin: OriginFor<T>,
			id: OrderId,
			unit_price: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(unit_price > 0, Error::<T>::InvalidOrder);
			let mut ask = Self::own_ask(&who, id, true)?;
			Self::unindex_ask(id, &ask);
			ask.unit_price = unit_price;
			Self::index_ask(id, &ask);
			Asks::<T>::insert(id, ask);
			Self::deposit_event(Event::PriceAmended { id, unit_price });
			Ok(())
		}

		/// Change a bid's highest unit price; its hold follows, and it is matched again.
		///
		/// - `origin`: the bid's buyer; `max_unit_price` above zero.
		///
		/// Emits [`Event::PriceAmended`], then any [`Event::Matched`].
		#[pallet::call_index(5)]
		pub fn amend_bid_price(
			origin: OriginFor<T>,
			id: OrderId,
			max_unit_price: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(max_unit_price > 0, Error::<T>::InvalidOrder);
			let mut bid = Self::own_bid(&who, id, true)?;
			let new_hold = escrow::bid_hold(max_unit_price, bid.terms.quantity, bid.terms.hours)
				.ok_or(ArithmeticError::Overflow)?;
			let reason = HoldReason::Bid.into();
			if new_hold > bid.held {
				T::Currency::hold(&reason, &who, new_hold.saturating_sub(bid.held))
					.map_err(|_| Error::<T>::InsufficientBalance)?;
			} else {
				T::Currency::release(
					&reason,
					&who,
					bid.held.saturating_sub(new_hold),
					Precision::Exact,
				)?;
			}
			bid.held = new_hold;
			bid.terms.max_unit_price = max_unit_price;
			Bids::<T>::insert(id, bid);
			Self::deposit_event(Event::PriceAmended { id, unit_price: max_unit_price });
			Self::do_match(id)
		}

		/// Remove an expired order; a bid's funds are released.
		///
		/// - `origin`: anyone (signed).
		/// - `id`: an ask or bid past its expiry block.
		///
		/// Emits [`Event::Expired`].
		#[pallet::call_index(6)]
		pub fn expire(origin: OriginFor<T>, id: OrderId) -> DispatchResult {
			ensure_signed(origin)?;
			let now = frame_system::Pallet::<T>::block_number();
			if let Some(ask) = Asks::<T>::get(id) {
				ensure!(now > ask.expires_at, Error::<T>::NotExpired);
				Self::remove_ask(id, &ask);
				Self::deposit_event(Event::Expired { id, released: 0 });
				return Ok(());
			}
			let bid = Bids::<T>::get(id).ok_or(Error::<T>::UnknownBid)?;
			ensure!(now > bid.expires_at, Error::<T>::NotExpired);
			let released = Self::remove_bid(id, &bid)?;
			Self::deposit_event(Event::Expired { id, released });
			Ok(())
		}

		/// Match a resting bid again (for example after new asks arrived).
		///
		/// - `origin`: the bid's buyer.
		///
		/// Emits [`Event::Matched`] per fill.
		#[pallet::call_index(7)]
		pub fn rematch_bid(origin: OriginFor<T>, id: OrderId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::own_bid(&who, id, true)?;
			Self::do_match(id)
		}
	}

	impl<T: Config> Pallet<T> {
		/// `who`'s ask `id` (not expired, if `live`), or the matching error.
		fn own_ask(who: &T::AccountId, id: OrderId, live: bool) -> Result<AskOf<T>, DispatchError> {
			let ask = Asks::<T>::get(id).ok_or(Error::<T>::UnknownAsk)?;
			ensure!(ask.provider == *who, Error::<T>::NotOwner);
			ensure!(
				!live || frame_system::Pallet::<T>::block_number() <= ask.expires_at,
				Error::<T>::OrderExpired
			);
			Ok(ask)
		}

		/// `who`'s bid `id` (not expired, if `live`), or the matching error.
		fn own_bid(who: &T::AccountId, id: OrderId, live: bool) -> Result<BidOf<T>, DispatchError> {
			let bid = Bids::<T>::get(id).ok_or(Error::<T>::UnknownBid)?;
			ensure!(bid.buyer == *who, Error::<T>::NotOwner);
			ensure!(
				!live || frame_system::Pallet::<T>::block_number() <= bid.expires_at,
				Error::<T>::OrderExpired
			);
			Ok(bid)
		}

		fn next_id() -> OrderId {
			let id = NextOrderId::<T>::get();
			NextOrderId::<T>::put(id.saturating_add(1));
			id
		}

		fn check_lifetime(lifetime: BlockNumberFor<T>) -> Result<BlockNumberFor<T>, DispatchError> {
			ensure!(lifetime <= T::MaxOrderLife::get(), Error::<T>::TooLong);
			Ok(frame_system::Pallet::<T>::block_number().saturating_add(lifetime))
		}

		pub(crate) fn do_place_ask(
			who: T::AccountId,
			resource: ResourceId,
			quantity: u32,
			unit_price: BalanceOf<T>,
			min_hours: u32,
			max_hours: u32,
			task_kinds: u32,
			lifetime: BlockNumberFor<T>,
		) -> Result<OrderId, DispatchError> {
			ensure!(T::Identity::is_active(&who), Error::<T>::NotActiveParticipant);
			ensure!(T::Identity::role_of(&who).is_some_and(|r| r.sells()), Error::<T>::WrongRole);
			let r = T::Identity::resource(resource).ok_or(Error::<T>::UnknownResource)?;
			ensure!(r.owner == who, Error::<T>::NotResourceOwner);
			ensure!(r.active, Error::<T>::ResourceRetired);
			ensure!(
				quantity > 0
					&& unit_price > 0
					&& min_hours > 0
					&& min_hours <= max_hours
					&& task_kinds != 0,
				Error::<T>::InvalidOrder
			);
			ensure!(quantity <= r.quantity, Error::<T>::ExceedsResource);
			ensure!(max_hours <= T::MaxHours::get(), Error::<T>::TooLong);
			let expires_at = Self::check_lifetime(lifetime)?;
			let mut mine = AsksOf::<T>::get(&who);
			let id = NextOrderId::<T>::get();
			mine.try_push(id).map_err(|_| Error::<T>::TooManyOrders)?;
			Self::next_id();
			let ask = Ask {
				provider: who.clone(),
				resource,
				kind: r.kind,
				performance: r.performance,
				region: r.region,
				quantity,
				available: quantity,
				unit_price,
				min_hours,
				max_hours,
				task_kinds,
				expires_at,
			};
			Self::index_ask(id, &ask);
			Asks::<T>::insert(id, ask);
			AsksOf::<T>::insert(&who, mine);
			Self::deposit_event(Event::AskPlaced {
				id,
				provider: who,
				resource,
				quantity,
				unit_price,
			});
			Ok(id)
		}

		pub(crate) fn do_place_bid(
			who: T::AccountId,
			terms: BidTerms<BalanceOf<T>>,
			lifetime: BlockNumberFor<T>,
		) -> Result<OrderId, DispatchError> {
			ensure!(T::Identity::is_active(&who), Error::<T>::NotActiveParticipant);
			ensure!(
				matches!(T::Identity::role_of(&who), Some(Role::Buyer | Role::Reseller)),
				Error::<T>::WrongRole
			);
			ensure!(
				terms.quantity > 0
					&& terms.hours > 0
					&& terms.max_unit_price > 0
					&& terms.task_kind < 32,
				Error::<T>::InvalidOrder
			);
			ensure!(terms.hours <= T::MaxHours::get(), Error::<T>::TooLong);
			let expires_at = Self::check_lifetime(lifetime)?;
			let held = escrow::bid_hold(terms.max_unit_price, terms.quantity, terms.hours)
				.ok_or(ArithmeticError::Overflow)?;
			let mut mine = BidsOf::<T>::get(&who);
			let id = NextOrderId::<T>::get();
			mine.try_push(id).map_err(|_| Error::<T>::TooManyOrders)?;
			T::Currency::hold(&HoldReason::Bid.into(), &who, held)
				.map_err(|_| Error::<T>::InsufficientBalance)?;
			Self::next_id();
			Bids::<T>::insert(id, Bid { buyer: who.clone(), terms, held, expires_at });
			BidsOf::<T>::insert(&who, mine);
			Self::deposit_event(Event::BidPlaced {
				id,
				buyer: who,
				quantity: terms.quantity,
				held,
			});
			Ok(id)
		}

		/// The candidates for `bid`: at most `MaxScan` asks from the front of the index its
		/// priority uses, stopping where no further ask can qualify.
		pub fn candidates(bid: &BidOf<T>) -> Vec<(matching::Candidate, AskOf<T>)> {
			let now = frame_system::Pallet::<T>::block_number();
			let t = &bid.terms;
			let ids: Vec<OrderId> = match t.priority {
				Priority::PriceFirst => PriceIndex::<T>::iter_key_prefix(t.kind)
					.take_while(|k| price_of_key(k) <= t.max_unit_price)
					.take(T::MaxScan::get() as usize)
					.map(|k| id_of_key(&k))
					.collect(),
				Priority::PerformanceFirst => PerformanceIndex::<T>::iter_key_prefix(t.kind)
					.take_while(|k| {
						let mut b = [0u8; 4];
						b.copy_from_slice(&k[..4]);
						u32::MAX - u32::from_be_bytes(b) >= t.min_performance
					})
					.take(T::MaxScan::get() as usize)
					.map(|k| id_of_key(&k))
					.collect(),
			};
			ids.into_iter()
				.filter_map(|id| Asks::<T>::get(id).map(|a| (id, a)))
				.map(|(id, a)| {
					let eligible = a.provider != bid.buyer
						&& now <= a.expires_at
						&& t.hours >= a.min_hours
						&& t.hours <= a.max_hours
						&& a.task_kinds & (1u32 << t.task_kind) != 0
						&& t.region.map_or(true, |r| r == a.region)
						&& T::Identity::is_active(&a.provider);
					let c = matching::Candidate {
						id,
						unit_price: a.unit_price,
						performance: a.performance,
						available: a.available,
						score: T::Scores::score(&a.provider),
						eligible,
					};
					(c, a)
				})
				.collect()
		}

		/// Match bid `id` against the book; each fill becomes an agreement.
		pub(crate) fn do_match(id: OrderId) -> DispatchResult {
			let mut bid = Bids::<T>::get(id).ok_or(Error::<T>::UnknownBid)?;
			let found = Self::candidates(&bid);
			let cands: Vec<matching::Candidate> = found.iter().map(|(c, _)| *c).collect();
			let req = matching::Requirements {
				quantity: bid.terms.quantity,
				max_unit_price: bid.terms.max_unit_price,
				min_performance: bid.terms.min_performance,
				priority: bid.terms.priority.into(),
			};
			let fills = matching::match_bid(&req, &cands, T::MaxFills::get() as usize);
			let reason = HoldReason::Bid.into();
			for fill in fills {
				let Some((_, mut ask)) = found.iter().find(|(c, _)| c.id == fill.ask).cloned()
				else {
					continue;
				};
				let hours = bid.terms.hours;
				let share = escrow::bid_hold(bid.terms.max_unit_price, fill.quantity, hours)
					.ok_or(ArithmeticError::Overflow)?;
				let cost = escrow::fill_cost(fill.unit_price, fill.quantity, hours)
					.ok_or(ArithmeticError::Overflow)?;
				// The bid's share comes out of its hold; the cost goes into the agreement's escrow.
				T::Currency::release(&reason, &bid.buyer, share, Precision::Exact)?;
				bid.held = bid.held.saturating_sub(share);
				bid.terms.quantity = bid.terms.quantity.saturating_sub(fill.quantity);
				let agreement = T::Agreements::create(NewAgreement {
					buyer: bid.buyer.clone(),
					provider: ask.provider.clone(),
					ask: fill.ask,
					bid: id,
					resource: ask.resource,
					quantity: fill.quantity,
					unit_price: fill.unit_price,
					hours,
					sla: bid.terms.sla,
					task_hash: bid.terms.task_hash,
					escrow: cost,
				})?;
				ask.available = ask.available.saturating_sub(fill.quantity);
				Self::deposit_event(Event::Matched {
					bid: id,
					ask: fill.ask,
					agreement,
					quantity: fill.quantity,
					unit_price: fill.unit_price,
				});
				if ask.available == 0 {
					Self::remove_ask(fill.ask, &ask);
					Self::deposit_event(Event::AskFilled { id: fill.ask });
				} else {
					Asks::<T>::insert(fill.ask, ask);
				}
			}
			if bid.terms.quantity == 0 {
				Self::remove_bid(id, &bid)?;
				Self::deposit_event(Event::BidFilled { id });
			} else {
				Bids::<T>::insert(id, bid);
			}
			Ok(())
		}

		fn index_ask(id: OrderId, ask: &AskOf<T>) {
			PriceIndex::<T>::insert(ask.kind, price_key(ask.unit_price, id), ());
			PerformanceIndex::<T>::insert(
				ask.kind,
				performance_key(ask.performance, ask.unit_price, id),
				(),
			);
		}

		fn unindex_ask(id: OrderId, ask: &AskOf<T>) {
			PriceIndex::<T>::remove(ask.kind, price_key(ask.unit_price, id));
			PerformanceIndex::<T>::remove(
				ask.kind,
				performance_key(ask.performance, ask.unit_price, id),
			);
		}

		fn remove_ask(id: OrderId, ask: &AskOf<T>) {
			Self::unindex_ask(id, ask);
			Asks::<T>::remove(id);
			AsksOf::<T>::mutate(&ask.provider, |v| v.retain(|x| *x != id));
		}

		/// Remove a bid and release what it still holds; returns the amount released.
		fn remove_bid(id: OrderId, bid: &BidOf<T>) -> Result<BalanceOf<T>, DispatchError> {
			if bid.held > 0 {
				T::Currency::release(
					&HoldReason::Bid.into(),
					&bid.buyer,
					bid.held,
					Precision::Exact,
				)?;
			}
			Bids::<T>::remove(id);
			BidsOf::<T>::mutate(&bid.buyer, |v| v.retain(|x| *x != id));
			Ok(bid.held)
		}

		/// Invariants: each account's bid hold equals its open bids' records, and each bid holds
		/// exactly max price × units left × hours; the indexes list exactly the asks with
		/// capacity; the per-account lists match the books.
		#[cfg(any(feature = "try-runtime", feature = "std", test))]
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			use alloc::collections::btree_map::BTreeMap;
			let mut held: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
			for (id, b) in Bids::<T>::iter() {
				ensure!(b.terms.quantity > 0, "a filled bid is still in the book");
				ensure!(
					escrow::bid_hold(b.terms.max_unit_price, b.terms.quantity, b.terms.hours)
						== Some(b.held),
					"a bid holds the wrong amount"
				);
				ensure!(
					BidsOf::<T>::get(&b.buyer).contains(&id),
					"bid missing from its buyer's list"
				);
				let e = held.entry(b.buyer.clone()).or_default();
				*e = e.saturating_add(b.held);
			}
			for (who, amount) in &held {
				ensure!(
					T::Currency::balance_on_hold(&HoldReason::Bid.into(), who) == *amount,
					"bid hold differs from the open bids"
				);
			}
			let mut asks = 0usize;
			for (id, a) in Asks::<T>::iter() {
				asks += 1;
				ensure!(a.available > 0 && a.available <= a.quantity, "ask capacity out of range");
				ensure!(
					PriceIndex::<T>::contains_key(a.kind, price_key(a.unit_price, id)),
					"ask not in price index"
				);
				ensure!(
					PerformanceIndex::<T>::contains_key(
						a.kind,
						performance_key(a.performance, a.unit_price, id)
					),
					"ask not in performance index"
				);
				ensure!(
					AsksOf::<T>::get(&a.provider).contains(&id),
					"ask missing from its provider's list"
				);
			}
			ensure!(PriceIndex::<T>::iter().count() == asks, "stale price index entries");
			ensure!(
				PerformanceIndex::<T>::iter().count() == asks,
				"stale performance index entries"
			);
			ensure!(
				AsksOf::<T>::iter().map(|(_, v)| v.len()).sum::<usize>() == asks,
				"stale ask list entries"
			);
			ensure!(
				BidsOf::<T>::iter().map(|(_, v)| v.len()).sum::<usize>()
					== Bids::<T>::iter().count(),
				"stale bid list entries"
			);
			Ok(())
		}
	}
}
