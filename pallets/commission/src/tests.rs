//! Unit tests: the split to the unit, claims, eras and scores, every error, random sequences.
use crate::{mock::*, *};
use computility_primitives::{
	AgreementEnded, Commission as _, ContributionScores, Earning, ResourceKind,
};
use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, Mutate},
};
use sp_runtime::DispatchError;

fn earning(provider: u64, pay: u128) -> Earning<u64, u128> {
	Earning {
		provider,
		buyer: BUYER,
		pay,
		kind: ResourceKind::Gpu,
		quantity: 4,
		availability_permille: 1000,
		met: true,
	}
}

fn free(who: u64) -> u128 {
	Balances::balance(&who)
}

#[test]
fn charge_splits_to_the_unit_and_moves_commission_to_the_pot() {
	build_and_execute(|| {
		assert_ok!(Commission::set_reseller(RuntimeOrigin::signed(BUYER), Some(RESELLER)));
		let before = free(P1);
		let pot = free(Commission::pot());
		let lines = Commission::charge(&earning(P1, 100_003)).unwrap();
		// 10 %, 2 %, 2 %, 3 %, 5 % rounded down; the provider keeps the rest.
		assert_eq!(lines.platform, 10_000);
		assert_eq!(lines.provider_hub, Some((HUB_A, 2_000)));
		assert_eq!(lines.buyer_hub, Some((HUB_B, 2_000)));
		assert_eq!(lines.reseller, Some((RESELLER, 3_000)));
		assert_eq!(lines.reward_pool, 5_000);
		assert_eq!(lines.provider, 100_003 - 22_000);
		assert_eq!(before - free(P1), 22_000, "the provider paid exactly the lines");
		assert_eq!(free(Commission::pot()) - pot, 22_000);
		assert_eq!(Claimable::<Test>::get(HUB_A), 2_000);
		assert_eq!(Claimable::<Test>::get(HUB_B), 2_000);
		assert_eq!(Claimable::<Test>::get(RESELLER), 3_000);
		assert_eq!((PlatformBalance::<Test>::get(), Pool::<Test>::get()), (10_000, 5_000));
		System::assert_last_event(
			Event::Charged { provider: P1, pay: 100_003, commission: 22_000 }.into(),
		);
		// Hubs and the reseller claim; the claims leave the pot exactly.
		for who in [HUB_A, HUB_B, RESELLER] {
			let f = free(who);
			let owed = Claimable::<Test>::get(who);
			assert_ok!(Commission::claim(RuntimeOrigin::signed(who)));
			assert_eq!(free(who) - f, owed);
		}
		assert_eq!(TotalClaimable::<Test>::get(), 0);
		assert_ok!(Commission::withdraw_platform(RuntimeOrigin::root(), OUTSIDER, 10_000));
		assert_eq!(PlatformBalance::<Test>::get(), 0);
	});
}

#[test]
fn without_reseller_its_line_stays_with_the_provider() {
	build_and_execute(|| {
		let lines = Commission::charge(&earning(P1, 1_000_000)).unwrap();
		assert_eq!(lines.reseller, None);
		assert_eq!(lines.provider, 1_000_000 - 190_000);
		// A reseller that is suspended loses the line too.
		assert_ok!(Commission::set_reseller(RuntimeOrigin::signed(BUYER), Some(RESELLER)));
		assert_ok!(Identity::suspend(RuntimeOrigin::root(), RESELLER));
		let lines = Commission::charge(&earning(P1, 1_000_000)).unwrap();
		assert_eq!(lines.reseller, None);
		assert_eq!(lines.provider, 810_000);
	});
}

#[test]
fn zero_pay_moves_nothing_but_counts_the_period() {
	build_and_execute(|| {
		let mut e = earning(P1, 0);
		e.availability_permille = 0;
		e.met = false;
		let lines = Commission::charge(&e).unwrap();
		assert_eq!((lines.provider, lines.platform, lines.reward_pool), (0, 0, 0));
		let s = Stats::<Test>::get(P1).unwrap();
		assert_eq!((s.periods, s.met, s.availability_sum, s.units[1]), (1, 0, 0, 4));
	});
}

#[test]
fn era_shares_the_pool_by_softmax_of_scores() {
	build_and_execute(|| {
		// P1 delivers twice as many periods, all meeting the SLA; P2 half of them broken.
		for _ in 0..4 {
			Commission::charge(&earning(P1, 200_000)).unwrap();
		}
		for i in 0..2 {
			let mut e = earning(P2, 200_000);
			e.met = i == 0;
			e.availability_permille = if i == 0 { 1000 } else { 900 };
			Commission::charge(&e).unwrap();
		}
		let pool = Pool::<Test>::get();
		assert_eq!(pool, 6 * 10_000);
		run_to(11);
		assert_eq!(Pool::<Test>::get(), 0, "all of the pool was shared");
		let (a, b) = (Claimable::<Test>::get(P1), Claimable::<Test>::get(P2));
		assert_eq!(a + b, pool, "shares add up to the pool exactly");
		// P1: 16 GPU-periods × 0.1 + 1 × (1.0 + 1.0) = 3.6; P2: 0.8 + 1 × (0.95 + 0.5) = 2.25.
		assert_eq!(Scores::<Test>::get(P1), 3_600_000);
		assert_eq!(Scores::<Test>::get(P2), 2_250_000);
		assert_eq!(<Commission as ContributionScores<u64>>::score(&P1), 3_600_000);
		// softmax: 60,000 × e^3.6 / (e^3.6 + e^2.25) = 47,647.78 in f64; fixed point rounds
		// down and gives the leftover unit to the higher score.
		assert_eq!(a, 47_648);
		assert!(a > b);
		assert_eq!(CurrentEra::<Test>::get(), EraInfo { index: 1, start: 10 });
		assert!(EraProviders::<Test>::get().is_empty());
		assert_eq!(Stats::<Test>::iter().count(), 0);
		System::assert_has_event(Event::EraClosed { era: 0, pool, providers: 2 }.into());
	});
}

#[test]
fn empty_era_rolls_the_pool_over_and_donations_join_it() {
	build_and_execute(|| {
		run_to(11);
		assert_eq!(CurrentEra::<Test>::get().index, 1);
		// A donation to the pot joins the next pool that is shared.
		assert_ok!(Balances::transfer_allow_death(
			RuntimeOrigin::signed(OUTSIDER),
			Commission::pot(),
			777
		));
		Commission::charge(&earning(P1, 100_000)).unwrap();
		run_to(21);
		assert_eq!(Claimable::<Test>::get(P1), 5_000 + 777);
	});
}

#[test]
fn era_providers_are_bounded() {
	build_and_execute(|| {
		for p in [P1, P2, P3, P4, P5] {
			Commission::charge(&earning(p, 100_000)).unwrap();
		}
		// The fifth still paid its commission but does not share this era's pool.
		assert_eq!(EraProviders::<Test>::get().len(), 4);
		assert!(Stats::<Test>::get(P5).is_none());
		assert_eq!(Pool::<Test>::get(), 25_000);
		run_to(11);
		assert_eq!(Claimable::<Test>::get(P5), 0);
		let shared: u128 = [P1, P2, P3, P4].iter().map(|p| Claimable::<Test>::get(p)).sum();
		assert_eq!(shared, 25_000);
	});
}

#[test]
fn task_history_sets_completion_and_time_weights() {
	build_and_execute(|| {
		for i in 0..7 {
			<Commission as AgreementEnded<u64>>::ended(0, &P1, i % 3 == 0, 50, 100);
		}
		let h = History::<Test>::get(P1);
		assert_eq!(h.len(), 5, "only the last five tasks count");
		// Last five: i = 2..=6, completed at 3 and 6: 2 of 5 < half → W_rc = −0.5;
		// W_rt = 1.5; quality 2.0 → score 0.5 × (0 + 1.5 × 2.0) = 1.5 for one clean period.
		let mut s = EraStats::default();
		s.periods = 1;
		s.availability_sum = 1000;
		s.met = 1;
		assert_eq!(Commission::score_of(&s, &h, &weights()), 1_500_000);
	});
}

#[test]
fn errors_change_nothing() {
	build_and_execute(|| {
		let mut bad = rates();
		bad.platform_ppm = 900_001;
		assert_noop!(
			Commission::set_rates(RuntimeOrigin::root(), bad),
			Error::<Test>::InvalidRates
		);
		assert_noop!(
			Commission::set_rates(RuntimeOrigin::signed(P1), rates()),
			DispatchError::BadOrigin
		);
		let mut w = weights();
		w.sla_met = ScoreWeights::LIMIT + 1;
		assert_noop!(
			Commission::set_score_weights(RuntimeOrigin::root(), w),
			Error::<Test>::WeightOutOfRange
		);
		assert_noop!(
			Commission::set_score_weights(RuntimeOrigin::signed(P1), weights()),
			DispatchError::BadOrigin
		);
		assert_noop!(Commission::set_era_blocks(RuntimeOrigin::root(), 0), Error::<Test>::ZeroEra);
		assert_noop!(
			Commission::set_era_blocks(RuntimeOrigin::signed(P1), 5),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Commission::claim(RuntimeOrigin::signed(HUB_A)),
			Error::<Test>::NothingToClaim
		);
		assert_noop!(
			Commission::withdraw_platform(RuntimeOrigin::root(), OUTSIDER, 1),
			Error::<Test>::InsufficientPlatformBalance
		);
		assert_noop!(
			Commission::withdraw_platform(RuntimeOrigin::signed(P1), OUTSIDER, 1),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Commission::set_reseller(RuntimeOrigin::signed(BUYER), Some(P1)),
			Error::<Test>::NotReseller
		);
		assert_noop!(
			Commission::set_reseller(RuntimeOrigin::signed(RESELLER), Some(RESELLER)),
			Error::<Test>::SelfReferral
		);
		assert_noop!(
			Commission::set_reseller(RuntimeOrigin::signed(OUTSIDER), Some(RESELLER)),
			Error::<Test>::NotParticipant
		);
		// A platform withdrawal too small to create a fresh account.
		Commission::charge(&earning(P1, 30)).unwrap(); // platform line: 3
		let fresh = 99u64;
		assert_noop!(
			Commission::withdraw_platform(RuntimeOrigin::root(), fresh, 3),
			Error::<Test>::BelowMinimum
		);
	});
}

#[test]
fn governance_calls_take_effect() {
	build_and_execute(|| {
		let mut r = rates();
		r.reward_pool_ppm = 0;
		assert_ok!(Commission::set_rates(RuntimeOrigin::root(), r));
		System::assert_last_event(Event::RatesSet { rates: r }.into());
		assert_eq!(Commission::charge(&earning(P1, 1_000_000)).unwrap().reward_pool, 0);
		assert_ok!(Commission::set_score_weights(RuntimeOrigin::root(), ScoreWeights::default()));
		assert_eq!(Weights::<Test>::get(), ScoreWeights::default());
		assert_ok!(Commission::set_era_blocks(RuntimeOrigin::root(), 3));
		run_to(4);
		assert_eq!(CurrentEra::<Test>::get().index, 1);
		assert_ok!(Commission::set_reseller(RuntimeOrigin::signed(BUYER), Some(RESELLER)));
		assert_ok!(Commission::set_reseller(RuntimeOrigin::signed(BUYER), None));
		assert!(Referrals::<Test>::get(BUYER).is_none());
		System::assert_last_event(Event::ResellerSet { buyer: BUYER, reseller: None }.into());
	});
}

mod random {
	use super::*;
	use proptest::prelude::*;

	#[derive(Debug, Clone)]
	enum Op {
		Charge(u8, u32, u16, bool),
		Claim(u8),
		Withdraw(u32),
		Advance(u8),
		Refer(bool),
		Ended(u8, bool, u8),
	}

	fn op() -> impl Strategy<Value = Op> {
		prop_oneof![
			(0u8..5, any::<u32>(), 0u16..1100, any::<bool>())
				.prop_map(|(p, a, v, m)| Op::Charge(p, a, v, m)),
			(0u8..10).prop_map(Op::Claim),
			any::<u32>().prop_map(Op::Withdraw),
			(0u8..15).prop_map(Op::Advance),
			any::<bool>().prop_map(Op::Refer),
			(0u8..5, any::<bool>(), any::<u8>()).prop_map(|(p, c, s)| Op::Ended(p, c, s)),
		]
	}

	proptest! {
		#![proptest_config(ProptestConfig::with_cases(64))]
		/// Random charges, claims, withdrawals and eras: every unit is accounted for, failed
		/// calls change nothing, invariants hold after every step.
		#[test]
		fn money_is_conserved(ops in proptest::collection::vec(op(), 1..60)) {
			new_test_ext(true).execute_with(|| {
				let issuance = pallet_balances::TotalIssuance::<Test>::get();
				let providers = [P1, P2, P3, P4, P5];
				for op in ops {
					let root = sp_io::storage::root(sp_runtime::StateVersion::V1);
					let res = match op {
						Op::Charge(p, amount, avail, met) => {
							let p = providers[p as usize];
							let amount = amount as u128 % 5_000;
							// The provider has just been paid `amount` (billing pays, then charges).
							use frame_support::traits::tokens::Preservation;
							if Balances::transfer(&OUTSIDER, &p, amount, Preservation::Preserve).is_ok() {
								let mut e = earning(p, amount);
								e.availability_permille = avail;
								e.met = met;
								let before = free(p) + free(Commission::pot());
								let lines = Commission::charge(&e).unwrap();
								prop_assert_eq!(free(p) + free(Commission::pot()), before);
								let total = lines.provider + lines.platform + lines.reward_pool
									+ [lines.provider_hub, lines.buyer_hub, lines.reseller].iter().flatten().map(|(_, a)| a).sum::<u128>();
								prop_assert_eq!(total, amount, "lines add up to the pay");
							}
							Ok(())
						},
						Op::Claim(who) => Commission::claim(RuntimeOrigin::signed(who as u64 + 1)),
						Op::Withdraw(a) => Commission::withdraw_platform(RuntimeOrigin::root(), OUTSIDER, a as u128 % 5_000),
						Op::Advance(n) => { run_to(System::block_number() + n as u64); Ok(()) },
						Op::Refer(on) => Commission::set_reseller(RuntimeOrigin::signed(BUYER), on.then_some(RESELLER)),
						Op::Ended(p, c, s) => {
							<Commission as AgreementEnded<u64>>::ended(0, &providers[p as usize], c, s as u64, 255);
							Ok(())
						},
					};
					if res.is_err() {
						prop_assert_eq!(root, sp_io::storage::root(sp_runtime::StateVersion::V1), "failed call changed state");
					}
					Commission::do_try_state().map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
				}
				prop_assert_eq!(pallet_balances::TotalIssuance::<Test>::get(), issuance);
				prop_assert_eq!(all_balances(), issuance, "balances do not add up");
				Ok(())
			})?;
		}
	}
}
