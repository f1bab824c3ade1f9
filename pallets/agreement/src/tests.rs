//! Unit tests: every call and error, escrow to the unit, and random sequences.
use crate::{
	mock::*, AgreementState, Agreements, AgreementsOf, Error, Event, HoldReason, LeasedUnits, Party,
};
use computility_primitives::{AgreementFactory, NewAgreement};
use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, InspectHold},
};
use sp_runtime::{DispatchError, Perbill};

fn terms(quantity: u32, unit_price: u128, hours: u32) -> NewAgreement<u64, u128> {
	NewAgreement {
		buyer: BUYER,
		provider: PROVIDER,
		ask: 7,
		bid: 9,
		resource: 3,
		quantity,
		unit_price,
		hours,
		sla: Default::default(),
		task_hash: [1u8; 32],
		escrow: unit_price * quantity as u128 * hours as u128,
	}
}
fn escrow_held(who: u64) -> u128 {
	Balances::balance_on_hold(&HoldReason::Escrow.into(), &who)
}
fn free(who: u64) -> u128 {
	Balances::free_balance(who)
}
fn run_to(n: u64) {
	System::set_block_number(n);
}

#[test]
fn create_holds_escrow() {
	build_and_execute(|| {
		let id = Agreement::create(terms(2, 100, 3)).unwrap();
		let a = Agreements::<Test>::get(id).unwrap();
		assert_eq!((a.escrow, a.start, a.end, a.state), (600, 1, 31, AgreementState::Active));
		assert_eq!(escrow_held(BUYER), 600);
		assert_eq!(free(BUYER), 1_000_000 - 600);
		assert_eq!(AgreementsOf::<Test>::get(BUYER).to_vec(), vec![id]);
		assert_eq!(AgreementsOf::<Test>::get(PROVIDER).to_vec(), vec![id]);
		System::assert_last_event(
			Event::Created {
				id,
				buyer: BUYER,
				provider: PROVIDER,
				quantity: 2,
				unit_price: 100,
				escrow: 600,
				end: 31,
			}
			.into(),
		);
		assert_eq!(Agreement::agreements_of(PROVIDER).len(), 1);
	});
}

#[test]
fn create_errors_change_nothing() {
	build_and_execute(|| {
		assert_noop!(
			Agreement::create(NewAgreement { provider: BUYER, ..terms(1, 1, 1) }),
			Error::<Test>::SelfDealing
		);
		assert_noop!(Agreement::create(terms(0, 1, 1)), Error::<Test>::InvalidTerms);
		assert_noop!(Agreement::create(terms(1, 1, 0)), Error::<Test>::InvalidTerms);
		assert_noop!(Agreement::create(terms(1, 1_000_001, 1)), Error::<Test>::InsufficientBalance);
		for _ in 0..4 {
			Agreement::create(terms(1, 1, 1)).unwrap();
		}
		assert_noop!(Agreement::create(terms(1, 1, 1)), Error::<Test>::TooManyAgreements);
	});
}

#[test]
fn complete_pays_provider_everything() {
	build_and_execute(|| {
		let id = Agreement::create(terms(2, 100, 3)).unwrap();
		assert_noop!(
			Agreement::complete(RuntimeOrigin::signed(OTHER), id),
			Error::<Test>::NotEnded
		);
		run_to(31);
		assert_ok!(Agreement::complete(RuntimeOrigin::signed(OTHER), id));
		assert_eq!(free(PROVIDER), 1_000_600);
		assert_eq!(escrow_held(BUYER), 0);
		assert_eq!(Agreements::<Test>::get(id).unwrap().state, AgreementState::Completed);
		assert!(AgreementsOf::<Test>::get(BUYER).is_empty());
		System::assert_last_event(Event::Completed { id }.into());
		assert_noop!(
			Agreement::complete(RuntimeOrigin::signed(OTHER), id),
			Error::<Test>::NotActive
		);
		assert_noop!(
			Agreement::complete(RuntimeOrigin::signed(OTHER), 99),
			Error::<Test>::UnknownAgreement
		);
		assert_noop!(Agreement::complete(RuntimeOrigin::none(), id), DispatchError::BadOrigin);
	});
}

#[test]
fn terminate_pays_pro_rata_and_refunds_rest() {
	build_and_execute(|| {
		let id = Agreement::create(terms(1, 7, 3)).unwrap(); // escrow 21 over 30 blocks
		run_to(12); // 11 of 30 blocks served: 21 * 11 / 30 = 7.7 -> 7
		assert_noop!(
			Agreement::terminate(RuntimeOrigin::signed(OTHER), id),
			Error::<Test>::NotParty
		);
		assert_ok!(Agreement::terminate(RuntimeOrigin::signed(PROVIDER), id));
		assert_eq!(free(PROVIDER), 1_000_007);
		assert_eq!(free(BUYER), 1_000_000 - 7);
		assert_eq!(escrow_held(BUYER), 0);
		let a = Agreements::<Test>::get(id).unwrap();
		assert_eq!((a.paid, a.refunded, a.state), (7, 14, AgreementState::Terminated));
		System::assert_last_event(Event::Terminated { id, by: Party::Provider }.into());
		assert_noop!(
			Agreement::terminate(RuntimeOrigin::signed(BUYER), id),
			Error::<Test>::NotActive
		);
	});
}

#[test]
fn terminate_after_end_is_refused() {
	build_and_execute(|| {
		let id = Agreement::create(terms(1, 7, 1)).unwrap();
		run_to(11);
		assert_noop!(
			Agreement::terminate(RuntimeOrigin::signed(BUYER), id),
			Error::<Test>::AlreadyEnded
		);
		assert_noop!(
			Agreement::terminate(RuntimeOrigin::signed(BUYER), 99),
			Error::<Test>::UnknownAgreement
		);
	});
}

#[test]
fn dispute_and_resolution() {
	build_and_execute(|| {
		let id = Agreement::create(terms(1, 100, 1)).unwrap();
		assert_noop!(Agreement::dispute(RuntimeOrigin::signed(OTHER), id), Error::<Test>::NotParty);
		assert_noop!(
			Agreement::resolve_dispute(RuntimeOrigin::root(), id, Perbill::one()),
			Error::<Test>::NotDisputed
		);
		assert_ok!(Agreement::dispute(RuntimeOrigin::signed(BUYER), id));
		System::assert_last_event(Event::Disputed { id, by: Party::Buyer }.into());
		assert_noop!(
			Agreement::dispute(RuntimeOrigin::signed(PROVIDER), id),
			Error::<Test>::NotActive
		);
		assert_noop!(
			Agreement::terminate(RuntimeOrigin::signed(PROVIDER), id),
			Error::<Test>::NotActive
		);
		assert_noop!(
			Agreement::resolve_dispute(RuntimeOrigin::signed(BUYER), id, Perbill::one()),
			DispatchError::BadOrigin
		);
		assert_ok!(Agreement::resolve_dispute(
			RuntimeOrigin::root(),
			id,
			Perbill::from_percent(30)
		));
		assert_eq!(free(PROVIDER), 1_000_030);
		assert_eq!(free(BUYER), 1_000_000 - 30);
		System::assert_last_event(
			Event::DisputeResolved { id, provider_share: Perbill::from_percent(30) }.into(),
		);
		assert_noop!(
			Agreement::resolve_dispute(RuntimeOrigin::root(), 99, Perbill::one()),
			Error::<Test>::UnknownAgreement
		);
		assert_noop!(
			Agreement::dispute(RuntimeOrigin::signed(BUYER), 99),
			Error::<Test>::UnknownAgreement
		);
	});
}

#[test]
fn billing_payments_are_bounded_by_escrow() {
	build_and_execute(|| {
		let id = Agreement::create(terms(1, 100, 1)).unwrap();
		assert_ok!(Agreement::pay_provider(id, 40));
		assert_ok!(Agreement::refund_buyer(id, 10));
		assert_noop!(Agreement::pay_provider(id, 51), Error::<Test>::ExceedsEscrow);
		assert_noop!(Agreement::refund_buyer(id, 51), Error::<Test>::ExceedsEscrow);
		assert_eq!(escrow_held(BUYER), 50);
		run_to(11);
		assert_ok!(Agreement::complete(RuntimeOrigin::signed(OTHER), id));
		assert_eq!(free(PROVIDER), 1_000_090);
		assert_noop!(Agreement::pay_provider(id, 1), Error::<Test>::NotActive);
	});
}

mod sequences {
	use super::*;
	use proptest::prelude::*;

	#[derive(Debug, Clone)]
	enum Op {
		Create(u32, u128, u32, bool),
		Advance(u64),
		Terminate(u64, bool),
		Complete(u64),
		Dispute(u64, bool),
		Resolve(u64, u32),
		Pay(u64, u128),
		Refund(u64, u128),
	}

	fn op() -> impl Strategy<Value = Op> {
		prop_oneof![
			(0u32..5, 0u128..2_000, 0u32..4, any::<bool>())
				.prop_map(|(q, p, h, s)| Op::Create(q, p, h, s)),
			(0u64..25).prop_map(Op::Advance),
			(0u64..8, any::<bool>()).prop_map(|(i, b)| Op::Terminate(i, b)),
			(0u64..8).prop_map(Op::Complete),
			(0u64..8, any::<bool>()).prop_map(|(i, b)| Op::Dispute(i, b)),
			(0u64..8, 0u32..=100).prop_map(|(i, p)| Op::Resolve(i, p)),
			(0u64..8, 0u128..3_000).prop_map(|(i, a)| Op::Pay(i, a)),
			(0u64..8, 0u128..3_000).prop_map(|(i, a)| Op::Refund(i, a)),
		]
	}

	proptest! {
		#![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]
		/// Random sequences: failed calls change nothing; escrow holds match the agreements;
		/// no balance is created or lost.
		#[test]
		fn random_calls_conserve_money(metered in any::<bool>(), ops in proptest::collection::vec(op(), 1..50)) {
			Metered::set(metered);
			new_test_ext().execute_with(|| {
				let issuance = pallet_balances::TotalIssuance::<Test>::get();
				for op in ops {
					let before = sp_io::storage::root(sp_runtime::StateVersion::V1);
					let (buyer, provider) = (BUYER, PROVIDER);
					let res = match op {
						Op::Create(q, p, h, swap) => {
							let mut t = terms(q, p, h);
							if swap { t.buyer = provider; t.provider = buyer; }
							Agreement::create(t).map(|_| ())
						},
						Op::Advance(n) => { run_to(System::block_number() + n); Ok(()) },
						Op::Terminate(i, b) => Agreement::terminate(RuntimeOrigin::signed(if b { buyer } else { provider }), i),
						Op::Complete(i) => Agreement::complete(RuntimeOrigin::signed(OTHER), i),
						Op::Dispute(i, b) => Agreement::dispute(RuntimeOrigin::signed(if b { buyer } else { provider }), i),
						Op::Resolve(i, p) => Agreement::resolve_dispute(RuntimeOrigin::root(), i, Perbill::from_percent(p)),
						Op::Pay(i, a) => frame_support::storage::with_storage_layer(|| Agreement::pay_provider(i, a)),
						Op::Refund(i, a) => frame_support::storage::with_storage_layer(|| Agreement::refund_buyer(i, a)),
					};
					if res.is_err() {
						prop_assert_eq!(before, sp_io::storage::root(sp_runtime::StateVersion::V1), "failed call changed state");
					}
					Agreement::do_try_state().map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
				}
				prop_assert_eq!(pallet_balances::TotalIssuance::<Test>::get(), issuance);
				let total: u128 = (1..=4u64).map(|a| Balances::total_balance(&a)).sum();
				prop_assert_eq!(total, issuance);
				Ok(())
			})?;
		}
	}
}

#[test]
fn metered_terminate_refunds_unserved_and_leaves_served_to_billing() {
	build_and_execute(|| {
		Metered::set(true);
		let id = Agreement::create(terms(2, 100, 3)).unwrap(); // 600 over blocks 1..31
		assert_eq!(Agreements::<Test>::get(id).unwrap().period, 5);
		run_to(13); // 12 of 30 blocks served: 240 earned
		assert_noop!(
			Agreement::complete(RuntimeOrigin::signed(OTHER), id),
			Error::<Test>::SettledByBilling
		);
		assert_ok!(Agreement::terminate(RuntimeOrigin::signed(BUYER), id));
		let a = Agreements::<Test>::get(id).unwrap();
		assert_eq!(
			(a.state, a.end, a.ended_early, a.refunded),
			(AgreementState::Active, 13, Some(Party::Buyer), 360)
		);
		assert_eq!(escrow_held(BUYER), 240, "the served part stays held for billing");
		assert_eq!(LeasedUnits::<Test>::get(3), None, "ended early: its units are free at once");
		assert_noop!(
			Agreement::terminate(RuntimeOrigin::signed(PROVIDER), id),
			Error::<Test>::AlreadyEnded
		);
		// Billing pays the served periods, then closes.
		assert_ok!(Agreement::pay_provider(id, 200));
		assert_ok!(Agreement::refund_buyer(id, 40));
		assert_ok!(Agreement::do_close(id, 0, AgreementState::Terminated));
		assert_eq!(EndedLog::get(), vec![(PROVIDER, false, 12, 30)]);
		assert_eq!(escrow_held(BUYER), 0);
		assert!(AgreementsOf::<Test>::get(BUYER).is_empty());
		Metered::set(false);
	});
}

#[test]
fn metered_terminate_at_start_closes_at_once() {
	build_and_execute(|| {
		Metered::set(true);
		let id = Agreement::create(terms(1, 10, 1)).unwrap();
		assert_ok!(Agreement::terminate(RuntimeOrigin::signed(PROVIDER), id));
		let a = Agreements::<Test>::get(id).unwrap();
		assert_eq!((a.state, a.refunded, a.paid), (AgreementState::Terminated, 10, 0));
		assert_eq!(EndedLog::get(), vec![(PROVIDER, false, 0, 10)]);
		Metered::set(false);
	});
}

#[test]
fn ended_hook_reports_completion() {
	build_and_execute(|| {
		let id = Agreement::create(terms(1, 10, 1)).unwrap();
		run_to(40);
		assert_ok!(Agreement::complete(RuntimeOrigin::signed(OTHER), id));
		assert_eq!(EndedLog::get(), vec![(PROVIDER, true, 10, 10)]);
	});
}

#[test]
fn leased_units_follow_running_agreements() {
	build_and_execute(|| {
		let a = Agreement::create(terms(2, 100, 3)).unwrap();
		let b = Agreement::create(terms(5, 100, 3)).unwrap();
		assert_eq!(LeasedUnits::<Test>::get(3), Some(7));
		assert_eq!(<Agreement as AgreementFactory<u64, u128>>::leased(3), 7);
		assert_eq!(<Agreement as AgreementFactory<u64, u128>>::leased(4), 0);
		assert_ok!(Agreement::dispute(RuntimeOrigin::signed(BUYER), b));
		assert_eq!(LeasedUnits::<Test>::get(3), Some(7), "a disputed agreement still leases");
		assert_ok!(Agreement::terminate(RuntimeOrigin::signed(PROVIDER), a));
		assert_eq!(LeasedUnits::<Test>::get(3), Some(5));
		assert_ok!(Agreement::resolve_dispute(RuntimeOrigin::root(), b, Perbill::from_percent(50)));
		assert_eq!(
			LeasedUnits::<Test>::get(3),
			None,
			"no entry is left for a resource with none leased"
		);
	});
}

#[test]
fn room_follows_the_agreement_limit() {
	build_and_execute(|| {
		let factory = |who: u64| <Agreement as AgreementFactory<u64, u128>>::has_room(&who);
		for _ in 0..4 {
			assert!(factory(BUYER));
			Agreement::create(terms(1, 100, 1)).unwrap();
		}
		assert!(!factory(BUYER) && !factory(PROVIDER) && factory(OTHER));
		assert_noop!(Agreement::create(terms(1, 100, 1)), Error::<Test>::TooManyAgreements);
	});
}
