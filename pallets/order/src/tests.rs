//! Unit tests: every call and error, matching through the real identity and agreement
//! pallets, money to the unit, and random sequences against the invariants.
use crate::{mock::*, *};
use computility_primitives::ResourceKind;
use frame_support::{
	assert_noop, assert_ok,
	traits::{fungible::InspectHold, Get},
};
use sp_runtime::DispatchError;

fn terms(quantity: u32, max_price: u128, hours: u32) -> BidTerms<u128> {
	BidTerms {
		kind: ResourceKind::Gpu,
		quantity,
		min_performance: 0,
		region: None,
		max_unit_price: max_price,
		hours,
		task_kind: 1,
		task_hash: [7u8; 32],
		sla: SlaTerms { availability_permille: 990, max_latency_ms: 50, min_throughput: 0 },
		priority: Priority::PriceFirst,
	}
}
/// What the tests' asks guarantee: covers what `terms` requires.
const OFFER: SlaTerms =
	SlaTerms { availability_permille: 999, max_latency_ms: 20, min_throughput: 1_000 };

fn ask(who: u64, quantity: u32, price: u128) -> OrderId {
	let r = resource(who, ResourceKind::Gpu, quantity.max(1), 100, "CN-GD");
	let id = NextOrderId::<Test>::get();
	assert_ok!(Order::place_ask(
		RuntimeOrigin::signed(who),
		r,
		quantity,
		price,
		1,
		10,
		0b10,
		OFFER,
		100
	));
	id
}
fn bid(who: u64, t: BidTerms<u128>) -> OrderId {
	let id = NextOrderId::<Test>::get();
	assert_ok!(Order::place_bid(RuntimeOrigin::signed(who), t, 100));
	id
}
fn bid_held(who: u64) -> u128 {
	Balances::balance_on_hold(&HoldReason::Bid.into(), &who)
}
fn escrow(who: u64) -> u128 {
	Balances::balance_on_hold(&pallet_agreement::HoldReason::Escrow.into(), &who)
}
fn matched() -> Vec<(OrderId, u32, u128)> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Order(Event::Matched { ask, quantity, unit_price, .. }) => {
				Some((ask, quantity, unit_price))
			},
			_ => None,
		})
		.collect()
}

#[test]
fn place_ask_indexes_and_emits() {
	build_and_execute(|| {
		let id = ask(P1, 4, 30);
		let a = Asks::<Test>::get(id).unwrap();
		assert_eq!(
			(a.available, a.unit_price, a.kind, a.region),
			(4, 30, ResourceKind::Gpu, region("CN-GD"))
		);
		assert!(PriceIndex::<Test>::contains_key(ResourceKind::Gpu, price_key(30, id)));
		assert_eq!(AsksOf::<Test>::get(P1).to_vec(), vec![id]);
		System::assert_last_event(
			Event::AskPlaced {
				id,
				provider: P1,
				resource: 0,
				quantity: 4,
				unit_price: 30,
				sla: OFFER,
			}
			.into(),
		);
	});
}

#[test]
fn place_ask_errors_change_nothing() {
	build_and_execute(|| {
		let r = resource(P1, ResourceKind::Gpu, 4, 100, "CN-GD");
		let o = RuntimeOrigin::signed(P1);
		assert_noop!(
			Order::place_ask(RuntimeOrigin::signed(OUTSIDER), r, 1, 1, 1, 1, 1, OFFER, 10),
			Error::<Test>::NotActiveParticipant
		);
		assert_noop!(
			Order::place_ask(RuntimeOrigin::signed(BUYER), r, 1, 1, 1, 1, 1, OFFER, 10),
			Error::<Test>::WrongRole
		);
		assert_noop!(
			Order::place_ask(o.clone(), 99, 1, 1, 1, 1, 1, OFFER, 10),
			Error::<Test>::UnknownResource
		);
		assert_noop!(
			Order::place_ask(RuntimeOrigin::signed(P2), r, 1, 1, 1, 1, 1, OFFER, 10),
			Error::<Test>::NotResourceOwner
		);
		assert_noop!(
			Order::place_ask(o.clone(), r, 0, 1, 1, 1, 1, OFFER, 10),
			Error::<Test>::InvalidOrder
		);
		assert_noop!(
			Order::place_ask(o.clone(), r, 1, 0, 1, 1, 1, OFFER, 10),
			Error::<Test>::InvalidOrder
		);
		assert_noop!(
			Order::place_ask(o.clone(), r, 1, 1, 3, 2, 1, OFFER, 10),
			Error::<Test>::InvalidOrder
		);
		assert_noop!(
			Order::place_ask(o.clone(), r, 1, 1, 1, 1, 0, OFFER, 10),
			Error::<Test>::InvalidOrder
		);
		assert_noop!(
			Order::place_ask(o.clone(), r, 5, 1, 1, 1, 1, OFFER, 10),
			Error::<Test>::ExceedsResource
		);
		assert_noop!(
			Order::place_ask(o.clone(), r, 1, 1, 1, 101, 1, OFFER, 10),
			Error::<Test>::TooLong
		);
		assert_noop!(
			Order::place_ask(o.clone(), r, 1, 1, 1, 1, 1, OFFER, 1_001),
			Error::<Test>::TooLong
		);
		assert_noop!(
			Order::place_ask(RuntimeOrigin::none(), r, 1, 1, 1, 1, 1, OFFER, 10),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Order::place_ask(
				o.clone(),
				r,
				1,
				1,
				1,
				1,
				1,
				SlaTerms { availability_permille: 1001, ..OFFER },
				10
			),
			Error::<Test>::InvalidServiceLevels
		);
		// Four units: asks may offer four in all, whatever their number.
		for _ in 0..3 {
			assert_ok!(Order::place_ask(o.clone(), r, 1, 1, 1, 1, 1, OFFER, 10));
		}
		assert_noop!(
			Order::place_ask(o.clone(), r, 2, 1, 1, 1, 1, OFFER, 10),
			Error::<Test>::CapacityTaken
		);
		assert_ok!(Order::place_ask(o.clone(), r, 1, 1, 1, 1, 1, OFFER, 10));
		assert_noop!(
			Order::place_ask(o.clone(), r, 1, 1, 1, 1, 1, OFFER, 10),
			Error::<Test>::CapacityTaken
		);
		let big = resource(P1, ResourceKind::Gpu, 1_000, 100, "CN-GD");
		for _ in 4..<Test as Config>::MaxAsksPerAccount::get() {
			assert_ok!(Order::place_ask(o.clone(), big, 1, 1, 1, 1, 1, OFFER, 10));
		}
		assert_noop!(
			Order::place_ask(o.clone(), big, 1, 1, 1, 1, 1, OFFER, 10),
			Error::<Test>::TooManyOrders
		);
		let retired = resource(P2, ResourceKind::Gpu, 4, 100, "CN-GD");
		assert_ok!(Identity::retire_resource(RuntimeOrigin::signed(P2), retired));
		assert_noop!(
			Order::place_ask(RuntimeOrigin::signed(P2), retired, 1, 1, 1, 1, 1, OFFER, 10),
			Error::<Test>::ResourceRetired
		);
	});
}

#[test]
fn bid_fills_cheapest_first_across_providers_and_escrows_exactly() {
	build_and_execute(|| {
		let a1 = ask(P1, 3, 30);
		let a2 = ask(P2, 2, 10);
		let a3 = ask(P3, 5, 20);
		let free_before = Balances::free_balance(BUYER);
		let b = bid(BUYER, terms(6, 40, 2));
		// 2 @ 10 from P2, 4 @ 20 from P3; P1 untouched.
		assert_eq!(matched(), vec![(a2, 2, 10), (a3, 4, 20)]);
		assert!(Bids::<Test>::get(b).is_none());
		assert!(Asks::<Test>::get(a2).is_none(), "fully matched ask leaves the book");
		assert_eq!(Asks::<Test>::get(a3).unwrap().available, 1);
		assert_eq!(Asks::<Test>::get(a1).unwrap().available, 3);
		let cost = 2 * 10 * 2 + 4 * 20 * 2;
		assert_eq!(escrow(BUYER), cost);
		assert_eq!(bid_held(BUYER), 0);
		assert_eq!(Balances::free_balance(BUYER), free_before - cost);
		System::assert_has_event(Event::BidFilled { id: b }.into());
		System::assert_has_event(Event::AskFilled { id: a2 }.into());
		assert_eq!(pallet_agreement::AgreementsOf::<Test>::get(BUYER).len(), 2);
	});
}

#[test]
fn remainder_rests_with_exact_hold_until_an_ask_arrives() {
	build_and_execute(|| {
		ask(P1, 2, 10);
		let b = bid(BUYER, terms(5, 15, 3));
		let rest = Bids::<Test>::get(b).unwrap();
		assert_eq!(rest.terms.quantity, 3);
		assert_eq!(rest.held, 15 * 3 * 3);
		assert_eq!(bid_held(BUYER), 135);
		assert_eq!(escrow(BUYER), 10 * 2 * 3);
		// An arriving ask fills the resting remainder at once; nothing is left to rematch.
		let a = ask(P2, 4, 12);
		assert!(Bids::<Test>::get(b).is_none());
		assert_noop!(
			Order::rematch_bid(RuntimeOrigin::signed(BUYER), b),
			Error::<Test>::UnknownBid
		);
		assert_eq!(Asks::<Test>::get(a).unwrap().available, 1);
		assert_eq!(bid_held(BUYER), 0);
		assert_eq!(escrow(BUYER), 60 + 12 * 3 * 3);
	});
}

#[test]
fn requirements_are_respected() {
	build_and_execute(|| {
		let slow = resource(P1, ResourceKind::Gpu, 4, 10, "CN-GD");
		assert_ok!(Order::place_ask(
			RuntimeOrigin::signed(P1),
			slow,
			4,
			5,
			1,
			10,
			0b10,
			OFFER,
			100
		));
		let far = resource(P2, ResourceKind::Gpu, 4, 500, "EU-DE");
		assert_ok!(Order::place_ask(RuntimeOrigin::signed(P2), far, 4, 6, 1, 10, 0b10, OFFER, 100));
		let short = resource(P3, ResourceKind::Gpu, 4, 500, "CN-GD");
		assert_ok!(Order::place_ask(
			RuntimeOrigin::signed(P3),
			short,
			4,
			7,
			1,
			2,
			0b10,
			OFFER,
			100
		));
		let wrong_task = resource(P3, ResourceKind::Gpu, 4, 500, "CN-GD");
		assert_ok!(Order::place_ask(
			RuntimeOrigin::signed(P3),
			wrong_task,
			4,
			8,
			1,
			10,
			0b100,
			OFFER,
			100
		));
		let cpu = resource(P3, ResourceKind::Cpu, 4, 500, "CN-GD");
		assert_ok!(Order::place_ask(RuntimeOrigin::signed(P3), cpu, 4, 1, 1, 10, 0b10, OFFER, 100));
		let good = resource(P3, ResourceKind::Gpu, 4, 500, "CN-GD");
		let g = NextOrderId::<Test>::get();
		assert_ok!(Order::place_ask(
			RuntimeOrigin::signed(P3),
			good,
			4,
			9,
			1,
			10,
			0b10,
			OFFER,
			100
		));
		let t = BidTerms { min_performance: 100, region: Some(region("CN-GD")), ..terms(2, 20, 5) };
		bid(BUYER, t);
		assert_eq!(matched(), vec![(g, 2, 9)]);
	});
}

#[test]
fn performance_first_and_score_ties() {
	build_and_execute(|| {
		let r1 = resource(P1, ResourceKind::Gpu, 2, 100, "CN-GD");
		let r2 = resource(P2, ResourceKind::Gpu, 2, 900, "CN-GD");
		let r3 = resource(P3, ResourceKind::Gpu, 2, 100, "CN-GD");
		let a1 = NextOrderId::<Test>::get();
		assert_ok!(Order::place_ask(RuntimeOrigin::signed(P1), r1, 2, 10, 1, 10, 0b10, OFFER, 100));
		let a2 = a1 + 1;
		assert_ok!(Order::place_ask(RuntimeOrigin::signed(P2), r2, 2, 30, 1, 10, 0b10, OFFER, 100));
		let a3 = a1 + 2;
		assert_ok!(Order::place_ask(RuntimeOrigin::signed(P3), r3, 2, 10, 1, 10, 0b10, OFFER, 100));
		set_score(P3, 5);
		bid(BUYER, BidTerms { priority: Priority::PerformanceFirst, ..terms(4, 30, 1) });
		// Fastest first (P2), then among equal performance and price the higher score (P3).
		assert_eq!(matched(), vec![(a2, 2, 30), (a3, 2, 10)]);
		System::reset_events();
		bid(BUYER2, terms(2, 30, 1));
		assert_eq!(matched(), vec![(a1, 2, 10)]);
	});
}

#[test]
fn fills_per_match_are_bounded() {
	build_and_execute(|| {
		for p in [P1, P2, P3] {
			ask(p, 1, 10);
		}
		let extra = resource(P1, ResourceKind::Gpu, 1, 100, "CN-GD");
		assert_ok!(Order::place_ask(
			RuntimeOrigin::signed(P1),
			extra,
			1,
			10,
			1,
			10,
			0b10,
			OFFER,
			100
		));
		let b = bid(BUYER, terms(4, 10, 1));
		assert_eq!(matched().len(), 3, "MaxFills is 3");
		assert_eq!(Bids::<Test>::get(b).unwrap().terms.quantity, 1);
	});
}

#[test]
fn own_asks_expired_asks_and_suspended_providers_are_skipped() {
	build_and_execute(|| {
		let r = resource(P1, ResourceKind::Gpu, 2, 100, "CN-GD");
		assert_ok!(Order::place_ask(RuntimeOrigin::signed(P1), r, 2, 10, 1, 10, 0b10, OFFER, 5));
		ask(P2, 2, 11);
		assert_ok!(Identity::suspend(RuntimeOrigin::root(), P2));
		System::set_block_number(7);
		let b = bid(BUYER, terms(2, 20, 1));
		assert!(matched().is_empty());
		assert_eq!(Bids::<Test>::get(b).unwrap().terms.quantity, 2);
	});
}

#[test]
fn place_bid_errors_change_nothing() {
	build_and_execute(|| {
		let o = RuntimeOrigin::signed(BUYER);
		assert_noop!(
			Order::place_bid(RuntimeOrigin::signed(OUTSIDER), terms(1, 1, 1), 10),
			Error::<Test>::NotActiveParticipant
		);
		assert_noop!(
			Order::place_bid(RuntimeOrigin::signed(P1), terms(1, 1, 1), 10),
			Error::<Test>::WrongRole
		);
		assert_noop!(Order::place_bid(o.clone(), terms(0, 1, 1), 10), Error::<Test>::InvalidOrder);
		assert_noop!(Order::place_bid(o.clone(), terms(1, 0, 1), 10), Error::<Test>::InvalidOrder);
		assert_noop!(Order::place_bid(o.clone(), terms(1, 1, 0), 10), Error::<Test>::InvalidOrder);
		assert_noop!(
			Order::place_bid(o.clone(), BidTerms { task_kind: 32, ..terms(1, 1, 1) }, 10),
			Error::<Test>::InvalidOrder
		);
		assert_noop!(Order::place_bid(o.clone(), terms(1, 1, 101), 10), Error::<Test>::TooLong);
		assert_noop!(Order::place_bid(o.clone(), terms(1, 1, 1), 1_001), Error::<Test>::TooLong);
		assert_noop!(
			Order::place_bid(o.clone(), terms(1, 2_000_000, 1), 10),
			Error::<Test>::InsufficientBalance
		);
		assert_noop!(
			Order::place_bid(o.clone(), terms(u32::MAX, u128::MAX / 2, 100), 10),
			sp_runtime::ArithmeticError::Overflow
		);
		let over = SlaTerms { availability_permille: 1001, ..terms(1, 1, 1).sla };
		assert_noop!(
			Order::place_bid(o.clone(), BidTerms { sla: over, ..terms(1, 1, 1) }, 10),
			Error::<Test>::InvalidServiceLevels
		);
		for _ in 0..4 {
			assert_ok!(Order::place_bid(o.clone(), terms(1, 1, 1), 10));
		}
		assert_noop!(Order::place_bid(o, terms(1, 1, 1), 10), Error::<Test>::TooManyOrders);
	});
}

#[test]
fn cancel_and_amend() {
	build_and_execute(|| {
		let a = ask(P1, 2, 50);
		let b = bid(BUYER, terms(2, 20, 2));
		assert_eq!(bid_held(BUYER), 80);
		assert_noop!(Order::cancel_bid(RuntimeOrigin::signed(BUYER2), b), Error::<Test>::NotOwner);
		assert_noop!(Order::cancel_ask(RuntimeOrigin::signed(P2), a), Error::<Test>::NotOwner);
		assert_noop!(
			Order::cancel_bid(RuntimeOrigin::signed(BUYER), 99),
			Error::<Test>::UnknownBid
		);
		assert_noop!(Order::cancel_ask(RuntimeOrigin::signed(P1), 99), Error::<Test>::UnknownAsk);
		assert_noop!(
			Order::amend_ask_price(RuntimeOrigin::signed(P1), a, 0),
			Error::<Test>::InvalidOrder
		);
		assert_noop!(
			Order::amend_bid_price(RuntimeOrigin::signed(BUYER), b, 0),
			Error::<Test>::InvalidOrder
		);
		assert_noop!(
			Order::amend_bid_price(RuntimeOrigin::signed(BUYER), b, 1_000_000),
			Error::<Test>::InsufficientBalance
		);
		// Lower the ask: still above the bid. Raise the bid: it matches.
		assert_ok!(Order::amend_ask_price(RuntimeOrigin::signed(P1), a, 30));
		assert!(PriceIndex::<Test>::contains_key(ResourceKind::Gpu, price_key(30, a)));
		System::assert_last_event(Event::PriceAmended { id: a, unit_price: 30 }.into());
		assert!(matched().is_empty());
		assert_ok!(Order::amend_bid_price(RuntimeOrigin::signed(BUYER), b, 30));
		assert_eq!(matched(), vec![(a, 2, 30)]);
		assert_eq!(escrow(BUYER), 120);
		assert_eq!(bid_held(BUYER), 0);
		// Cancel a fresh bid: everything released.
		let b2 = bid(BUYER, terms(3, 10, 1));
		assert_ok!(Order::cancel_bid(RuntimeOrigin::signed(BUYER), b2));
		System::assert_last_event(Event::Cancelled { id: b2, released: 30 }.into());
		assert_eq!(bid_held(BUYER), 0);
		let a2 = ask(P2, 1, 5);
		assert_ok!(Order::cancel_ask(RuntimeOrigin::signed(P2), a2));
		assert!(Asks::<Test>::get(a2).is_none());
	});
}

#[test]
fn expiry() {
	build_and_execute(|| {
		let a = ask(P1, 2, 50);
		let b = bid(BUYER, terms(2, 20, 2));
		assert_noop!(Order::expire(RuntimeOrigin::signed(OUTSIDER), a), Error::<Test>::NotExpired);
		assert_noop!(Order::expire(RuntimeOrigin::signed(OUTSIDER), b), Error::<Test>::NotExpired);
		assert_noop!(Order::expire(RuntimeOrigin::signed(OUTSIDER), 99), Error::<Test>::UnknownBid);
		System::set_block_number(200);
		assert_noop!(
			Order::rematch_bid(RuntimeOrigin::signed(BUYER), b),
			Error::<Test>::OrderExpired
		);
		assert_noop!(
			Order::amend_ask_price(RuntimeOrigin::signed(P1), a, 10),
			Error::<Test>::OrderExpired
		);
		assert_noop!(
			Order::amend_bid_price(RuntimeOrigin::signed(BUYER), b, 10),
			Error::<Test>::OrderExpired
		);
		assert_noop!(Order::rematch_bid(RuntimeOrigin::signed(BUYER2), b), Error::<Test>::NotOwner);
		assert_ok!(Order::expire(RuntimeOrigin::signed(OUTSIDER), a));
		assert_ok!(Order::expire(RuntimeOrigin::signed(OUTSIDER), b));
		System::assert_last_event(Event::Expired { id: b, released: 80 }.into());
		assert_eq!(bid_held(BUYER), 0);
	});
}

#[test]
fn queries() {
	build_and_execute(|| {
		ask(P1, 2, 10);
		ask(P2, 3, 10);
		let a3 = ask(P3, 1, 20);
		let depth = Order::depth(ResourceKind::Gpu, 5);
		assert_eq!(depth.len(), 2);
		assert_eq!((depth[0].unit_price, depth[0].units, depth[0].asks), (10, 5, 2));
		assert_eq!((depth[1].unit_price, depth[1].units), (20, 1));
		let rec = Order::recommend(terms(6, 20, 1), 10);
		assert_eq!(rec.len(), 3);
		assert_eq!(rec.iter().map(|r| r.would_fill).sum::<u32>(), 6);
		assert_eq!(rec[2].ask, a3);
		let b = bid(BUYER, terms(1, 5, 1));
		let (asks, bids) = Order::open_orders(BUYER);
		assert!(asks.is_empty());
		assert_eq!(bids[0].0, b);
		assert_eq!(Order::open_orders(P1).0.len(), 1);
	});
}

// ---- service levels offered by the provider ----------------------------------------------------

#[test]
fn bids_match_only_asks_whose_service_levels_cover_theirs() {
	build_and_execute(|| {
		let weak = SlaTerms { availability_permille: 950, max_latency_ms: 0, min_throughput: 0 };
		let r1 = resource(P1, ResourceKind::Gpu, 4, 100, "CN-GD");
		let cheap = NextOrderId::<Test>::get();
		assert_ok!(Order::place_ask(RuntimeOrigin::signed(P1), r1, 4, 5, 1, 10, 0b10, weak, 100));
		let strong = ask(P2, 4, 9);
		// The bid requires 990 per mille and 50 ms: only the stronger (dearer) ask covers it.
		let b = bid(BUYER, terms(2, 20, 1));
		assert_eq!(matched(), vec![(strong, 2, 9)]);
		assert!(Bids::<Test>::get(b).is_none());
		// The agreement records the levels the provider guaranteed.
		let a = pallet_agreement::Agreements::<Test>::get(0).unwrap();
		assert_eq!(a.sla, OFFER);
		// A bid asking for more than any ask guarantees rests; one within the weak ask matches it.
		System::reset_events();
		let strict = SlaTerms { availability_permille: 1000, ..terms(1, 1, 1).sla };
		let rests = bid(BUYER, BidTerms { sla: strict, ..terms(1, 20, 1) });
		assert!(matched().is_empty());
		assert!(Bids::<Test>::get(rests).is_some());
		bid(BUYER2, BidTerms { sla: weak, ..terms(1, 20, 1) });
		assert_eq!(matched(), vec![(cheap, 1, 5)]);
		assert_eq!(pallet_agreement::Agreements::<Test>::get(1).unwrap().sla, weak);
	});
}

// ---- capacity that cannot be oversold -------------------------------------------------------------

fn spec(quantity: u32, performance: u32, reg: &str) -> pallet_consortium_identity::ResourceSpec {
	pallet_consortium_identity::ResourceSpec {
		quantity,
		performance,
		region: region(reg),
		green_percent: 50,
		security_level: 2,
	}
}

#[test]
fn offered_plus_leased_never_exceeds_the_resource() {
	build_and_execute(|| {
		let r = resource(P1, ResourceKind::Gpu, 4, 100, "CN-GD");
		let o = RuntimeOrigin::signed(P1);
		let a1 = NextOrderId::<Test>::get();
		assert_ok!(Order::place_ask(o.clone(), r, 3, 10, 1, 10, 0b10, OFFER, 100));
		assert_noop!(
			Order::place_ask(o.clone(), r, 2, 10, 1, 10, 0b10, OFFER, 100),
			Error::<Test>::CapacityTaken
		);
		// Two units leased: offered 1 + leased 2 = 3 of 4, so one more unit may be offered.
		bid(BUYER, terms(2, 20, 1));
		assert_eq!(Offered::<Test>::get(r), Some(1));
		assert_eq!(pallet_agreement::LeasedUnits::<Test>::get(r), Some(2));
		let a2 = NextOrderId::<Test>::get();
		assert_ok!(Order::place_ask(o.clone(), r, 1, 10, 1, 10, 0b10, OFFER, 100));
		assert_noop!(
			Order::place_ask(o.clone(), r, 1, 10, 1, 10, 0b10, OFFER, 100),
			Error::<Test>::CapacityTaken
		);
		// The resource may not shrink below what is leased...
		assert_noop!(
			Identity::update_resource(o.clone(), r, spec(1, 100, "CN-GD")),
			pallet_consortium_identity::Error::<Test>::ResourceLeased
		);
		// ...and shrinking it trims its asks, newest first, to what is free.
		System::reset_events();
		assert_ok!(Identity::update_resource(o.clone(), r, spec(3, 100, "CN-GD")));
		System::assert_has_event(Event::AskWithdrawn { id: a2 }.into());
		assert_eq!(Asks::<Test>::get(a1).unwrap().available, 1);
		assert_eq!(Offered::<Test>::get(r), Some(1));
		// The lease ends: its units are free again.
		assert_ok!(pallet_agreement::Pallet::<Test>::terminate(RuntimeOrigin::signed(BUYER), 0));
		assert_eq!(pallet_agreement::LeasedUnits::<Test>::get(r), None);
		assert_ok!(Order::place_ask(o, r, 2, 10, 1, 10, 0b10, OFFER, 100));
	});
}

#[test]
fn retiring_a_resource_withdraws_its_asks() {
	build_and_execute(|| {
		let r = resource(P1, ResourceKind::Gpu, 4, 100, "CN-GD");
		let other = ask(P1, 1, 10);
		let a = NextOrderId::<Test>::get();
		assert_ok!(Order::place_ask(RuntimeOrigin::signed(P1), r, 2, 5, 1, 10, 0b10, OFFER, 100));
		assert_ok!(Order::place_ask(RuntimeOrigin::signed(P1), r, 2, 6, 1, 10, 0b10, OFFER, 100));
		assert_ok!(Identity::retire_resource(RuntimeOrigin::signed(P1), r));
		System::assert_has_event(Event::AskWithdrawn { id: a }.into());
		System::assert_has_event(Event::AskWithdrawn { id: a + 1 }.into());
		assert_eq!(Offered::<Test>::get(r), None);
		assert!(Asks::<Test>::get(other).is_some(), "asks on other resources stay");
		bid(BUYER, terms(1, 20, 1));
		assert_eq!(matched(), vec![(other, 1, 10)], "a retired resource's asks never match");
	});
}

#[test]
fn matching_reads_the_resources_current_specification() {
	build_and_execute(|| {
		let r = resource(P1, ResourceKind::Gpu, 4, 100, "CN-GD");
		let a = NextOrderId::<Test>::get();
		assert_ok!(Order::place_ask(RuntimeOrigin::signed(P1), r, 4, 5, 1, 10, 0b10, OFFER, 100));
		let fast =
			BidTerms { min_performance: 500, region: Some(region("EU-DE")), ..terms(1, 20, 1) };
		let b = bid(BUYER, fast);
		assert!(matched().is_empty());
		// The provider upgrades and moves the resource: its ask follows, in the index too.
		assert_ok!(Identity::update_resource(RuntimeOrigin::signed(P1), r, spec(4, 900, "EU-DE")));
		System::assert_has_event(
			Event::AskAdjusted { id: a, available: 4, performance: 900, region: region("EU-DE") }
				.into(),
		);
		assert!(PerformanceIndex::<Test>::contains_key(
			ResourceKind::Gpu,
			performance_key(900, 5, a)
		));
		assert_ok!(Order::rematch_bid(RuntimeOrigin::signed(BUYER), b));
		assert_eq!(matched(), vec![(a, 1, 5)]);
		// Downgraded again: a bid wanting the old performance no longer matches it.
		assert_ok!(Identity::update_resource(RuntimeOrigin::signed(P1), r, spec(4, 50, "EU-DE")));
		System::reset_events();
		bid(BUYER2, BidTerms { min_performance: 100, ..terms(1, 20, 1) });
		assert!(matched().is_empty());
	});
}

// ---- two-sided continuous matching ---------------------------------------------------------------

#[test]
fn an_arriving_ask_fills_resting_bids_best_first_at_its_price() {
	build_and_execute(|| {
		let low = bid(BUYER, terms(2, 20, 1));
		let high = bid(BUYER2, terms(1, 30, 1));
		let late = bid(BUYER, terms(2, 20, 1));
		let too_low = bid(BUYER2, terms(5, 4, 1));
		assert!(matched().is_empty());
		let held_before = bid_held(BUYER);
		let a = ask(P1, 4, 5);
		// Highest price first (30), then the older of the two at 20; all at the ask's price 5.
		assert_eq!(matched(), vec![(a, 1, 5), (a, 2, 5), (a, 1, 5)]);
		let ev: Vec<_> = System::events()
			.into_iter()
			.filter_map(|r| match r.event {
				RuntimeEvent::Order(Event::Matched { bid, .. }) => Some(bid),
				_ => None,
			})
			.collect();
		assert_eq!(ev, vec![high, low, late]);
		assert!(Bids::<Test>::get(high).is_none() && Bids::<Test>::get(low).is_none());
		assert_eq!(Bids::<Test>::get(late).unwrap().terms.quantity, 1);
		assert_eq!(Bids::<Test>::get(too_low).unwrap().terms.quantity, 5);
		System::assert_has_event(Event::AskFilled { id: a }.into());
		// BUYER's hold: 2 units × 20 × 1 h released for `low`, 1 unit for `late`; escrow at 5.
		assert_eq!(bid_held(BUYER), held_before - 2 * 20 - 20);
		assert_eq!(escrow(BUYER), 3 * 5);
		// A lowered ask price fills what it now satisfies.
		System::reset_events();
		let b = ask(P2, 5, 6);
		assert_eq!(matched(), vec![(b, 1, 6)], "fills `late`; `too_low` wants at most 4");
		assert_ok!(Order::amend_ask_price(RuntimeOrigin::signed(P2), b, 4));
		assert_eq!(matched(), vec![(b, 1, 6), (b, 4, 4)]);
		assert_eq!(Bids::<Test>::get(too_low).unwrap().terms.quantity, 1);
	});
}

#[test]
fn a_suspended_buyers_resting_bid_is_not_filled() {
	build_and_execute(|| {
		let b = bid(BUYER, terms(2, 20, 1));
		assert_ok!(Identity::suspend(RuntimeOrigin::root(), BUYER));
		let a = ask(P1, 2, 5);
		assert!(matched().is_empty());
		assert_eq!(Bids::<Test>::get(b).unwrap().terms.quantity, 2);
		assert_eq!(Asks::<Test>::get(a).unwrap().available, 2);
		assert_ok!(Identity::reinstate(RuntimeOrigin::root(), BUYER));
		assert_ok!(Order::rematch_bid(RuntimeOrigin::signed(BUYER), b));
		assert_eq!(matched(), vec![(a, 2, 5)]);
	});
}

// ---- matching no one can block -------------------------------------------------------------------

/// Make `provider` take part in as many running agreements as allowed (all with BUYER).
fn fill_agreement_limit(provider: u64) {
	let max = <Test as pallet_agreement::Config>::MaxAgreementsPerAccount::get();
	let r = resource(provider, ResourceKind::Cpu, max, 100, "CN-GD");
	assert_ok!(Order::place_ask(
		RuntimeOrigin::signed(provider),
		r,
		max,
		1,
		1,
		10,
		0b10,
		OFFER,
		100
	));
	for _ in 0..max {
		bid(BUYER, BidTerms { kind: ResourceKind::Cpu, ..terms(1, 1, 1) });
	}
	assert!(!<pallet_agreement::Pallet<Test> as computility_primitives::AgreementFactory<
		u64,
		u128,
	>>::has_room(&provider));
}

#[test]
fn a_provider_at_its_agreement_limit_is_skipped_not_a_failure() {
	build_and_execute(|| {
		fill_agreement_limit(P1);
		// P1's ask is the cheapest, first in the index; P2's comes after.
		let full = ask(P1, 2, 5);
		let open = ask(P2, 2, 8);
		System::reset_events();
		let b = bid(BUYER2, terms(2, 20, 1));
		assert_eq!(matched(), vec![(open, 2, 8)]);
		assert!(Bids::<Test>::get(b).is_none());
		assert_eq!(Asks::<Test>::get(full).unwrap().available, 2);
		// An ask of a full provider arriving does not fail either: it rests.
		let resting = bid(BUYER2, terms(1, 20, 1));
		System::reset_events();
		let r = resource(P1, ResourceKind::Gpu, 1, 100, "CN-GD");
		assert_ok!(Order::place_ask(RuntimeOrigin::signed(P1), r, 1, 5, 1, 10, 0b10, OFFER, 100));
		assert!(matched().is_empty());
		assert!(Bids::<Test>::get(resting).is_some());
	});
}

#[test]
fn a_buyer_running_out_of_room_mid_match_keeps_the_rest_resting() {
	build_and_execute(|| {
		let max = <Test as pallet_agreement::Config>::MaxAgreementsPerAccount::get();
		// BUYER2 takes part in all but two of the agreements it may; three asks would fill its bid.
		for p in [P1, P2] {
			let rr = resource(p, ResourceKind::Storage, max, 100, "CN-GD");
			assert_ok!(Order::place_ask(
				RuntimeOrigin::signed(p),
				rr,
				max,
				1,
				1,
				10,
				0b10,
				OFFER,
				100
			));
		}
		for _ in 0..max - 2 {
			let t = BidTerms { kind: ResourceKind::Storage, ..terms(1, 1, 1) };
			assert_ok!(Order::place_bid(RuntimeOrigin::signed(BUYER2), t, 100));
		}
		System::reset_events();
		let a1 = ask(P1, 1, 5);
		let a2 = ask(P2, 1, 6);
		let extra = resource(P1, ResourceKind::Gpu, 1, 100, "CN-GD");
		let a3 = NextOrderId::<Test>::get();
		assert_ok!(Order::place_ask(
			RuntimeOrigin::signed(P1),
			extra,
			1,
			7,
			1,
			10,
			0b10,
			OFFER,
			100
		));
		let b = bid(BUYER2, terms(3, 20, 1));
		assert_eq!(matched(), vec![(a1, 1, 5), (a2, 1, 6)]);
		assert_eq!(Bids::<Test>::get(b).unwrap().terms.quantity, 1);
		assert!(Asks::<Test>::get(a3).is_some());
	});
}

#[test]
fn cheap_ineligible_asks_at_the_front_do_not_hide_the_others() {
	build_and_execute(|| {
		// 64 cheap asks the bid cannot use (another task kind), then an honest one.
		let junk = resource(P1, ResourceKind::Gpu, 64, 100, "CN-GD");
		for _ in 0..64 {
			assert_ok!(Order::place_ask(
				RuntimeOrigin::signed(P1),
				junk,
				1,
				1,
				1,
				10,
				0b100,
				OFFER,
				100
			));
		}
		let far = resource(P3, ResourceKind::Gpu, 4, 100, "EU-DE");
		assert_ok!(Order::place_ask(RuntimeOrigin::signed(P3), far, 4, 2, 1, 10, 0b10, OFFER, 100));
		let honest = ask(P2, 2, 9);
		System::reset_events();
		let t = BidTerms { region: Some(region("CN-GD")), ..terms(2, 20, 1) };
		let res = Order::place_bid(RuntimeOrigin::signed(BUYER), t, 100).unwrap();
		assert_eq!(matched(), vec![(honest, 2, 9)]);
		// The weight charged is what was read: 65 passed over plus the one filled.
		assert_eq!(res.actual_weight, Some(<() as WeightInfo>::place_bid(65, 1)));
	});
}

#[test]
fn the_scan_is_bounded_and_charged() {
	build_and_execute(|| {
		let skip = <Test as Config>::MaxSkip::get();
		let junk = resource(P1, ResourceKind::Gpu, skip, 100, "CN-GD");
		for _ in 0..skip {
			assert_ok!(Order::place_ask(
				RuntimeOrigin::signed(P1),
				junk,
				1,
				1,
				1,
				10,
				0b100,
				OFFER,
				100
			));
		}
		let honest = ask(P2, 2, 9);
		System::reset_events();
		// Past MaxSkip unusable entries the scan stops (charged in full); the bid rests, and
		// the full weight is what was declared.
		let res = Order::place_bid(RuntimeOrigin::signed(BUYER), terms(2, 20, 1), 100).unwrap();
		assert!(matched().is_empty());
		let declared = <() as WeightInfo>::place_bid(Order::max_read() - 3, 3);
		assert_eq!(res.actual_weight, Some(<() as WeightInfo>::place_bid(skip, 0)));
		assert!(res.actual_weight.unwrap().all_lte(declared));
		// Once the junk is withdrawn the resting bid finds the honest ask.
		for id in 0..skip as u64 {
			assert_ok!(Order::cancel_ask(RuntimeOrigin::signed(P1), id));
		}
		assert_ok!(Order::rematch_bid(RuntimeOrigin::signed(BUYER), honest + 1));
		assert_eq!(matched(), vec![(honest, 2, 9)]);
	});
}

#[test]
fn unused_weight_is_refunded() {
	build_and_execute(|| {
		let res = Order::place_bid(RuntimeOrigin::signed(BUYER), terms(2, 20, 1), 100).unwrap();
		assert_eq!(res.actual_weight, Some(<() as WeightInfo>::place_bid(0, 0)));
		let a = Order::place_ask(
			RuntimeOrigin::signed(P1),
			resource(P1, ResourceKind::Gpu, 4, 100, "CN-GD"),
			4,
			5,
			1,
			10,
			0b10,
			OFFER,
			100,
		)
		.unwrap();
		assert_eq!(
			a.actual_weight,
			Some(<() as WeightInfo>::place_ask(0, 1)),
			"it filled the resting bid"
		);
	});
}

mod sequences {
	use super::*;
	use proptest::prelude::*;

	#[derive(Debug, Clone)]
	enum Op {
		Ask(u8, u32, u128, u8),
		Bid(bool, u32, u128, u32, bool),
		CancelAsk(u8, u64),
		CancelBid(bool, u64),
		AmendAsk(u8, u64, u128),
		AmendBid(bool, u64, u128),
		Rematch(bool, u64),
		Advance(u64),
		Expire(u64),
		Terminate(bool, u64),
		Update(u8, u32, u32),
		Retire(u8),
	}

	fn op() -> impl Strategy<Value = Op> {
		prop_oneof![
			3 => (0u8..3, 0u32..5, 0u128..60, 0u8..3).prop_map(|(p, q, pr, life)| Op::Ask(p, q, pr, life)),
			3 => (any::<bool>(), 0u32..8, 0u128..60, 0u32..4, any::<bool>()).prop_map(|(b, q, pr, h, pf)| Op::Bid(b, q, pr, h, pf)),
			1 => (0u8..3, 0u64..30).prop_map(|(p, i)| Op::CancelAsk(p, i)),
			1 => (any::<bool>(), 0u64..30).prop_map(|(b, i)| Op::CancelBid(b, i)),
			1 => (0u8..3, 0u64..30, 0u128..60).prop_map(|(p, i, pr)| Op::AmendAsk(p, i, pr)),
			1 => (any::<bool>(), 0u64..30, 0u128..60).prop_map(|(b, i, pr)| Op::AmendBid(b, i, pr)),
			1 => (any::<bool>(), 0u64..30).prop_map(|(b, i)| Op::Rematch(b, i)),
			1 => (0u64..40).prop_map(Op::Advance),
			1 => (0u64..30).prop_map(Op::Expire),
			1 => (any::<bool>(), 0u64..10).prop_map(|(b, i)| Op::Terminate(b, i)),
			1 => (0u8..3, 0u32..7, 50u32..150).prop_map(|(p, q, perf)| Op::Update(p, q, perf)),
			1 => (0u8..3).prop_map(Op::Retire),
		]
	}

	proptest! {
		#![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]
		/// Random trading with random resource updates and retirements: failed calls change
		/// nothing; bid holds, escrow, indexes and lists stay consistent; no resource is ever
		/// oversold (offered plus leased units within its quantity, checked by try_state after
		/// every call); the book never hands out more capacity than asks offered; no balance is
		/// created or lost across order, agreement and identity.
		#[test]
		fn random_trading_conserves_money(ops in proptest::collection::vec(op(), 1..40)) {
			new_test_ext(true).execute_with(|| {
				let issuance = pallet_balances::TotalIssuance::<Test>::get();
				let providers = [P1, P2, P3];
				let mut resources: Vec<_> = providers.iter().map(|p| resource(*p, ResourceKind::Gpu, 4, 100, "CN-GD")).collect();
				let mut offered: u64 = 0;
				for op in ops {
					let before = sp_io::storage::root(sp_runtime::StateVersion::V1);
					let buyer = |b: bool| if b { BUYER } else { BUYER2 };
					let res = match op {
						Op::Ask(p, q, pr, life) => {
							let r = frame_support::storage::with_storage_layer(|| Order::place_ask(RuntimeOrigin::signed(providers[p as usize]), resources[p as usize], q, pr, 1, 3, 0b10, OFFER, [5u64, 50, 500][life as usize]).map(|_| ()).map_err(|e| e.error));
							if r.is_ok() { offered += q as u64; }
							r
						},
						Op::Bid(b, q, pr, h, pf) => Order::place_bid(RuntimeOrigin::signed(buyer(b)), BidTerms {
							priority: if pf { Priority::PerformanceFirst } else { Priority::PriceFirst }, ..terms(q, pr, h) }, 50).map(|_| ()).map_err(|e| e.error),
						Op::CancelAsk(p, i) => Order::cancel_ask(RuntimeOrigin::signed(providers[p as usize]), i),
						Op::CancelBid(b, i) => Order::cancel_bid(RuntimeOrigin::signed(buyer(b)), i),
						Op::AmendAsk(p, i, pr) => frame_support::storage::with_storage_layer(|| Order::amend_ask_price(RuntimeOrigin::signed(providers[p as usize]), i, pr).map(|_| ()).map_err(|e| e.error)),
						Op::AmendBid(b, i, pr) => frame_support::storage::with_storage_layer(|| Order::amend_bid_price(RuntimeOrigin::signed(buyer(b)), i, pr).map(|_| ()).map_err(|e| e.error)),
						Op::Rematch(b, i) => Order::rematch_bid(RuntimeOrigin::signed(buyer(b)), i).map(|_| ()).map_err(|e| e.error),
						Op::Advance(n) => { System::set_block_number(System::block_number() + n); Ok(()) },
						Op::Expire(i) => Order::expire(RuntimeOrigin::signed(OUTSIDER), i),
						Op::Terminate(b, i) => pallet_agreement::Pallet::<Test>::terminate(RuntimeOrigin::signed(buyer(b)), i),
						Op::Update(p, q, perf) => {
							let spec = pallet_consortium_identity::ResourceSpec {
								quantity: q, performance: perf, region: region("CN-GD"), green_percent: 50, security_level: 2,
							};
							Identity::update_resource(RuntimeOrigin::signed(providers[p as usize]), resources[p as usize], spec)
						},
						Op::Retire(p) => {
							let r = Identity::retire_resource(RuntimeOrigin::signed(providers[p as usize]), resources[p as usize]);
							if r.is_ok() {
								prop_assert!(!Asks::<Test>::iter().any(|(_, a)| a.resource == resources[p as usize]), "a retired resource keeps asks");
								resources[p as usize] = resource(providers[p as usize], ResourceKind::Gpu, 4, 100, "CN-GD");
							}
							r
						},
					};
					if res.is_err() {
						prop_assert_eq!(before, sp_io::storage::root(sp_runtime::StateVersion::V1), "failed call changed state");
					}
					check_all();
				}
				// Units under agreement never exceed units offered.
				let leased: u64 = pallet_agreement::Agreements::<Test>::iter().map(|(_, a)| a.quantity as u64).sum();
				prop_assert!(leased <= offered);
				prop_assert_eq!(pallet_balances::TotalIssuance::<Test>::get(), issuance);
				Ok(())
			})?;
		}
	}
}
