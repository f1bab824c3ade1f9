//! # Order book: trusted transaction order
//!
//! The second of the five trusts. Providers post **asks** for capacity of a registered resource
//! (quantity, unit price per hour, shortest and longest lease, task kinds, the service levels
//! the provider guarantees, expiry); buyers post **bids** (kind, quantity, least performance,
//! region, highest unit price, lease length, task, the service levels required, priority,
//! expiry). The live asks are the *rental panorama table*.
//!
//! ## Two-sided continuous matching
//! A bid is matched **on arrival** against the resting asks that satisfy it, best first by its
//! priority (ties to the higher contribution score, then the older ask); an ask is matched on
//! arrival (and when its price is lowered) against the resting bids it satisfies, best first by
//! price, then the older bid. Both directions use one rule, [`computility_market::matching`]
//! (eligibility, ranking, filling); every trade is at the ask's unit price. Each fill creates an
//! agreement (through [`computility_primitives::AgreementFactory`]) that records the ask's
//! guaranteed service levels, whose escrow comes out of the bid's held funds. What is left of
//! an order rests in the book.
//!
//! ## Capacity that cannot be oversold
//! Per resource, the units in open asks ([`Offered`]) plus the units its running agreements
//! lease never exceed its quantity: checked when an ask is placed, kept by every fill (units
//! move from offered to leased), and kept when the provider changes the resource (the identity
//! pallet refuses to shrink it below what is leased and tells this pallet: asks
//! are trimmed newest first to what is free, take the new performance and region, and are
//! withdrawn when the resource is retired). `try_state` proves it for every resource.
//!
//! ## Matching no one can block
//! A match reads the index of the right kind from the front, lazily: it keeps at most
//! [`Config::MaxScan`] asks (or bids) that can trade, and stops early after
//! [`Config::MaxSkip`] entries that cannot (another region, task kind, service levels, a
//! provider suspended or at its agreement limit, expired, ...), so that cheap unusable orders at
//! the front cannot hide the usable ones behind them unless there are more than `MaxSkip` of
//! them, and reading them is charged. A provider or buyer at its running-agreement limit is
//! skipped, never a reason for the call to fail. Weights are benchmarked with every scanned
//! order from a distinct account with full per-account lists, charged in full up front, and
//! the unused part is refunded.
//!
//! ## Money
//! A bid holds `max unit price × quantity × hours` (hold reason [`HoldReason::Bid`]). A fill
//! releases `max price × units × hours` of it: the ask's price share goes into the agreement's
//! escrow, the difference goes back to the buyer. `try_state` checks that every account's bid
//! hold equals what its open bids record.
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
	/// Fill `who`'s list of running agreements up to `room` free places (with records that
	/// only lengthen the list), so that a benchmark reads and writes lists of the worst size.
	fn crowd(who: &AccountId, room: u32);
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use computility_market::{escrow, matching};
	use computility_primitives::{
		AgreementFactory, AgreementId, ContributionScores, IdentityRegistry, NewAgreement, Role,
	};
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{Inspect, InspectHold, Mutate, MutateHold},
			tokens::Precision,
		},
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::{
		traits::{SaturatedConversion, Saturating},
		ArithmeticError,
	};

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
		/// Where matches become agreements (and what they lease).
		type Agreements: AgreementFactory<Self::AccountId, BalanceOf<Self>>;
		/// Contribution scores for tie-breaking.
		type Scores: ContributionScores<Self::AccountId>;
		/// Most orders one match keeps as candidates (orders that can trade).
		#[pallet::constant]
		type MaxScan: Get<u32>;
		/// Most index entries one match reads and passes over because they cannot trade.
		#[pallet::constant]
		type MaxSkip: Get<u32>;
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

	/// Resting bids, per kind, highest price first, then oldest (see [`bid_key`]).
	#[pallet::storage]
	pub type BidIndex<T> =
		StorageDoubleMap<_, Twox64Concat, ResourceKind, Identity, [u8; 24], (), OptionQuery>;

	/// Units of each resource offered by open asks (never with running agreements' units more
	/// than the resource's quantity).
	#[pallet::storage]
	pub type Offered<T> = StorageMap<_, Twox64Concat, ResourceId, u32, OptionQuery>;

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
			/// Service levels the provider guarantees.
			sla: SlaTerms,
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
			agreement: AgreementId,
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
		/// An ask followed a change of its resource: fewer units (the resource shrank), or a
		/// new performance or region.
		AskAdjusted {
			/// The ask.
			id: OrderId,
			/// Units it offers now.
			available: u32,
			/// The resource's performance per unit now.
			performance: u32,
			/// The resource's region now.
			region: Region,
		},
		/// An ask was withdrawn because its resource was retired or shrank to what is leased.
		AskWithdrawn {
			/// The ask.
			id: OrderId,
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
		/// The ask offers more units than the resource has free: its quantity less the units
		/// its open asks offer and its running agreements lease.
		CapacityTaken,
		/// Service levels out of range (availability above 1000 per mille).
		InvalidServiceLevels,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MaxScan::get() >= T::MaxFills::get() && T::MaxFills::get() > 0);
			assert!(T::MaxSkip::get() > 0, "a match must be able to pass over an order");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	/// What a match did: index entries read and fills made (its weight's components).
	#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
	pub struct MatchCost {
		/// Index entries read (kept or passed over).
		pub read: u32,
		/// Fills made.
		pub fills: u32,
	}

	impl MatchCost {
		/// The benchmark components `(s, f)`: entries read besides the fills, and the fills.
		pub fn components(&self) -> (u32, u32) {
			(self.read.saturating_sub(self.fills), self.fills)
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Offer capacity of a registered resource; the ask fills the resting bids it satisfies
		/// at once, best first (highest price, then oldest), at its own price.
		///
		/// - `origin`: an approved, active provider (a selling role) that owns `resource`.
		/// - `resource`: an active resource; `quantity` at most its free units (its quantity
		///   less what its open asks offer and its running agreements lease).
		/// - `unit_price`: per unit per hour; `min_hours`..=`max_hours`: lease lengths accepted;
		///   `task_kinds`: bit set of task kinds it runs; `sla`: the service levels guaranteed
		///   (availability at most 1000 per mille; a latency of 0 guarantees none);
		///   `lifetime`: blocks until it expires.
		///
		/// Emits [`Event::AskPlaced`], then [`Event::Matched`] per fill.
		#[pallet::call_index(0)]
		#[pallet::weight(<T as Config>::WeightInfo::place_ask(Pallet::<T>::max_read().saturating_sub(T::MaxFills::get()), T::MaxFills::get()))]
		pub fn place_ask(
			origin: OriginFor<T>,
			resource: ResourceId,
			quantity: u32,
			unit_price: BalanceOf<T>,
			min_hours: u32,
			max_hours: u32,
			task_kinds: u32,
			sla: SlaTerms,
			lifetime: BlockNumberFor<T>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let id = Self::do_place_ask(
				who, resource, quantity, unit_price, min_hours, max_hours, task_kinds, sla,
				lifetime,
			)?;
			let cost = Self::do_match_ask(id)?;
			let (s, f) = cost.components();
			Ok(Some(T::WeightInfo::place_ask(s, f)).into())
		}

		/// Bid for capacity; the bid's funds are held and it is matched at once.
		///
		/// - `origin`: an approved, active buyer (or reseller).
		/// - `terms`: what is wanted (see [`BidTerms`]; service levels with availability at most
		///   1000 per mille); `lifetime`: blocks until it expires.
		///
		/// Emits [`Event::BidPlaced`], then [`Event::Matched`] per fill and [`Event::BidFilled`]
		/// if nothing is left.
		#[pallet::call_index(1)]
		#[pallet::weight(<T as Config>::WeightInfo::place_bid(Pallet::<T>::max_read().saturating_sub(T::MaxFills::get()), T::MaxFills::get()))]
		pub fn place_bid(
			origin: OriginFor<T>,
			terms: BidTerms<BalanceOf<T>>,
			lifetime: BlockNumberFor<T>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let id = Self::do_place_bid(who, terms, lifetime)?;
			let cost = Self::do_match(id)?;
			let (s, f) = cost.components();
			Ok(Some(T::WeightInfo::place_bid(s, f)).into())
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

		/// Change an ask's unit price; it moves in the book and fills the resting bids it now
		/// satisfies.
		///
		/// - `origin`: the ask's provider; `unit_price` above zero.
		///
		/// Emits [`Event::PriceAmended`], then any [`Event::Matched`].
		#[pallet::call_index(4)]
		#[pallet::weight(<T as Config>::WeightInfo::amend_ask_price(Pallet::<T>::max_read().saturating_sub(T::MaxFills::get()), T::MaxFills::get()))]
		pub fn amend_ask_price(
			origin: OriginFor<T>,
			id: OrderId,
			unit_price: BalanceOf<T>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			ensure!(unit_price > 0, Error::<T>::InvalidOrder);
			let mut ask = Self::own_ask(&who, id, true)?;
			Self::unindex_ask(id, &ask);
			ask.unit_price = unit_price;
			Self::index_ask(id, &ask);
			Asks::<T>::insert(id, ask);
			Self::deposit_event(Event::PriceAmended { id, unit_price });
			let cost = Self::do_match_ask(id)?;
			let (s, f) = cost.components();
			Ok(Some(T::WeightInfo::amend_ask_price(s, f)).into())
		}

		/// Change a bid's highest unit price; its hold follows, and it is matched again.
		///
		/// - `origin`: the bid's buyer; `max_unit_price` above zero.
		///
		/// Emits [`Event::PriceAmended`], then any [`Event::Matched`].
		#[pallet::call_index(5)]
		#[pallet::weight(<T as Config>::WeightInfo::amend_bid_price(Pallet::<T>::max_read().saturating_sub(T::MaxFills::get()), T::MaxFills::get()))]
		pub fn amend_bid_price(
			origin: OriginFor<T>,
			id: OrderId,
			max_unit_price: BalanceOf<T>,
		) -> DispatchResultWithPostInfo {
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
			BidIndex::<T>::remove(bid.terms.kind, bid_key(bid.terms.max_unit_price, id));
			bid.held = new_hold;
			bid.terms.max_unit_price = max_unit_price;
			BidIndex::<T>::insert(bid.terms.kind, bid_key(max_unit_price, id), ());
			Bids::<T>::insert(id, bid);
			Self::deposit_event(Event::PriceAmended { id, unit_price: max_unit_price });
			let cost = Self::do_match(id)?;
			let (s, f) = cost.components();
			Ok(Some(T::WeightInfo::amend_bid_price(s, f)).into())
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

		/// Match a resting bid again (for example after a provider left its agreement limit).
		///
		/// - `origin`: the bid's buyer.
		///
		/// Emits [`Event::Matched`] per fill.
		#[pallet::call_index(7)]
		#[pallet::weight(<T as Config>::WeightInfo::rematch_bid(Pallet::<T>::max_read().saturating_sub(T::MaxFills::get()), T::MaxFills::get()))]
		pub fn rematch_bid(origin: OriginFor<T>, id: OrderId) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			Self::own_bid(&who, id, true)?;
			let cost = Self::do_match(id)?;
			let (s, f) = cost.components();
			Ok(Some(T::WeightInfo::rematch_bid(s, f)).into())
		}
	}

	impl<T: Config> Pallet<T> {
		/// The most index entries one match reads.
		pub fn max_read() -> u32 {
			T::MaxScan::get().saturating_add(T::MaxSkip::get())
		}

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

		/// Units of `resource` that no open ask offers and no running agreement leases.
		pub fn free_units(resource: ResourceId, quantity: u32) -> u32 {
			quantity
				.saturating_sub(Offered::<T>::get(resource).unwrap_or(0))
				.saturating_sub(T::Agreements::leased(resource))
		}

		fn add_offered(resource: ResourceId, units: u32) {
			Offered::<T>::mutate(resource, |u| *u = Some(u.unwrap_or(0).saturating_add(units)));
		}

		fn sub_offered(resource: ResourceId, units: u32) {
			Offered::<T>::mutate_exists(resource, |u| {
				*u = u.map(|u| u.saturating_sub(units)).filter(|u| *u > 0)
			});
		}

		pub(crate) fn do_place_ask(
			who: T::AccountId,
			resource: ResourceId,
			quantity: u32,
			unit_price: BalanceOf<T>,
			min_hours: u32,
			max_hours: u32,
			task_kinds: u32,
			sla: SlaTerms,
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
			ensure!(sla.is_valid(), Error::<T>::InvalidServiceLevels);
			ensure!(quantity <= r.quantity, Error::<T>::ExceedsResource);
			ensure!(quantity <= Self::free_units(resource, r.quantity), Error::<T>::CapacityTaken);
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
				sla,
				expires_at,
			};
			Self::index_ask(id, &ask);
			Asks::<T>::insert(id, ask);
			AsksOf::<T>::insert(&who, mine);
			Self::add_offered(resource, quantity);
			Self::deposit_event(Event::AskPlaced {
				id,
				provider: who,
				resource,
				quantity,
				unit_price,
				sla,
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
			ensure!(terms.sla.is_valid(), Error::<T>::InvalidServiceLevels);
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
			BidIndex::<T>::insert(terms.kind, bid_key(terms.max_unit_price, id), ());
			BidsOf::<T>::insert(&who, mine);
			Self::deposit_event(Event::BidPlaced {
				id,
				buyer: who,
				quantity: terms.quantity,
				held,
			});
			Ok(id)
		}

		/// The eligibility terms of an ask and a bid (the market crate's views).
		fn views(a: &AskOf<T>, b: &BidOf<T>) -> (matching::AskTerms, matching::BidTermsView) {
			(
				matching::AskTerms {
					region: a.region,
					min_hours: a.min_hours,
					max_hours: a.max_hours,
					task_kinds: a.task_kinds,
					sla: a.sla,
					expires_at: a.expires_at.saturated_into(),
				},
				matching::BidTermsView {
					region: b.terms.region,
					hours: b.terms.hours,
					task_kind: b.terms.task_kind,
					sla: b.terms.sla,
					expires_at: b.expires_at.saturated_into(),
				},
			)
		}

		/// Whether ask `a` and bid `b` may trade now: the market crate's rule, with what the
		/// identity and agreement pallets say of the parties. An open ask's resource is active
		/// (retiring it withdraws its asks) and its copy of performance and region is current
		/// (changes of the resource update its asks; `try_state` checks both).
		/// With `probe`, the bid is a query's (the runtime API's recommendation), not a
		/// participant's: its buyer's standing is not read.
		fn eligible(a: &AskOf<T>, b: &BidOf<T>, now: u64, probe: bool) -> bool {
			let (ask, bid) = Self::views(a, b);
			let same_account = a.provider == b.buyer;
			// The orders' own terms first: a pair they rule out costs no further read.
			let assumed = matching::Standing {
				same_account,
				provider_active: true,
				buyer_active: true,
				resource_active: true,
				provider_has_room: true,
				buyer_has_room: true,
			};
			if matching::eligibility(&ask, &bid, &assumed, now).is_err() {
				return false;
			}
			let standing = matching::Standing {
				provider_active: T::Identity::is_active(&a.provider),
				buyer_active: probe || T::Identity::is_active(&b.buyer),
				provider_has_room: T::Agreements::has_room(&a.provider),
				buyer_has_room: probe || T::Agreements::has_room(&b.buyer),
				..assumed
			};
			matching::eligibility(&ask, &bid, &standing, now).is_ok()
		}

		/// The candidate asks for `bid`, read lazily from the front of the index its priority
		/// uses: at most `MaxScan` asks that can trade with it; entries that cannot are passed
		/// over, at most `MaxSkip` of them. Returns the candidates and the entries read. With
		/// `probe`, `bid` is a query's, not a participant's (see [`Self::eligible`]).
		pub fn candidates(
			bid: &BidOf<T>,
			probe: bool,
		) -> (Vec<(matching::Candidate, AskOf<T>)>, u32) {
			let now: u64 = frame_system::Pallet::<T>::block_number().saturated_into();
			let t = &bid.terms;
			let req = Self::requirements(bid);
			let (max_price, min_performance) = (t.max_unit_price, t.min_performance);
			// Lazily: an entry is read only when the scan gets to it.
			let ids: alloc::boxed::Box<dyn Iterator<Item = OrderId>> = match t.priority {
				Priority::PriceFirst => alloc::boxed::Box::new(
					PriceIndex::<T>::iter_key_prefix(t.kind)
						.take_while(move |k| price_of_key(k) <= max_price)
						.map(|k| id_of_key(&k)),
				),
				Priority::PerformanceFirst => alloc::boxed::Box::new(
					PerformanceIndex::<T>::iter_key_prefix(t.kind)
						.take_while(move |k| performance_of_key(k) >= min_performance)
						.map(|k| id_of_key(&k)),
				),
			};
			Self::scan(ids, |id| {
				let a = Asks::<T>::get(id)?;
				let c = matching::Candidate {
					id,
					unit_price: a.unit_price,
					performance: a.performance,
					available: a.available,
					score: 0,
					eligible: true,
				};
				(matching::acceptable(&req, &c) && Self::eligible(&a, bid, now, probe))
					.then(|| (matching::Candidate { score: T::Scores::score(&a.provider), ..c }, a))
			})
		}

		/// The scan both directions use: read `ids` in index order, lazily, keeping what `keep`
		/// returns (an order that can trade) and passing over the rest, until `MaxScan` are kept
		/// or `MaxSkip` passed over. Returns what was kept and how many entries were read.
		fn scan<R>(
			ids: impl Iterator<Item = OrderId>,
			mut keep: impl FnMut(OrderId) -> Option<R>,
		) -> (Vec<R>, u32) {
			let (mut kept, mut skipped, mut read) = (Vec::new(), 0u32, 0u32);
			for id in ids {
				if kept.len() as u32 >= T::MaxScan::get() || skipped >= T::MaxSkip::get() {
					break;
				}
				read = read.saturating_add(1);
				match keep(id) {
					Some(r) => kept.push(r),
					None => skipped = skipped.saturating_add(1),
				}
			}
			(kept, read)
		}

		/// What bid `b` asks for, as the market crate's matcher sees it.
		fn requirements(b: &BidOf<T>) -> matching::Requirements {
			matching::Requirements {
				quantity: b.terms.quantity,
				max_unit_price: b.terms.max_unit_price,
				min_performance: b.terms.min_performance,
				priority: b.terms.priority,
			}
		}

		/// Fill `quantity` units of bid `bid_id` from ask `ask_id` at the ask's price: the bid's
		/// share of its hold is released, an agreement (with the ask's service levels) holds
		/// the cost, and the units move from offered to leased. The callers store or remove
		/// both records afterwards.
		fn fill(
			bid_id: OrderId,
			bid: &mut BidOf<T>,
			ask_id: OrderId,
			ask: &mut AskOf<T>,
			quantity: u32,
		) -> DispatchResult {
			let hours = bid.terms.hours;
			let share = escrow::bid_hold(bid.terms.max_unit_price, quantity, hours)
				.ok_or(ArithmeticError::Overflow)?;
			let cost = escrow::fill_cost(ask.unit_price, quantity, hours)
				.ok_or(ArithmeticError::Overflow)?;
			T::Currency::release(&HoldReason::Bid.into(), &bid.buyer, share, Precision::Exact)?;
			bid.held = bid.held.saturating_sub(share);
			bid.terms.quantity = bid.terms.quantity.saturating_sub(quantity);
			let agreement = T::Agreements::create(NewAgreement {
				buyer: bid.buyer.clone(),
				provider: ask.provider.clone(),
				ask: ask_id,
				bid: bid_id,
				resource: ask.resource,
				quantity,
				unit_price: ask.unit_price,
				hours,
				sla: ask.sla,
				task_hash: bid.terms.task_hash,
				escrow: cost,
			})?;
			ask.available = ask.available.saturating_sub(quantity);
			Self::sub_offered(ask.resource, quantity);
			Self::deposit_event(Event::Matched {
				bid: bid_id,
				ask: ask_id,
				agreement,
				quantity,
				unit_price: ask.unit_price,
			});
			Ok(())
		}

		/// Store an ask after fills, or remove it when nothing is left.
		fn store_ask(id: OrderId, ask: AskOf<T>) {
			if ask.available == 0 {
				Self::remove_ask(id, &ask);
				Self::deposit_event(Event::AskFilled { id });
			} else {
				Asks::<T>::insert(id, ask);
			}
		}

		/// Store a bid after fills, or remove it when it is filled.
		fn store_bid(id: OrderId, bid: BidOf<T>) -> DispatchResult {
			if bid.terms.quantity == 0 {
				Self::remove_bid(id, &bid)?;
				Self::deposit_event(Event::BidFilled { id });
			} else {
				Bids::<T>::insert(id, bid);
			}
			Ok(())
		}

		/// Whether a fill between these parties can still make an agreement (room is checked
		/// again before each fill: earlier fills of the same call use it up).
		fn parties_have_room(provider: &T::AccountId, buyer: &T::AccountId) -> bool {
			T::Agreements::has_room(provider) && T::Agreements::has_room(buyer)
		}

		/// Match bid `id` against the resting asks; each fill becomes an agreement.
		pub(crate) fn do_match(id: OrderId) -> Result<MatchCost, DispatchError> {
			let mut bid = Bids::<T>::get(id).ok_or(Error::<T>::UnknownBid)?;
			let (found, read) = Self::candidates(&bid, false);
			let cands: Vec<matching::Candidate> = found.iter().map(|(c, _)| *c).collect();
			let fills =
				matching::match_bid(&Self::requirements(&bid), &cands, T::MaxFills::get() as usize);
			let mut made = 0u32;
			for f in fills {
				let Some((_, ask)) = found.iter().find(|(c, _)| c.id == f.ask) else { continue };
				if !Self::parties_have_room(&ask.provider, &bid.buyer) {
					continue;
				}
				let mut ask = ask.clone();
				Self::fill(id, &mut bid, f.ask, &mut ask, f.quantity)?;
				Self::store_ask(f.ask, ask);
				made = made.saturating_add(1);
			}
			Self::store_bid(id, bid)?;
			Ok(MatchCost { read, fills: made })
		}

		/// Match ask `id` against the resting bids it satisfies, read lazily from the front of
		/// the bid index (highest price first): at most `MaxScan` bids that can trade with it,
		/// passing over at most `MaxSkip` that cannot.
		pub(crate) fn do_match_ask(id: OrderId) -> Result<MatchCost, DispatchError> {
			let mut ask = Asks::<T>::get(id).ok_or(Error::<T>::UnknownAsk)?;
			let now: u64 = frame_system::Pallet::<T>::block_number().saturated_into();
			let offer = matching::Offer {
				unit_price: ask.unit_price,
				performance: ask.performance,
				available: ask.available,
			};
			let ids = BidIndex::<T>::iter_key_prefix(ask.kind)
				.take_while(|k| price_of_bid_key(k) >= ask.unit_price)
				.map(|k| id_of_key(&k));
			let (kept, read) = Self::scan(ids, |bid_id| {
				let b = Bids::<T>::get(bid_id)?;
				let c = matching::BidCandidate {
					id: bid_id,
					max_unit_price: b.terms.max_unit_price,
					min_performance: b.terms.min_performance,
					quantity: b.terms.quantity,
					eligible: true,
				};
				(matching::acceptable_bid(&offer, &c) && Self::eligible(&ask, &b, now, false))
					.then_some((c, b))
			});
			let cands: Vec<matching::BidCandidate> = kept.iter().map(|(c, _)| *c).collect();
			let fills = matching::match_ask(&offer, &cands, T::MaxFills::get() as usize);
			let mut made = 0u32;
			for f in fills {
				let Some((_, bid)) = kept.iter().find(|(c, _)| c.id == f.bid) else { continue };
				if !Self::parties_have_room(&ask.provider, &bid.buyer) {
					continue;
				}
				let mut bid = bid.clone();
				Self::fill(f.bid, &mut bid, id, &mut ask, f.quantity)?;
				Self::store_bid(f.bid, bid)?;
				made = made.saturating_add(1);
			}
			if made > 0 {
				Self::store_ask(id, ask);
			}
			Ok(MatchCost { read, fills: made })
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
			Self::remove_ask_record(id, ask);
			AsksOf::<T>::mutate(&ask.provider, |v| v.retain(|x| *x != id));
		}

		/// Remove an ask from the book, its indexes and the units offered (not from its
		/// provider's list).
		fn remove_ask_record(id: OrderId, ask: &AskOf<T>) {
			Self::unindex_ask(id, ask);
			Asks::<T>::remove(id);
			Self::sub_offered(ask.resource, ask.available);
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
			BidIndex::<T>::remove(bid.terms.kind, bid_key(bid.terms.max_unit_price, id));
			BidsOf::<T>::mutate(&bid.buyer, |v| v.retain(|x| *x != id));
			Ok(bid.held)
		}

		/// The open asks follow resource `resource`, which changed to `view`: withdrawn when it
		/// was retired; otherwise they take its performance and region, and are trimmed, newest
		/// first, until what they offer fits in its quantity less what is leased.
		pub(crate) fn follow_resource(
			resource: ResourceId,
			view: &computility_primitives::ResourceView<T::AccountId>,
		) {
			let mut asks: Vec<(OrderId, AskOf<T>)> = AsksOf::<T>::get(&view.owner)
				.into_iter()
				.filter_map(|id| Asks::<T>::get(id).map(|a| (id, a)))
				.filter(|(_, a)| a.resource == resource)
				.collect();
			// Newest first: the last placed are the first trimmed.
			asks.sort_by(|x, y| y.0.cmp(&x.0));
			let free = view.quantity.saturating_sub(T::Agreements::leased(resource));
			let mut excess = Offered::<T>::get(resource).unwrap_or(0).saturating_sub(free);
			let mut withdrawn: Vec<OrderId> = Vec::new();
			for (id, mut ask) in asks {
				let cut = if view.active { excess.min(ask.available) } else { ask.available };
				excess = excess.saturating_sub(cut);
				if cut == ask.available {
					Self::remove_ask_record(id, &ask);
					withdrawn.push(id);
					Self::deposit_event(Event::AskWithdrawn { id });
					continue;
				}
				if cut == 0 && ask.performance == view.performance && ask.region == view.region {
					continue;
				}
				Self::unindex_ask(id, &ask);
				ask.available = ask.available.saturating_sub(cut);
				ask.performance = view.performance;
				ask.region = view.region;
				Self::sub_offered(resource, cut);
				Self::index_ask(id, &ask);
				Self::deposit_event(Event::AskAdjusted {
					id,
					available: ask.available,
					performance: ask.performance,
					region: ask.region,
				});
				Asks::<T>::insert(id, ask);
			}
			if !withdrawn.is_empty() {
				AsksOf::<T>::mutate(&view.owner, |v| v.retain(|x| !withdrawn.contains(x)));
			}
		}

		/// Invariants: each account's bid hold equals its open bids' records, and each bid holds
		/// exactly max price × units left × hours; the indexes list exactly the open orders; the
		/// per-account lists match the books; per resource, the units offered are what its asks
		/// offer, its asks are on an active resource with its current performance and region, and
		/// offered plus leased units never exceed its quantity.
		#[cfg(any(feature = "try-runtime", feature = "std", test))]
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			use alloc::collections::btree_map::BTreeMap;
			let mut held: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
			let mut bids = 0usize;
			for (id, b) in Bids::<T>::iter() {
				bids += 1;
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
				ensure!(
					BidIndex::<T>::contains_key(b.terms.kind, bid_key(b.terms.max_unit_price, id)),
					"bid not in the bid index"
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
			ensure!(BidIndex::<T>::iter().count() == bids, "stale bid index entries");
			let mut asks = 0usize;
			let mut offered: BTreeMap<ResourceId, u32> = BTreeMap::new();
			for (id, a) in Asks::<T>::iter() {
				asks += 1;
				ensure!(a.available > 0 && a.available <= a.quantity, "ask capacity out of range");
				ensure!(a.sla.is_valid(), "ask service levels out of range");
				let r = T::Identity::resource(a.resource).ok_or("ask on an unknown resource")?;
				ensure!(r.active, "ask on a retired resource");
				ensure!(
					r.owner == a.provider && r.kind == a.kind,
					"ask not its provider's resource"
				);
				ensure!(
					r.performance == a.performance && r.region == a.region,
					"ask does not follow its resource's specification"
				);
				let o = offered.entry(a.resource).or_default();
				*o = o.saturating_add(a.available);
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
			ensure!(
				Offered::<T>::iter().collect::<BTreeMap<_, _>>() == offered,
				"offered units differ from the open asks"
			);
			for (resource, units) in &offered {
				let r = T::Identity::resource(*resource).ok_or("offered units of no resource")?;
				ensure!(
					units.saturating_add(T::Agreements::leased(*resource)) <= r.quantity,
					"a resource is oversold: offered and leased units exceed its quantity"
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
				BidsOf::<T>::iter().map(|(_, v)| v.len()).sum::<usize>() == bids,
				"stale bid list entries"
			);
			Ok(())
		}
	}

	impl<T: Config> computility_primitives::ResourceUsage<T::AccountId> for Pallet<T> {
		fn leased(resource: ResourceId) -> u32 {
			T::Agreements::leased(resource)
		}

		fn changed(
			resource: ResourceId,
			view: &computility_primitives::ResourceView<T::AccountId>,
		) {
			Self::follow_resource(resource, view)
		}

		fn changed_weight() -> Weight {
			T::WeightInfo::resource_changed().max(T::WeightInfo::resource_retired())
		}
	}
}
