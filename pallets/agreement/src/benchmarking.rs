//! Benchmarks for `pallet_agreement`, with both parties' lists filled to their bound.
use super::*;
use computility_primitives::NewAgreement;
use frame_benchmarking::v2::*;
use frame_support::traits::{fungible::Mutate, EnsureOrigin, Get};
use frame_system::RawOrigin;
use sp_runtime::{traits::One, Perbill};

fn funded<T: Config>(name: &'static str) -> T::AccountId {
	let who: T::AccountId = account(name, 0, 0);
	let _ = T::Currency::mint_into(&who, 1u128 << 100);
	who
}

/// `n` agreements between the same buyer and provider; returns the parties and the last id.
fn agreements<T: Config>(n: u32) -> (T::AccountId, T::AccountId, AgreementId) {
	let buyer = funded::<T>("buyer");
	let provider = funded::<T>("provider");
	let mut last = 0;
	for i in 0..n {
		last = Pallet::<T>::do_create(NewAgreement {
			buyer: buyer.clone(),
			provider: provider.clone(),
			ask: i as u64,
			bid: i as u64,
			resource: 0,
			quantity: 4,
			unit_price: 1_000,
			hours: 10,
			sla: Default::default(),
			task_hash: [0u8; 32],
			escrow: 40_000,
		})
		.expect("agreement created");
	}
	(buyer, provider, last)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn terminate() {
		// The benchmarking harness moves a zero block number to 1 after set-up; start there.
		frame_system::Pallet::<T>::set_block_number(One::one());
		let (buyer, _, id) = agreements::<T>(T::MaxAgreementsPerAccount::get());
		// Unmetered: pay pro rata and close. Metered: the heaviest path refunds, moves the end
		// and closes at once (nothing served yet).
		if !T::Metered::get() {
			frame_system::Pallet::<T>::set_block_number(
				frame_system::Pallet::<T>::block_number() + One::one(),
			);
		}
		#[extrinsic_call]
		_(RawOrigin::Signed(buyer), id);
		assert_eq!(Agreements::<T>::get(id).map(|a| a.state), Some(AgreementState::Terminated));
	}

	#[benchmark]
	fn complete() {
		let (buyer, _, id) = agreements::<T>(T::MaxAgreementsPerAccount::get());
		let end = Agreements::<T>::get(id).map(|a| a.end).unwrap_or_default();
		frame_system::Pallet::<T>::set_block_number(end);
		// Metered runtimes refuse `complete` (billing closes agreements); the refusal is what
		// is weighed there.
		#[block]
		{
			let _ = Pallet::<T>::complete(RawOrigin::Signed(buyer).into(), id);
		}
		let expected =
			if T::Metered::get() { AgreementState::Active } else { AgreementState::Completed };
		assert_eq!(Agreements::<T>::get(id).map(|a| a.state), Some(expected));
	}

	#[benchmark]
	fn dispute() {
		let (buyer, _, id) = agreements::<T>(1);
		#[extrinsic_call]
		_(RawOrigin::Signed(buyer), id);
		assert_eq!(Agreements::<T>::get(id).map(|a| a.state), Some(AgreementState::Disputed));
	}

	#[benchmark]
	fn resolve_dispute() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let (buyer, _, id) = agreements::<T>(T::MaxAgreementsPerAccount::get());
		Pallet::<T>::dispute(RawOrigin::Signed(buyer).into(), id)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id, Perbill::from_percent(60));
		assert_eq!(Agreements::<T>::get(id).map(|a| a.state), Some(AgreementState::Completed));
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
