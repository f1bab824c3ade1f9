//! The order-book runtime API: depth per kind, an account's open orders, and a recommendation
//! of asks for given requirements (policy notice: computing power selection).
use crate::{
	AskOf, Asks, AsksOf, BalanceOf, BidOf, BidTerms, Bids, BidsOf, Config, OrderId, PriceIndex,
	ResourceKind,
};
use alloc::vec::Vec;
use codec::{Decode, Encode};
use computility_market::matching;
use scale_info::TypeInfo;
use sp_runtime::traits::AccountIdConversion;

/// One price level of the book.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct Level<Balance> {
	/// Unit price per hour.
	pub unit_price: Balance,
	/// Units available at this price.
	pub units: u64,
	/// Asks at this price.
	pub asks: u32,
}

/// An ask recommended for some requirements, best first.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct Recommendation<Balance> {
	/// The ask.
	pub ask: OrderId,
	/// Its unit price.
	pub unit_price: Balance,
	/// Its performance per unit.
	pub performance: u32,
	/// Units it can supply.
	pub available: u32,
	/// Its provider's contribution score.
	pub score: i64,
	/// Units it would supply to a bid with these requirements placed now.
	pub would_fill: u32,
}

sp_api::decl_runtime_apis! {
	/// Queries of the order book.
	pub trait OrderApi<AccountId, Balance, Ask, Bid>
	where
		AccountId: codec::Codec,
		Balance: codec::Codec,
		Ask: codec::Codec,
		Bid: codec::Codec,
	{
		/// The cheapest `levels` price levels of the book for `kind` (reads at most 1,000 asks).
		fn depth(kind: ResourceKind, levels: u32) -> Vec<Level<Balance>>;
		/// An account's open asks and bids.
		fn open_orders(who: AccountId) -> (Vec<(OrderId, Ask)>, Vec<(OrderId, Bid)>);
		/// The asks that suit `requirements`, best first as matching would take them, at most
		/// `limit` (capped at 50).
		fn recommend(requirements: BidTerms<Balance>, limit: u32) -> Vec<Recommendation<Balance>>;
	}
}

impl<T: Config> crate::Pallet<T> {
	/// Runtime API: depth.
	pub fn depth(kind: ResourceKind, levels: u32) -> Vec<Level<BalanceOf<T>>> {
		let mut out: Vec<Level<BalanceOf<T>>> = Vec::new();
		for key in PriceIndex::<T>::iter_key_prefix(kind).take(1_000) {
			let id = crate::id_of_key(&key);
			let Some(a) = Asks::<T>::get(id) else { continue };
			match out.last_mut() {
				Some(l) if l.unit_price == a.unit_price => {
					l.units = l.units.saturating_add(a.available as u64);
					l.asks = l.asks.saturating_add(1);
				},
				_ => {
					if out.len() as u32 >= levels {
						break;
					}
					out.push(Level {
						unit_price: a.unit_price,
						units: a.available as u64,
						asks: 1,
					});
				},
			}
		}
		out
	}

	/// Runtime API: open orders.
	pub fn open_orders(who: T::AccountId) -> (Vec<(OrderId, AskOf<T>)>, Vec<(OrderId, BidOf<T>)>) {
		let asks = AsksOf::<T>::get(&who)
			.into_iter()
			.filter_map(|id| Asks::<T>::get(id).map(|a| (id, a)))
			.collect();
		let bids = BidsOf::<T>::get(&who)
			.into_iter()
			.filter_map(|id| Bids::<T>::get(id).map(|b| (id, b)))
			.collect();
		(asks, bids)
	}

	/// Runtime API: recommend asks for `terms`, in matching order.
	pub fn recommend(
		terms: BidTerms<BalanceOf<T>>,
		limit: u32,
	) -> Vec<Recommendation<BalanceOf<T>>> {
		let probe = crate::Bid {
			// A buyer no one controls, so that no ask is excluded as the buyer's own.
			buyer: frame_support::PalletId(*b"cu/recom").into_account_truncating(),
			terms,
			held: 0,
			expires_at: frame_system::Pallet::<T>::block_number(),
		};
		let (found, _) = Self::candidates(&probe, true);
		let req = matching::Requirements {
			quantity: terms.quantity,
			max_unit_price: terms.max_unit_price,
			min_performance: terms.min_performance,
			priority: terms.priority,
		};
		let mut ranked: Vec<matching::Candidate> =
			found.iter().map(|(c, _)| *c).filter(|c| matching::acceptable(&req, c)).collect();
		ranked.sort_by(|a, b| matching::rank(req.priority, a, b));
		let fills = matching::match_bid(&req, &ranked, ranked.len());
		ranked
			.into_iter()
			.take(limit.min(50) as usize)
			.map(|c| Recommendation {
				ask: c.id,
				unit_price: c.unit_price,
				performance: c.performance,
				available: c.available,
				score: c.score,
				would_fill: fills.iter().find(|f| f.ask == c.id).map_or(0, |f| f.quantity),
			})
			.collect()
	}
}
