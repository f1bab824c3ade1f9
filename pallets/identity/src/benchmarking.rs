//! Benchmarks for the identity pallet, each at its worst case (full bounded vectors, longest
//! names, hubs with members).
use super::*;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{fungible::Mutate, EnsureOrigin, Get},
	BoundedVec,
};
use frame_system::RawOrigin;
use sp_core::H256;
use sp_runtime::traits::Bounded;

fn funded<T: Config>(name: &'static str, i: u32) -> T::AccountId {
	let who: T::AccountId = account(name, i, 0);
	let amount = BalanceOf::<T>::max_value() / 1_000u32.into();
	let _ = T::Currency::mint_into(&who, amount);
	who
}

fn long_name<T: Config>() -> BoundedVec<u8, T::MaxNameLen> {
	BoundedVec::truncate_from(alloc::vec![b'n'; T::MaxNameLen::get() as usize])
}

fn long_model<T: Config>() -> BoundedVec<u8, T::MaxModelLen> {
	BoundedVec::truncate_from(alloc::vec![b'm'; T::MaxModelLen::get() as usize])
}

fn a_spec() -> ResourceSpec {
	ResourceSpec {
		quantity: 8,
		performance: 1_000,
		region: *b"CN-GD\0\0\0",
		green_percent: 50,
		security_level: 3,
	}
}

/// An approved hub operator.
fn hub<T: Config>() -> T::AccountId {
	let hub = funded::<T>("hub", 0);
	Pallet::<T>::do_register(hub.clone(), Role::HubOperator, long_name::<T>(), H256::zero(), None)
		.expect("hub registers");
	Pallet::<T>::do_approve(hub.clone()).expect("hub approved");
	hub
}

/// A registered participant under a fresh hub, approved if `approve`.
fn participant<T: Config>(role: Role, approve: bool) -> T::AccountId {
	let hub = hub::<T>();
	let who = funded::<T>("who", 0);
	Pallet::<T>::do_register(who.clone(), role, long_name::<T>(), H256::zero(), Some(hub))
		.expect("registers");
	if approve {
		Pallet::<T>::do_approve(who.clone()).expect("approved");
	}
	who
}

/// A provider with `n` active resources; returns it and the ids.
fn provider_with<T: Config>(n: u32) -> (T::AccountId, alloc::vec::Vec<ResourceId>) {
	let who = participant::<T>(Role::Provider, true);
	let mut ids = alloc::vec::Vec::new();
	for _ in 0..n {
		ids.push(NextResourceId::<T>::get());
		Pallet::<T>::do_register_resource(
			who.clone(),
			ResourceKind::Gpu,
			long_model::<T>(),
			a_spec(),
		)
		.expect("resource registers");
	}
	(who, ids)
}

fn gov<T: Config>() -> Result<T::RuntimeOrigin, BenchmarkError> {
	T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)
}

#[benchmarks(where <T as frame_system::Config>::RuntimeCall: From<Call<T>>)]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register() {
		let hub = hub::<T>();
		let who = funded::<T>("new", 0);
		#[extrinsic_call]
		_(
			RawOrigin::Signed(who.clone()),
			Role::Provider,
			long_name::<T>(),
			H256::zero(),
			Some(hub),
		);
		assert!(Participants::<T>::contains_key(&who));
	}

	#[benchmark]
	fn update_profile() {
		let who = participant::<T>(Role::Buyer, true);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), long_name::<T>(), H256::repeat_byte(1));
		assert_eq!(Participants::<T>::get(&who).map(|p| p.metadata), Some(H256::repeat_byte(1)));
	}

	#[benchmark]
	fn approve() -> Result<(), BenchmarkError> {
		let origin = gov::<T>()?;
		let who = participant::<T>(Role::Provider, false);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone());
		assert!(Participants::<T>::get(&who).is_some_and(|p| p.status == Status::Approved));
		Ok(())
	}

	#[benchmark]
	fn suspend() -> Result<(), BenchmarkError> {
		let origin = gov::<T>()?;
		let who = participant::<T>(Role::Provider, true);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone());
		assert!(Participants::<T>::get(&who).is_some_and(|p| p.status == Status::Suspended));
		Ok(())
	}

	#[benchmark]
	fn reinstate() -> Result<(), BenchmarkError> {
		let origin = gov::<T>()?;
		let who = participant::<T>(Role::Provider, true);
		Participants::<T>::mutate(&who, |p| {
			if let Some(p) = p {
				p.status = Status::Suspended
			}
		});
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone());
		assert!(Participants::<T>::get(&who).is_some_and(|p| p.status == Status::Approved));
		Ok(())
	}

	#[benchmark]
	fn revoke() -> Result<(), BenchmarkError> {
		let origin = gov::<T>()?;
		let who = participant::<T>(Role::Provider, true);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone());
		assert!(Participants::<T>::get(&who).is_some_and(|p| p.status == Status::Revoked));
		Ok(())
	}

	#[benchmark]
	fn deregister() {
		let who = participant::<T>(Role::Provider, true);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));
		assert!(!Participants::<T>::contains_key(&who));
	}

	#[benchmark]
	fn register_resource() {
		let (who, _) = provider_with::<T>(T::MaxResourcesPerOwner::get() - 1);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), ResourceKind::Gpu, long_model::<T>(), a_spec());
		assert_eq!(ResourcesOf::<T>::get(&who).len() as u32, T::MaxResourcesPerOwner::get());
	}

	#[benchmark]
	fn update_resource() {
		let (who, ids) = provider_with::<T>(1);
		let spec = ResourceSpec { quantity: 16, ..a_spec() };
		#[extrinsic_call]
		_(RawOrigin::Signed(who), ids[0], spec);
		assert_eq!(Resources::<T>::get(ids[0]).map(|r| r.spec.quantity), Some(16));
	}

	#[benchmark]
	fn retire_resource() {
		let (who, ids) = provider_with::<T>(T::MaxResourcesPerOwner::get());
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), ids[ids.len() - 1]);
		assert_eq!(ResourcesOf::<T>::get(&who).len() as u32, T::MaxResourcesPerOwner::get() - 1);
	}

	/// The membership check of every signed transaction, at its costliest: a non-member's
	/// joining call (participant lookup, exemption lookup, call hashing for the pool slot).
	#[benchmark]
	fn check_membership() {
		let who = funded::<T>("outsider", 0);
		let call: <T as frame_system::Config>::RuntimeCall = Call::<T>::register {
			role: Role::Provider,
			name: long_name::<T>(),
			metadata: H256::zero(),
			hub: Some(who.clone()),
		}
		.into();
		let result;
		#[block]
		{
			result = crate::extension::check::<T>(&who, &call);
		}
		assert!(result.is_ok() || result == Err(crate::extension::NOT_REGISTERED));
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(false), crate::mock::Test);
}
