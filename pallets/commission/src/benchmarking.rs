//! Benchmarks for `pallet_commission`; `close_era` with up to `MaxEraProviders` providers, each
//! with a full task history.
use super::*;
use computility_primitives::Role;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{
		fungible::{Inspect, Mutate},
		ConstU32, EnsureOrigin, Get,
	},
	BoundedVec,
};
use frame_system::RawOrigin;

fn fund_pot<T: Config>(amount: u128) {
	let _ = T::Currency::mint_into(&Pallet::<T>::pot(), amount);
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn set_rates() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let rates = CommissionRates { platform_ppm: 1, ..Default::default() };
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, rates);
		assert_eq!(Rates::<T>::get(), rates);
		Ok(())
	}

	#[benchmark]
	fn set_score_weights() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let w = ScoreWeights { availability: 7, ..Default::default() };
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, w);
		assert_eq!(Weights::<T>::get(), w);
		Ok(())
	}

	#[benchmark]
	fn set_reseller() {
		let buyer: T::AccountId = account("buyer", 0, 0);
		let reseller: T::AccountId = account("reseller", 0, 0);
		T::BenchmarkHelper::member(&buyer, Role::Buyer);
		T::BenchmarkHelper::member(&reseller, Role::Reseller);
		#[extrinsic_call]
		_(RawOrigin::Signed(buyer.clone()), Some(reseller.clone()));
		assert_eq!(Referrals::<T>::get(&buyer), Some(reseller));
	}

	#[benchmark]
	fn claim() {
		let who: T::AccountId = account("hub", 0, 0);
		let _ = T::Currency::mint_into(&who, T::Currency::minimum_balance());
		let amount = T::Currency::minimum_balance().saturating_mul(10);
		fund_pot::<T>(amount);
		Claimable::<T>::insert(&who, amount);
		TotalClaimable::<T>::put(amount);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));
		assert_eq!(Claimable::<T>::get(&who), 0);
	}

	#[benchmark]
	fn withdraw_platform() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let dest: T::AccountId = account("treasury", 0, 0);
		let amount = T::Currency::minimum_balance().saturating_mul(10);
		fund_pot::<T>(amount);
		PlatformBalance::<T>::put(amount);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, dest, amount);
		assert_eq!(PlatformBalance::<T>::get(), 0);
		Ok(())
	}

	#[benchmark]
	fn set_era_blocks() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, 77u32.into());
		assert_eq!(EraBlocks::<T>::get(), 77u32.into());
		Ok(())
	}

	/// The era's close in `on_initialize`: scores and shares for `n` providers.
	#[benchmark]
	fn close_era(n: Linear<0, { T::MaxEraProviders::get() }>) {
		let pool = T::Currency::minimum_balance().saturating_mul(1_000_000);
		fund_pot::<T>(pool);
		Pool::<T>::put(pool);
		let mut list = BoundedVec::<T::AccountId, T::MaxEraProviders>::default();
		for i in 0..n {
			let p: T::AccountId = account("provider", i, 0);
			let _ = list.try_push(p.clone());
			Stats::<T>::insert(
				&p,
				EraStats { units: [i as u64; KINDS], periods: 10, availability_sum: 9_900, met: 9 },
			);
			let tasks: BoundedVec<PastTask, ConstU32<5>> = BoundedVec::truncate_from(
				(0..5)
					.map(|k| PastTask { completed: k % 2 == 0, served: 50, planned: 100 })
					.collect(),
			);
			History::<T>::insert(&p, tasks);
		}
		EraProviders::<T>::put(list);
		let now = frame_system::Pallet::<T>::block_number();
		#[block]
		{
			Pallet::<T>::close_era(now);
		}
		assert_eq!(Pool::<T>::get(), if n == 0 { pool } else { 0 });
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(false), crate::mock::Test);
}
