//! Benchmarks for `pallet_validator_set`: worst case is a set filled to `MaxValidators - 1`.
use super::*;
use frame_benchmarking::v2::*;
use frame_support::traits::{EnsureOrigin, Get};

/// Fill the set up to `n` distinct accounts.
fn fill<T: Config>(n: u32) {
	let mut set = Validators::<T>::get();
	let mut i = 0;
	while (set.len() as u32) < n {
		let who: T::AccountId = account("validator", i, 0);
		if !set.contains(&who) && set.try_push(who).is_err() {
			break;
		}
		i += 1;
	}
	Validators::<T>::put(set);
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn add_validator() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		fill::<T>(T::MaxValidators::get().saturating_sub(1));
		let who: T::AccountId = account("new", 0, 0);
		T::BenchmarkHelper::register_session_keys(&who);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone());
		assert!(Validators::<T>::get().contains(&who));
		Ok(())
	}

	#[benchmark]
	fn remove_validator() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		fill::<T>(T::MaxValidators::get());
		let who = Validators::<T>::get().last().cloned().ok_or(BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone());
		assert!(!Validators::<T>::get().contains(&who));
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
