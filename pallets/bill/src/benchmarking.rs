//! Benchmarks for `pallet_bill`. `settle` and `resolve` are measured on an agreement's last
//! period, so they include closing the agreement (with both parties' lists at their bound),
//! every commission line (hubs and a reseller) and the provider joining the era's pool.
use super::*;
use computility_primitives::{NewAgreement, Role};
use frame_benchmarking::v2::*;
use frame_support::traits::{EnsureOrigin, Get};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use pallet_agreement::{AgreementState, Agreements};

struct Parties<A> {
	buyer: A,
	monitor: A,
	id: AgreementId,
}

/// An agreement of one period between approved parties (with hubs and a reseller), both
/// parties' agreement lists filled to their bound, the monitor appointed.
fn lease<T: Config>() -> Parties<T::AccountId> {
	let buyer: T::AccountId = account("buyer", 0, 0);
	let provider: T::AccountId = account("provider", 0, 0);
	let monitor: T::AccountId = account("monitor", 0, 0);
	let reseller: T::AccountId = account("reseller", 0, 0);
	T::BenchmarkHelper::member(&buyer, Role::Buyer);
	T::BenchmarkHelper::member(&provider, Role::Provider);
	T::BenchmarkHelper::member(&monitor, Role::Monitor);
	T::BenchmarkHelper::member(&reseller, Role::Reseller);
	T::BenchmarkHelper::refer(&buyer, &reseller);
	// One period per agreement: the period is the whole hour.
	PeriodBlocks::<T>::put(<T as pallet_agreement::Config>::BlocksPerHour::get());
	let mut id = 0;
	for i in 0..<T as pallet_agreement::Config>::MaxAgreementsPerAccount::get() {
		id = pallet_agreement::Pallet::<T>::do_create(NewAgreement {
			buyer: buyer.clone(),
			provider: provider.clone(),
			ask: i as u64,
			bid: i as u64,
			resource: 0,
			quantity: 4,
			unit_price: 1_000_000_000_000,
			hours: 1,
			sla: computility_primitives::SlaTerms {
				availability_permille: 990,
				max_latency_ms: 50,
				min_throughput: 100,
			},
			task_hash: [0u8; 32],
			escrow: 4_000_000_000_000,
		})
		.expect("agreement created");
	}
	Pallet::<T>::appoint_monitor(RawOrigin::Signed(buyer.clone()).into(), id, monitor.clone())
		.expect("monitor appointed");
	Parties { buyer, monitor, id }
}

fn end_of<T: Config>(id: AgreementId) -> BlockNumberFor<T> {
	Agreements::<T>::get(id).map(|a| a.end).unwrap_or_default()
}

/// Metrics that break one promise (so penalties and refunds are computed).
fn metrics() -> Metrics {
	Metrics { availability_permille: 995, latency_ms: 80, throughput: 150, usage: 1 << 40 }
}

const PERMIT: [u8; 32] = [7u8; 32];

fn reported<T: Config>(p: &Parties<T::AccountId>) {
	frame_system::Pallet::<T>::set_block_number(end_of::<T>(p.id));
	Pallet::<T>::report(
		RawOrigin::Signed(p.monitor.clone()).into(),
		p.id,
		0,
		metrics(),
		[1u8; 32],
		sp_io::hashing::blake2_256(&PERMIT),
	)
	.expect("reported");
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn appoint_monitor() {
		let buyer: T::AccountId = account("buyer", 0, 0);
		let provider: T::AccountId = account("provider", 0, 0);
		let monitor: T::AccountId = account("monitor", 0, 0);
		T::BenchmarkHelper::member(&buyer, Role::Buyer);
		T::BenchmarkHelper::member(&provider, Role::Provider);
		T::BenchmarkHelper::member(&monitor, Role::Monitor);
		let id = pallet_agreement::Pallet::<T>::do_create(NewAgreement {
			buyer: buyer.clone(),
			provider,
			ask: 0,
			bid: 0,
			resource: 0,
			quantity: 1,
			unit_price: 1_000,
			hours: 1,
			sla: Default::default(),
			task_hash: [0u8; 32],
			escrow: 1_000,
		})
		.expect("agreement created");
		#[extrinsic_call]
		_(RawOrigin::Signed(buyer), id, monitor);
		assert!(Monitors::<T>::contains_key(id));
	}

	#[benchmark]
	fn report() {
		let p = lease::<T>();
		frame_system::Pallet::<T>::set_block_number(end_of::<T>(p.id));
		#[extrinsic_call]
		_(RawOrigin::Signed(p.monitor.clone()), p.id, 0, metrics(), [1u8; 32], [2u8; 32]);
		assert!(Reports::<T>::contains_key(p.id, 0));
	}

	#[benchmark]
	fn confirm() {
		let p = lease::<T>();
		reported::<T>(&p);
		#[extrinsic_call]
		_(RawOrigin::Signed(p.buyer.clone()), p.id, 0, PERMIT);
		assert!(Reports::<T>::get(p.id, 0).is_some_and(|r| r.confirmed));
	}

	#[benchmark]
	fn dispute() {
		let p = lease::<T>();
		reported::<T>(&p);
		#[extrinsic_call]
		_(RawOrigin::Signed(p.buyer.clone()), p.id, 0);
		assert!(Disputes::<T>::contains_key(p.id, 0));
	}

	#[benchmark]
	fn settle() {
		let p = lease::<T>();
		reported::<T>(&p);
		Pallet::<T>::confirm(RawOrigin::Signed(p.buyer.clone()).into(), p.id, 0, PERMIT)
			.expect("confirmed");
		#[extrinsic_call]
		_(RawOrigin::Signed(p.buyer.clone()), p.id, 0);
		assert_eq!(Agreements::<T>::get(p.id).map(|a| a.state), Some(AgreementState::Breached));
	}

	#[benchmark]
	fn resolve() -> Result<(), BenchmarkError> {
		let origin = <T as Config>::GovernanceOrigin::try_successful_origin()
			.map_err(|_| BenchmarkError::Weightless)?;
		let p = lease::<T>();
		reported::<T>(&p);
		Pallet::<T>::dispute(RawOrigin::Signed(p.buyer.clone()).into(), p.id, 0)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, p.id, 0, metrics());
		assert_eq!(Agreements::<T>::get(p.id).map(|a| a.state), Some(AgreementState::Breached));
		Ok(())
	}

	#[benchmark]
	fn set_period() -> Result<(), BenchmarkError> {
		let origin = <T as Config>::GovernanceOrigin::try_successful_origin()
			.map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, 42u32.into());
		assert_eq!(PeriodBlocks::<T>::get(), 42u32.into());
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
