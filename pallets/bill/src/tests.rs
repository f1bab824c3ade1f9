//! Unit tests: metering, permits, settlement to the unit, overdue rules, disputes, every error,
//! and random sequences of calls across the order book, agreements, bills and commission.
use crate::{
	mock::*, Basis, BillOfPeriod, Bills, Disputant, Disputes, Error, Event, Metrics, Monitors,
	Progress, Settled,
};
use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, InspectHold},
};
use pallet_agreement::{AgreementState, Agreements};
use sp_runtime::DispatchError;

fn good() -> Metrics {
	Metrics { availability_permille: 1000, latency_ms: 12, throughput: 0, usage: 7_200 }
}
fn permit(agreement: u64, period: u32) -> [u8; 32] {
	// Stands in for HMAC-SHA256(K, …): the chain only sees its hash and, later, the permit.
	sp_io::hashing::blake2_256(&(b"key", agreement, period).encode())
}
fn commitment(agreement: u64, period: u32) -> [u8; 32] {
	sp_io::hashing::blake2_256(&permit(agreement, period))
}
fn held(who: u64) -> u128 {
	Balances::balance_on_hold(&pallet_agreement::HoldReason::Escrow.into(), &who)
}
fn free(who: u64) -> u128 {
	Balances::balance(&who)
}
use codec::Encode;

/// Report `m` for a period and have the buyer confirm it.
fn meter(id: u64, period: u32, m: Metrics) {
	assert_ok!(Bill::report(
		RuntimeOrigin::signed(MONITOR),
		id,
		period,
		m,
		[period as u8; 32],
		commitment(id, period)
	));
	assert_ok!(Bill::confirm(RuntimeOrigin::signed(BUYER), id, period, permit(id, period)));
}

/// 2 GPUs × 1 h at 1000: escrow 2000 over blocks 1..11; periods [1,5) [5,9) [9,11) due 800,
/// 800, 400.
fn standard_lease() -> u64 {
	let id = lease(P1, BUYER, 2, 1000, 1);
	assert_ok!(Bill::appoint_monitor(RuntimeOrigin::signed(BUYER), id, MONITOR));
	id
}

#[test]
fn a_full_lease_is_metered_settled_and_closed() {
	build_and_execute(|| {
		let id = standard_lease();
		let a = Agreements::<Test>::get(id).unwrap();
		assert_eq!((a.start, a.end, a.period, a.escrow), (1, 11, 4, 2000));
		assert_eq!(Bill::periods(&a), 3);
		assert_eq!([0, 1, 2].map(|p| Bill::due(&a, p).unwrap()), [800, 800, 400]);
		System::assert_last_event(
			Event::MonitorAppointed { agreement: id, monitor: MONITOR, from_period: 0 }.into(),
		);
		let p1_free = free(P1);
		for (period, at) in [(0u32, 5u64), (1, 9), (2, 11)] {
			run_to(at);
			meter(id, period, good());
			assert_ok!(Bill::settle(RuntimeOrigin::signed(OUTSIDER), id, period));
		}
		// 19 % commission (no reseller): platform 10, hubs 2 + 2, pool 5.
		let bills: Vec<_> = (0..3)
			.map(|p| Bills::<Test>::get(BillOfPeriod::<Test>::get(id, p).unwrap()).unwrap())
			.collect();
		assert_eq!(bills.iter().map(|b| b.to_provider).collect::<Vec<_>>(), vec![800, 800, 400]);
		assert!(bills
			.iter()
			.all(|b| b.to_buyer == 0 && b.breaches == 0 && b.basis == Basis::Confirmed));
		let b0 = &bills[0];
		assert_eq!((b0.lines.platform, b0.lines.reward_pool, b0.lines.provider), (80, 40, 648));
		assert_eq!(b0.lines.provider_hub, Some((HUB_A, 16)));
		assert_eq!(b0.lines.buyer_hub, Some((HUB_B, 16)));
		assert_eq!(b0.metrics, Some(good()));
		assert_eq!(b0.digest, Some([0u8; 32]));
		assert_eq!(free(P1) - p1_free, 2000 - 380, "the provider got the escrow less commission");
		assert_eq!(held(BUYER), 0);
		let a = Agreements::<Test>::get(id).unwrap();
		assert_eq!((a.state, a.paid, a.refunded), (AgreementState::Completed, 2000, 0));
		System::assert_has_event(
			Event::AgreementSettled { agreement: id, state: AgreementState::Completed }.into(),
		);
		assert_eq!(
			pallet_commission::History::<Test>::get(P1).to_vec(),
			vec![pallet_commission::PastTask { completed: true, served: 10, planned: 10 }]
		);
		assert!(
			Settled::<Test>::get(id) == Progress::default() && Monitors::<Test>::get(id).is_none()
		);
		// The bill is permanent; settling again is refused.
		assert_noop!(
			Bill::settle(RuntimeOrigin::signed(OUTSIDER), id, 2),
			Error::<Test>::AgreementNotActive
		);
	});
}

#[test]
fn breaches_scale_pay_refund_penalties_and_mark_the_agreement() {
	build_and_execute(|| {
		let id = standard_lease();
		run_to(5);
		let buyer_free = free(BUYER);
		// 95 % available (promised 99 %) and 80 ms latency (promised 50): pay 800 × 0.95 = 760,
		// less 2 × 10 % penalties = 608; the buyer gets 192 back.
		meter(id, 0, Metrics { availability_permille: 950, latency_ms: 80, ..good() });
		assert_ok!(Bill::settle(RuntimeOrigin::signed(OUTSIDER), id, 0));
		let b = Bills::<Test>::get(0).unwrap();
		assert_eq!((b.to_provider, b.to_buyer, b.breaches), (608, 192, 0b011));
		assert_eq!(free(BUYER) - buyer_free, 192);
		System::assert_has_event(
			Event::Billed {
				bill: 0,
				agreement: id,
				period: 0,
				to_provider: 608,
				to_buyer: 192,
				commission: 114,
				basis: Basis::Confirmed,
			}
			.into(),
		);
		for (period, at) in [(1u32, 9u64), (2, 11)] {
			run_to(at);
			meter(id, period, good());
			assert_ok!(Bill::settle(RuntimeOrigin::signed(OUTSIDER), id, period));
		}
		assert_eq!(Agreements::<Test>::get(id).unwrap().state, AgreementState::Breached);
		assert!(!pallet_commission::History::<Test>::get(P1)[0].completed);
	});
}

#[test]
fn overdue_periods_follow_the_rules() {
	build_and_execute(|| {
		// Deemed: reported, neither confirmed nor disputed within the window.
		let id = standard_lease();
		run_to(5);
		assert_ok!(Bill::report(
			RuntimeOrigin::signed(MONITOR),
			id,
			0,
			good(),
			[1; 32],
			commitment(id, 0)
		));
		run_to(10);
		assert_noop!(
			Bill::settle(RuntimeOrigin::signed(OUTSIDER), id, 0),
			Error::<Test>::AwaitingConfirmation
		);
		// Unmetered: the appointed monitor did not report period 1 (ended at 9; window to 15).
		assert_noop!(
			Bill::settle(RuntimeOrigin::signed(OUTSIDER), id, 1),
			Error::<Test>::AwaitingConfirmation
		);
		run_to(15);
		assert_ok!(Bill::settle(RuntimeOrigin::signed(OUTSIDER), id, 0));
		assert_eq!(Bills::<Test>::get(0).unwrap().basis, Basis::Deemed);
		assert_eq!(Bills::<Test>::get(0).unwrap().to_provider, 800);
		assert_ok!(Bill::settle(RuntimeOrigin::signed(OUTSIDER), id, 1));
		let b = Bills::<Test>::get(1).unwrap();
		assert_eq!(
			(b.basis, b.to_provider, b.to_buyer, b.metrics),
			(Basis::Unmetered, 0, 800, None)
		);
		// Waived: an agreement whose buyer appointed no monitor pays in full.
		let id2 = lease(P2, BUYER2, 1, 500, 1);
		run_to(15 + 4 + 6);
		assert_ok!(Bill::settle(RuntimeOrigin::signed(OUTSIDER), id2, 0));
		let b = Bills::<Test>::get(2).unwrap();
		assert_eq!((b.basis, b.to_provider, b.to_buyer), (Basis::Waived, 200, 0));
	});
}

#[test]
fn a_monitor_appointed_late_meters_only_later_periods() {
	build_and_execute(|| {
		let id = lease(P1, BUYER, 2, 1000, 1);
		run_to(6); // period 0 (blocks 1..5) has ended; period 1 runs
		assert_ok!(Bill::appoint_monitor(RuntimeOrigin::signed(BUYER), id, MONITOR));
		assert_eq!(Monitors::<Test>::get(id).unwrap().from_period, 1);
		assert_noop!(
			Bill::report(RuntimeOrigin::signed(MONITOR), id, 0, good(), [0; 32], [0; 32]),
			Error::<Test>::BeforeAppointment
		);
		// Period 0 went unmetered before the appointment: waived, not refunded.
		run_to(12);
		assert_ok!(Bill::settle(RuntimeOrigin::signed(OUTSIDER), id, 0));
		assert_eq!(Bills::<Test>::get(0).unwrap().basis, Basis::Waived);
	});
}

#[test]
fn disputes_are_settled_by_governance() {
	build_and_execute(|| {
		let id = standard_lease();
		run_to(5);
		assert_ok!(Bill::report(
			RuntimeOrigin::signed(MONITOR),
			id,
			0,
			good(),
			[1; 32],
			commitment(id, 0)
		));
		assert_ok!(Bill::dispute(RuntimeOrigin::signed(BUYER), id, 0));
		System::assert_last_event(
			Event::PeriodDisputed { agreement: id, period: 0, by: Disputant::Buyer }.into(),
		);
		assert_noop!(
			Bill::confirm(RuntimeOrigin::signed(BUYER), id, 0, permit(id, 0)),
			Error::<Test>::PeriodDisputed
		);
		run_to(30);
		assert_noop!(
			Bill::settle(RuntimeOrigin::signed(OUTSIDER), id, 0),
			Error::<Test>::PeriodDisputed
		);
		let decided = Metrics { availability_permille: 500, ..good() };
		assert_noop!(
			Bill::resolve(RuntimeOrigin::signed(BUYER), id, 0, decided),
			DispatchError::BadOrigin
		);
		assert_ok!(Bill::resolve(RuntimeOrigin::root(), id, 0, decided));
		let b = Bills::<Test>::get(0).unwrap();
		// 800 × 0.5 = 400, less one 10 % penalty: 360.
		assert_eq!(
			(b.basis, b.to_provider, b.to_buyer, b.digest),
			(Basis::Governance, 360, 440, Some([1; 32]))
		);
		assert!(Disputes::<Test>::get(id, 0).is_none());
		// The provider may dispute a period even after the buyer confirmed it.
		run_to(31);
		let id2 = lease(P2, BUYER, 1, 100, 1);
		assert_ok!(Bill::appoint_monitor(RuntimeOrigin::signed(BUYER), id2, MONITOR));
		run_to(35);
		assert_ok!(Bill::report(
			RuntimeOrigin::signed(MONITOR),
			id2,
			0,
			good(),
			[1; 32],
			commitment(id2, 0)
		));
		assert_ok!(Bill::confirm(RuntimeOrigin::signed(BUYER), id2, 0, permit(id2, 0)));
		assert_noop!(
			Bill::dispute(RuntimeOrigin::signed(BUYER), id2, 0),
			Error::<Test>::AlreadyConfirmed
		);
		assert_ok!(Bill::dispute(RuntimeOrigin::signed(P2), id2, 0));
	});
}

#[test]
fn early_termination_bills_the_served_periods_and_refunds_the_rest() {
	build_and_execute(|| {
		assert_ok!(Commission::set_reseller(RuntimeOrigin::signed(BUYER), Some(RESELLER)));
		let id = standard_lease();
		run_to(5);
		meter(id, 0, good());
		assert_ok!(Bill::settle(RuntimeOrigin::signed(OUTSIDER), id, 0));
		run_to(7); // 6 of 10 blocks served: 1200 earned, 800 refunded now.
		let buyer_free = free(BUYER);
		assert_ok!(Agreement::terminate(RuntimeOrigin::signed(BUYER), id));
		assert_eq!(free(BUYER) - buyer_free, 800);
		let a = Agreements::<Test>::get(id).unwrap();
		assert_eq!((a.end, a.state), (7, AgreementState::Active));
		assert_eq!(Bill::periods(&a), 2);
		assert_eq!(Bill::due(&a, 1), Some(400), "the cut period is due for its 2 blocks");
		assert_noop!(
			Bill::settle(RuntimeOrigin::signed(OUTSIDER), id, 2),
			Error::<Test>::UnknownPeriod
		);
		meter(id, 1, good());
		assert_ok!(Bill::settle(RuntimeOrigin::signed(OUTSIDER), id, 1));
		let a = Agreements::<Test>::get(id).unwrap();
		assert_eq!((a.state, a.paid, a.refunded), (AgreementState::Terminated, 1200, 800));
		// The reseller earned 3 % of both bills.
		assert_eq!(pallet_commission::Claimable::<Test>::get(RESELLER), 24 + 12);
		assert_eq!(Bills::<Test>::get(1).unwrap().lines.reseller, Some((RESELLER, 12)));
		assert_eq!(held(BUYER), 0);
	});
}

#[test]
fn termination_on_a_settled_boundary_closes_at_once() {
	build_and_execute(|| {
		let id = standard_lease();
		run_to(5);
		meter(id, 0, good());
		assert_ok!(Bill::settle(RuntimeOrigin::signed(OUTSIDER), id, 0));
		assert_ok!(Agreement::terminate(RuntimeOrigin::signed(P1), id));
		let a = Agreements::<Test>::get(id).unwrap();
		assert_eq!((a.state, a.paid, a.refunded), (AgreementState::Terminated, 800, 1200));
		assert!(
			Settled::<Test>::get(id) == Progress::default() && Monitors::<Test>::get(id).is_none()
		);
	});
}

#[test]
fn errors_change_nothing() {
	build_and_execute(|| {
		let id = lease(P1, BUYER, 2, 1000, 1);
		let o = RuntimeOrigin::signed;
		// appoint_monitor
		assert_noop!(Bill::appoint_monitor(o(BUYER), 99, MONITOR), Error::<Test>::UnknownAgreement);
		assert_noop!(Bill::appoint_monitor(o(P1), id, MONITOR), Error::<Test>::NotBuyer);
		assert_noop!(Bill::appoint_monitor(o(BUYER), id, P1), Error::<Test>::MonitorNotIndependent);
		assert_noop!(Bill::appoint_monitor(o(BUYER), id, BUYER2), Error::<Test>::NotMonitor);
		assert_ok!(Bill::appoint_monitor(o(BUYER), id, MONITOR));
		assert_noop!(
			Bill::appoint_monitor(o(BUYER), id, MONITOR2),
			Error::<Test>::MonitorAlreadyAppointed
		);
		// report
		let c = commitment(id, 0);
		assert_noop!(
			Bill::report(o(MONITOR2), id, 0, good(), [0; 32], c),
			Error::<Test>::NotAppointedMonitor
		);
		assert_noop!(
			Bill::report(o(MONITOR), id, 0, good(), [0; 32], c),
			Error::<Test>::PeriodNotEnded
		);
		run_to(5);
		let bad = Metrics { availability_permille: 1001, ..good() };
		assert_noop!(
			Bill::report(o(MONITOR), id, 0, bad, [0; 32], c),
			Error::<Test>::InvalidMetrics
		);
		assert_noop!(
			Bill::report(o(MONITOR), id, 3, good(), [0; 32], c),
			Error::<Test>::UnknownPeriod
		);
		// confirm before a report
		assert_noop!(Bill::confirm(o(BUYER), id, 0, permit(id, 0)), Error::<Test>::NoReport);
		assert_ok!(Bill::report(o(MONITOR), id, 0, good(), [0; 32], c));
		assert_noop!(
			Bill::report(o(MONITOR), id, 0, good(), [0; 32], c),
			Error::<Test>::AlreadyReported
		);
		// confirm
		assert_noop!(Bill::confirm(o(P1), id, 0, permit(id, 0)), Error::<Test>::NotBuyer);
		assert_noop!(Bill::confirm(o(BUYER), id, 0, permit(id, 1)), Error::<Test>::PermitMismatch);
		assert_noop!(Bill::confirm(o(BUYER), id, 0, c), Error::<Test>::PermitMismatch);
		assert_ok!(Bill::confirm(o(BUYER), id, 0, permit(id, 0)));
		assert_noop!(
			Bill::confirm(o(BUYER), id, 0, permit(id, 0)),
			Error::<Test>::AlreadyConfirmed
		);
		// dispute
		assert_noop!(Bill::dispute(o(OUTSIDER), id, 0), Error::<Test>::NotParty);
		assert_noop!(Bill::dispute(o(BUYER), id, 1), Error::<Test>::PeriodNotEnded);
		assert_noop!(Bill::dispute(o(BUYER), id, 5), Error::<Test>::UnknownPeriod);
		// settle
		assert_noop!(Bill::settle(o(OUTSIDER), id, 1), Error::<Test>::PeriodNotEnded);
		assert_noop!(Bill::settle(o(OUTSIDER), id, 7), Error::<Test>::UnknownPeriod);
		assert_ok!(Bill::settle(o(OUTSIDER), id, 0));
		assert_noop!(Bill::settle(o(OUTSIDER), id, 0), Error::<Test>::AlreadySettled);
		assert_noop!(Bill::dispute(o(P1), id, 0), Error::<Test>::AlreadySettled);
		assert_noop!(
			Bill::report(o(MONITOR), id, 0, good(), [0; 32], c),
			Error::<Test>::AlreadySettled
		);
		// windows
		run_to(9 + 6);
		assert_noop!(
			Bill::report(o(MONITOR), id, 1, good(), [0; 32], c),
			Error::<Test>::WindowClosed
		);
		assert_noop!(Bill::dispute(o(P1), id, 1), Error::<Test>::WindowClosed);
		assert_ok!(Bill::dispute(o(P1), id, 2));
		assert_noop!(Bill::dispute(o(BUYER), id, 2), Error::<Test>::AlreadyDisputed);
		// resolve
		assert_noop!(
			Bill::resolve(RuntimeOrigin::root(), id, 1, good()),
			Error::<Test>::NotDisputed
		);
		assert_noop!(
			Bill::resolve(
				RuntimeOrigin::root(),
				id,
				2,
				Metrics { availability_permille: 2000, ..good() }
			),
			Error::<Test>::InvalidMetrics
		);
		// set_period
		assert_noop!(Bill::set_period(RuntimeOrigin::root(), 0), Error::<Test>::InvalidPeriod);
		assert_noop!(Bill::set_period(o(BUYER), 5), DispatchError::BadOrigin);
		// a whole-agreement dispute stops billing
		assert_ok!(Agreement::dispute(o(BUYER), id));
		assert_noop!(Bill::settle(o(OUTSIDER), id, 1), Error::<Test>::AgreementNotActive);
		assert_noop!(
			Bill::appoint_monitor(o(BUYER), id, MONITOR2),
			Error::<Test>::AgreementNotActive
		);
		// governance ends it; billing's progress goes with it
		assert_ok!(Agreement::resolve_dispute(
			RuntimeOrigin::root(),
			id,
			sp_runtime::Perbill::from_percent(50)
		));
		assert!(Settled::<Test>::get(id) == Progress::default());
	});
}

#[test]
fn the_period_length_applies_to_new_agreements() {
	build_and_execute(|| {
		let old = lease(P1, BUYER, 1, 100, 1);
		assert_ok!(Bill::set_period(RuntimeOrigin::root(), 10));
		System::assert_last_event(Event::PeriodSet { blocks: 10 }.into());
		let new = lease(P2, BUYER2, 1, 100, 1);
		assert_eq!(Agreements::<Test>::get(old).unwrap().period, 4);
		assert_eq!(Agreements::<Test>::get(new).unwrap().period, 10);
		assert_eq!(Bill::periods(&Agreements::<Test>::get(new).unwrap()), 1);
	});
}

#[test]
fn scores_from_bills_feed_the_order_book() {
	build_and_execute(|| {
		let id = standard_lease();
		for (period, at) in [(0u32, 5u64), (1, 9), (2, 11)] {
			run_to(at);
			meter(id, period, good());
			assert_ok!(Bill::settle(RuntimeOrigin::signed(OUTSIDER), id, period));
		}
		assert_ok!(Commission::set_score_weights(
			RuntimeOrigin::root(),
			pallet_commission::ScoreWeights {
				resource: [0, 100_000, 0, 0, 0, 0],
				availability: 1_000_000,
				sla_met: 1_000_000
			}
		));
		run_to(51);
		// 6 GPU-periods × 0.1 + W_rt 2.0 × (1 + 1), W_rc +0.5 after a completed task: 1.5 × 4.6.
		let s = pallet_commission::Scores::<Test>::get(P1);
		assert_eq!(s, 6_900_000);
		assert_eq!(<Commission as computility_primitives::ContributionScores<u64>>::score(&P1), s);
		// The whole pool (5 % of 2000) went to the only provider.
		assert_eq!(pallet_commission::Claimable::<Test>::get(P1), 100);
	});
}

mod random {
	use super::*;
	use proptest::prelude::*;

	#[derive(Debug, Clone)]
	enum Op {
		Lease(bool, u8, u8, bool),
		Appoint(u8, bool),
		Report(u8, u8, u16, bool),
		Meter(u8, u8, u16, bool),
		Confirm(u8, u8, bool),
		Dispute(u8, u8, bool),
		Settle(u8, u8),
		Resolve(u8, u8, u16),
		Terminate(u8, bool),
		Advance(u8),
		Claim(u8),
	}

	fn op() -> impl Strategy<Value = Op> {
		// Agreement and period numbers are taken modulo those that exist, so most calls reach
		// the pallet's logic; some are still refused.
		prop_oneof![
			2 => (any::<bool>(), 1u8..4, 1u8..3, prop::bool::weighted(0.75)).prop_map(|(p, q, h, m)| Op::Lease(p, q, h, m)),
			2 => (any::<u8>(), any::<bool>()).prop_map(|(a, m)| Op::Appoint(a, m)),
			4 => (any::<u8>(), any::<u8>(), 900u16..1010, any::<bool>()).prop_map(|(a, p, v, l)| Op::Report(a, p, v, l)),
			4 => (any::<u8>(), any::<u8>(), 900u16..1001, any::<bool>()).prop_map(|(a, p, v, l)| Op::Meter(a, p, v, l)),
			2 => (any::<u8>(), any::<u8>(), prop::bool::weighted(0.8)).prop_map(|(a, p, ok)| Op::Confirm(a, p, ok)),
			1 => (any::<u8>(), any::<u8>(), any::<bool>()).prop_map(|(a, p, b)| Op::Dispute(a, p, b)),
			5 => (any::<u8>(), any::<u8>()).prop_map(|(a, p)| Op::Settle(a, p)),
			1 => (any::<u8>(), any::<u8>(), 0u16..1001).prop_map(|(a, p, v)| Op::Resolve(a, p, v)),
			1 => (any::<u8>(), any::<bool>()).prop_map(|(a, b)| Op::Terminate(a, b)),
			6 => (1u8..12).prop_map(Op::Advance),
			1 => (0u8..10).prop_map(Op::Claim),
		]
	}

	proptest! {
		#![proptest_config(ProptestConfig::with_cases(128))]
		/// Random leases, reports, confirmations, disputes, settlements, terminations and
		/// claims across order, agreement, bill and commission: failed calls change nothing,
		/// every pallet's invariants hold after every step, no unit is created or lost.
		#[test]
		fn money_is_conserved_across_the_market(ops in proptest::collection::vec(op(), 10..80)) {
			new_test_ext().execute_with(|| {
				let issuance = pallet_balances::TotalIssuance::<Test>::get();
				let o = RuntimeOrigin::signed;
				// The `a`-th agreement and its `p`-th period, among those that exist.
				let pick = |a: u8| a as u64 % pallet_agreement::NextAgreementId::<Test>::get().max(1);
				let period = |id: u64, p: u8| {
					Agreements::<Test>::get(id).map_or(p as u32, |a| p as u32 % Bill::periods(&a).max(1))
				};
				let party = |id: u64, buyer: bool| {
					Agreements::<Test>::get(id).map_or(OUTSIDER, |a| if buyer { a.buyer } else { a.provider })
				};
				for op in ops {
					let root = sp_io::storage::root(sp_runtime::StateVersion::V1);
					let res: Result<(), DispatchError> = match op {
						Op::Lease(p, q, h, monitored) => {
							let (prov, buyer) = if p { (P1, BUYER) } else { (P2, BUYER2) };
							// Order calls are whole transactions.
							frame_support::storage::with_storage_layer(|| {
								let r = resource(prov, computility_primitives::ResourceKind::Gpu, q as u32, 100);
								Order::place_ask(o(prov), r, q as u32, 37, 1, 10, 0b10, sla(), 500).map_err(|e| e.error)?;
								Order::place_bid(o(buyer), pallet_order::BidTerms {
									kind: computility_primitives::ResourceKind::Gpu, quantity: q as u32, min_performance: 0,
									region: None, max_unit_price: 37, hours: h as u32, task_kind: 1,
									task_hash: [7; 32], sla: sla(), priority: pallet_order::Priority::PriceFirst,
								}, 500).map_err(|e| e.error)?;
								if monitored {
									let id = pallet_agreement::NextAgreementId::<Test>::get() - 1;
									Bill::appoint_monitor(o(buyer), id, MONITOR)?;
								}
								Ok(())
							})
						},
						Op::Appoint(a, m) => { let a = pick(a); Bill::appoint_monitor(o(party(a, true)), a, if m { MONITOR } else { MONITOR2 }) },
						Op::Report(a, p, v, late) => {
							let (a, p) = (pick(a), period(pick(a), p));
							let m = Metrics { availability_permille: v, latency_ms: if late { 90 } else { 10 }, ..good() };
							let who = Monitors::<Test>::get(a).map_or(MONITOR, |x| x.monitor);
							Bill::report(o(who), a, p, m, [p as u8; 32], commitment(a, p))
						},
						Op::Meter(a, p, v, late) => {
							// Report and confirm the oldest unsettled, ended period, as one step.
							let a = pick(a);
							let p = (0..p as u32 % 4 + 1).find(|q| !BillOfPeriod::<Test>::contains_key(a, q)).unwrap_or(0);
							let m = Metrics { availability_permille: v, latency_ms: if late { 90 } else { 10 }, ..good() };
							let who = Monitors::<Test>::get(a).map_or(MONITOR, |x| x.monitor);
							frame_support::storage::with_storage_layer(|| {
								Bill::report(o(who), a, p, m, [p as u8; 32], commitment(a, p))?;
								Bill::confirm(o(party(a, true)), a, p, permit(a, p))
							})
						},
						Op::Confirm(a, p, ok) => {
							let (a, p) = (pick(a), period(pick(a), p));
							let permit = if ok { permit(a, p) } else { [9; 32] };
							Bill::confirm(o(party(a, true)), a, p, permit)
						},
						Op::Dispute(a, p, b) => { let (a, p) = (pick(a), period(pick(a), p)); Bill::dispute(o(party(a, b)), a, p) },
						Op::Settle(a, p) => { let (a, p) = (pick(a), period(pick(a), p)); Bill::settle(o(OUTSIDER), a, p) },
						Op::Resolve(a, p, v) => {
							let (a, p) = (pick(a), period(pick(a), p));
							Bill::resolve(RuntimeOrigin::root(), a, p, Metrics { availability_permille: v, ..good() })
						},
						Op::Terminate(a, b) => { let a = pick(a); Agreement::terminate(o(party(a, b)), a) },
						Op::Advance(n) => { run_to(System::block_number() + n as u64); Ok(()) },
						Op::Claim(w) => Commission::claim(o(w as u64 + 1)),
					};
					if res.is_err() {
						prop_assert_eq!(root, sp_io::storage::root(sp_runtime::StateVersion::V1), "failed call changed state: {:?}", res);
					}
					for (name, r) in [
						("bill", Bill::do_try_state()),
						("commission", Commission::do_try_state()),
						("agreement", Agreement::do_try_state()),
						("order", Order::do_try_state()),
					] {
						r.map_err(|e| TestCaseError::fail(format!("{name}: {e:?}")))?;
					}
					prop_assert_eq!(all_balances(), issuance, "balances do not add up");
				}
				prop_assert_eq!(pallet_balances::TotalIssuance::<Test>::get(), issuance);
				Ok(())
			})?;
		}
	}
}
