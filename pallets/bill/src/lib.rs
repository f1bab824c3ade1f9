//! # Bill: trusted transaction bills (CN113315635)
//!
//! The fourth of the five trusts. A metered agreement is paid period by period (its
//! [`pallet_agreement::Agreement::period`] blocks each). For every period:
//!
//! 1. **Metering.** An independent monitor (an approved participant with the monitor role,
//!    neither buyer nor provider), appointed by the buyer ([`Pallet::appoint_monitor`]),
//!    reports the period's [`Metrics`] with the digest of its raw measurement log and a
//!    commitment `blake2_256(permit)` to its one-time permit ([`Pallet::report`]).
//! 2. **Permits.** Buyer and monitor share a key `K` off chain. The permit of a period is
//!    `HMAC-SHA256(K, "computility-permit" ‖ agreement (u64 LE) ‖ period (u32 LE) ‖
//!    blake2_256(SCALE(metrics) ‖ digest))`, valid for that agreement, period and report only.
//!    The buyer computes it from the report on chain and reveals it ([`Pallet::confirm`]); it
//!    must hash to the monitor's commitment. Neither can produce the other's code without `K`,
//!    and the monitor cannot see the buyer's code before committing.
//! 3. **Settlement.** Anyone may settle a due period ([`Pallet::settle`]): the SLA check of
//!    [`computility_market::settlement`] decides the provider's pay (scaled by availability,
//!    less penalties) and the buyer's refund, both from escrow; commission is charged on the
//!    pay; an immutable [`Bill`] is written. The last settled period closes the agreement
//!    (`Completed`, `Breached` or `Terminated`).
//!
//! ## Overdue periods and disputes
//! Within [`Config::Window`] blocks after a period ends the buyer or the provider may dispute it
//! ([`Pallet::dispute`]); the governance origin then settles it on the metrics it decides
//! ([`Pallet::resolve`]). After the window an undisputed period settles as reported even when
//! unconfirmed ([`Basis::Deemed`]); unreported, it is refunded to the buyer if a monitor was
//! appointed for it ([`Basis::Unmetered`]), paid in full if the buyer appointed none
//! ([`Basis::Waived`]).
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub mod types;
pub mod weights;
pub use types::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

/// Sets up parties for the benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Make `who` an approved, active, funded participant with `role` under a hub.
	fn member(who: &AccountId, role: computility_primitives::Role);
	/// Make `reseller` the reseller of `buyer` (so bills carry every commission line).
	fn refer(buyer: &AccountId, reseller: &AccountId);
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use computility_market::settlement;
	use computility_primitives::{Commission, Earning, IdentityRegistry, ResourceKind, Role};
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;
	use pallet_agreement::{AgreementOf, AgreementState, Agreements, BalanceOf};
	use sp_runtime::traits::{SaturatedConversion, Saturating, Zero};

	/// A bill of this runtime.
	pub type BillOf<T> =
		Bill<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config + pallet_agreement::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;
		/// Roles and standing of monitors; resource kinds.
		type Identity: IdentityRegistry<Self::AccountId>;
		/// Charges commission on each bill's pay.
		type Commission: Commission<Self::AccountId, BalanceOf<Self>>;
		/// Resolves disputed periods and sets the period length.
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Blocks after a period's end to report, confirm or dispute it.
		#[pallet::constant]
		type Window: Get<BlockNumberFor<Self>>;
		/// Share of the period's pay refunded to the buyer per broken promise, in parts per
		/// million.
		#[pallet::constant]
		type PenaltyPpm: Get<u32>;
		/// Weights.
		type WeightInfo: WeightInfo;
		/// Benchmark set-up.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// Settlement period of new agreements, in blocks.
	#[pallet::storage]
	pub type PeriodBlocks<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	/// The monitor appointed for each agreement.
	#[pallet::storage]
	pub type Monitors<T: Config> =
		StorageMap<_, Twox64Concat, AgreementId, Appointment<T::AccountId>, OptionQuery>;

	/// Reports not yet settled.
	#[pallet::storage]
	pub type Reports<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		AgreementId,
		Twox64Concat,
		PeriodIndex,
		Report<T::AccountId>,
		OptionQuery,
	>;

	/// Disputed periods awaiting governance.
	#[pallet::storage]
	pub type Disputes<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		AgreementId,
		Twox64Concat,
		PeriodIndex,
		Disputant,
		OptionQuery,
	>;

	/// Settlement progress of running agreements.
	#[pallet::storage]
	pub type Settled<T: Config> = StorageMap<_, Twox64Concat, AgreementId, Progress, ValueQuery>;

	/// The bill of each settled period.
	#[pallet::storage]
	pub type BillOfPeriod<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		AgreementId,
		Twox64Concat,
		PeriodIndex,
		BillId,
		OptionQuery,
	>;

	/// All bills (immutable).
	#[pallet::storage]
	pub type Bills<T: Config> = StorageMap<_, Twox64Concat, BillId, BillOf<T>, OptionQuery>;

	/// The next bill id.
	#[pallet::storage]
	pub type NextBillId<T> = StorageValue<_, BillId, ValueQuery>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Settlement period in blocks (0: one hour of 6-second blocks).
		pub period_blocks: u32,
		#[serde(skip)]
		pub _phantom: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			let p = if self.period_blocks == 0 { 600 } else { self.period_blocks };
			PeriodBlocks::<T>::put(BlockNumberFor::<T>::from(p));
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// The buyer appointed a monitor for an agreement.
		MonitorAppointed {
			/// The agreement.
			agreement: AgreementId,
			/// The monitor.
			monitor: T::AccountId,
			/// The first period it meters.
			from_period: PeriodIndex,
		},
		/// A monitor reported a period.
		Reported {
			/// The agreement.
			agreement: AgreementId,
			/// The period.
			period: PeriodIndex,
			/// The monitor.
			monitor: T::AccountId,
			/// Digest of its measurement log.
			digest: [u8; 32],
		},
		/// The buyer's permit matched the monitor's.
		Confirmed {
			/// The agreement.
			agreement: AgreementId,
			/// The period.
			period: PeriodIndex,
		},
		/// A party disputed a period.
		PeriodDisputed {
			/// The agreement.
			agreement: AgreementId,
			/// The period.
			period: PeriodIndex,
			/// Who disputed.
			by: Disputant,
		},
		/// A period was settled and billed.
		Billed {
			/// The bill.
			bill: BillId,
			/// The agreement.
			agreement: AgreementId,
			/// The period.
			period: PeriodIndex,
			/// Paid to the provider (before commission).
			to_provider: BalanceOf<T>,
			/// Refunded to the buyer.
			to_buyer: BalanceOf<T>,
			/// Commission charged on the pay.
			commission: BalanceOf<T>,
			/// Grounds.
			basis: Basis,
		},
		/// Governance settled a disputed period.
		DisputeResolved {
			/// The agreement.
			agreement: AgreementId,
			/// The period.
			period: PeriodIndex,
		},
		/// Every period of an agreement is settled; it is closed.
		AgreementSettled {
			/// The agreement.
			agreement: AgreementId,
			/// How it ended.
			state: AgreementState,
		},
		/// Governance set the settlement period of new agreements.
		PeriodSet {
			/// Blocks per period.
			blocks: BlockNumberFor<T>,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No agreement has this id.
		UnknownAgreement,
		/// The agreement is not running (ended, or disputed as a whole).
		AgreementNotActive,
		/// Only the agreement's buyer may do this.
		NotBuyer,
		/// Only the agreement's buyer or provider may do this.
		NotParty,
		/// The account is not an active participant with the monitor role.
		NotMonitor,
		/// The monitor must be neither the buyer nor the provider.
		MonitorNotIndependent,
		/// The agreement already has a monitor.
		MonitorAlreadyAppointed,
		/// Only the appointed monitor may report.
		NotAppointedMonitor,
		/// The agreement has no such period.
		UnknownPeriod,
		/// The period started before the monitor was appointed.
		BeforeAppointment,
		/// The period has not ended yet.
		PeriodNotEnded,
		/// The window to report or dispute this period has closed.
		WindowClosed,
		/// The period is already settled.
		AlreadySettled,
		/// The period is already reported.
		AlreadyReported,
		/// Availability above 1000 per mille.
		InvalidMetrics,
		/// The period has no report.
		NoReport,
		/// The report is already confirmed.
		AlreadyConfirmed,
		/// The permit does not hash to the monitor's commitment.
		PermitMismatch,
		/// The period is disputed: governance settles it.
		PeriodDisputed,
		/// The period is already disputed.
		AlreadyDisputed,
		/// The period is not disputed.
		NotDisputed,
		/// The period is reported but not confirmed, and its window is still open.
		AwaitingConfirmation,
		/// A period lasts at least one block.
		InvalidPeriod,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Appoint the monitor that meters an agreement from the running period on.
		///
		/// - `origin`: the agreement's buyer.
		/// - `agreement`: a running agreement without a monitor.
		/// - `monitor`: an active participant with the monitor role, neither party.
		///
		/// Emits [`Event::MonitorAppointed`].
		#[pallet::call_index(0)]
		pub fn appoint_monitor(
			origin: OriginFor<T>,
			agreement: AgreementId,
			monitor: T::AccountId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let a = Self::active(agreement)?;
			ensure!(who == a.buyer, Error::<T>::NotBuyer);
			ensure!(!Monitors::<T>::contains_key(agreement), Error::<T>::MonitorAlreadyAppointed);
			ensure!(monitor != a.buyer && monitor != a.provider, Error::<T>::MonitorNotIndependent);
			ensure!(
				<T as Config>::Identity::is_active_with_role(&monitor, Role::Monitor),
				Error::<T>::NotMonitor
			);
			// The period running now: the monitor meters it and every later one. Periods that
			// have ended stay as they were (no monitor), so a late appointment cannot turn
			// them into refunds.
			let now = frame_system::Pallet::<T>::block_number();
			let elapsed: u64 = now.saturating_sub(a.start).saturated_into();
			let period: u64 = a.period.saturated_into::<u64>().max(1);
			let from_period = (elapsed / period).saturated_into::<u32>();
			Monitors::<T>::insert(agreement, Appointment { monitor: monitor.clone(), from_period });
			Self::deposit_event(Event::MonitorAppointed { agreement, monitor, from_period });
			Ok(())
		}

		/// Report a period's metrics, with the digest of the measurement log and the
		/// commitment `blake2_256(permit)` to the monitor's one-time permit.
		///
		/// - `origin`: the agreement's monitor.
		/// - `period`: a period it meters that has ended, within its window, not yet reported.
		///
		/// Emits [`Event::Reported`].
		#[pallet::call_index(1)]
		pub fn report(
			origin: OriginFor<T>,
			agreement: AgreementId,
			period: PeriodIndex,
			metrics: Metrics,
			digest: [u8; 32],
			commitment: [u8; 32],
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let a = Self::active(agreement)?;
			let m = Monitors::<T>::get(agreement).ok_or(Error::<T>::NotAppointedMonitor)?;
			ensure!(m.monitor == who, Error::<T>::NotAppointedMonitor);
			ensure!(metrics.is_valid(), Error::<T>::InvalidMetrics);
			let (_, end) = Self::bounds(&a, period).ok_or(Error::<T>::UnknownPeriod)?;
			ensure!(period >= m.from_period, Error::<T>::BeforeAppointment);
			let now = frame_system::Pallet::<T>::block_number();
			ensure!(now >= end, Error::<T>::PeriodNotEnded);
			ensure!(now < end.saturating_add(T::Window::get()), Error::<T>::WindowClosed);
			ensure!(
				!BillOfPeriod::<T>::contains_key(agreement, period),
				Error::<T>::AlreadySettled
			);
			ensure!(!Reports::<T>::contains_key(agreement, period), Error::<T>::AlreadyReported);
			Reports::<T>::insert(
				agreement,
				period,
				Report { monitor: who.clone(), metrics, digest, commitment, confirmed: false },
			);
			Self::deposit_event(Event::Reported { agreement, period, monitor: who, digest });
			Ok(())
		}

		/// Confirm a report by revealing the buyer's permit for it (see the pallet docs).
		///
		/// - `origin`: the agreement's buyer.
		/// - `permit`: must hash (`blake2_256`) to the monitor's commitment.
		///
		/// Emits [`Event::Confirmed`].
		#[pallet::call_index(2)]
		pub fn confirm(
			origin: OriginFor<T>,
			agreement: AgreementId,
			period: PeriodIndex,
			permit: [u8; 32],
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let a = Self::active(agreement)?;
			ensure!(who == a.buyer, Error::<T>::NotBuyer);
			ensure!(!Disputes::<T>::contains_key(agreement, period), Error::<T>::PeriodDisputed);
			Reports::<T>::try_mutate(agreement, period, |r| {
				let r = r.as_mut().ok_or(Error::<T>::NoReport)?;
				ensure!(!r.confirmed, Error::<T>::AlreadyConfirmed);
				ensure!(
					sp_io::hashing::blake2_256(&permit) == r.commitment,
					Error::<T>::PermitMismatch
				);
				r.confirmed = true;
				Ok::<_, DispatchError>(())
			})?;
			Self::deposit_event(Event::Confirmed { agreement, period });
			Ok(())
		}

		/// Dispute a period: it is settled by governance, not by the report.
		///
		/// - `origin`: the buyer (unless it confirmed the report) or the provider.
		/// - `period`: ended, within its window, not settled, not disputed.
		///
		/// Emits [`Event::PeriodDisputed`].
		#[pallet::call_index(3)]
		pub fn dispute(
			origin: OriginFor<T>,
			agreement: AgreementId,
			period: PeriodIndex,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let a = Self::active(agreement)?;
			let by = if who == a.buyer {
				Disputant::Buyer
			} else if who == a.provider {
				Disputant::Provider
			} else {
				return Err(Error::<T>::NotParty.into());
			};
			let (_, end) = Self::bounds(&a, period).ok_or(Error::<T>::UnknownPeriod)?;
			let now = frame_system::Pallet::<T>::block_number();
			ensure!(now >= end, Error::<T>::PeriodNotEnded);
			ensure!(now < end.saturating_add(T::Window::get()), Error::<T>::WindowClosed);
			ensure!(
				!BillOfPeriod::<T>::contains_key(agreement, period),
				Error::<T>::AlreadySettled
			);
			ensure!(!Disputes::<T>::contains_key(agreement, period), Error::<T>::AlreadyDisputed);
			if by == Disputant::Buyer {
				let confirmed = Reports::<T>::get(agreement, period).is_some_and(|r| r.confirmed);
				ensure!(!confirmed, Error::<T>::AlreadyConfirmed);
			}
			Disputes::<T>::insert(agreement, period, by);
			Self::deposit_event(Event::PeriodDisputed { agreement, period, by });
			Ok(())
		}

		/// Settle a due period: a confirmed report at once; after the window, by the overdue
		/// rules (see the pallet docs). Pays the provider, refunds the buyer, charges
		/// commission, writes the bill; the last period closes the agreement.
		///
		/// - `origin`: anyone (signed).
		///
		/// Emits [`Event::Billed`] (and [`Event::AgreementSettled`] for the last period).
		#[pallet::call_index(4)]
		pub fn settle(
			origin: OriginFor<T>,
			agreement: AgreementId,
			period: PeriodIndex,
		) -> DispatchResult {
			ensure_signed(origin)?;
			let a = Self::active(agreement)?;
			let (_, end) = Self::bounds(&a, period).ok_or(Error::<T>::UnknownPeriod)?;
			let now = frame_system::Pallet::<T>::block_number();
			ensure!(now >= end, Error::<T>::PeriodNotEnded);
			ensure!(
				!BillOfPeriod::<T>::contains_key(agreement, period),
				Error::<T>::AlreadySettled
			);
			ensure!(!Disputes::<T>::contains_key(agreement, period), Error::<T>::PeriodDisputed);
			let overdue = now >= end.saturating_add(T::Window::get());
			let report = Reports::<T>::get(agreement, period);
			let (basis, metrics, digest) = match report {
				Some(r) if r.confirmed => (Basis::Confirmed, Some(r.metrics), Some(r.digest)),
				Some(_) if !overdue => return Err(Error::<T>::AwaitingConfirmation.into()),
				Some(r) => (Basis::Deemed, Some(r.metrics), Some(r.digest)),
				None if !overdue => return Err(Error::<T>::AwaitingConfirmation.into()),
				None => match Monitors::<T>::get(agreement) {
					Some(m) if period >= m.from_period => (Basis::Unmetered, None, None),
					_ => (Basis::Waived, None, None),
				},
			};
			Self::do_settle(agreement, &a, period, basis, metrics, digest)
		}

		/// Settle a disputed period on the metrics governance decided.
		///
		/// - `origin`: the governance origin.
		/// - `metrics`: what governance finds was delivered.
		///
		/// Emits [`Event::DisputeResolved`] and [`Event::Billed`].
		#[pallet::call_index(5)]
		pub fn resolve(
			origin: OriginFor<T>,
			agreement: AgreementId,
			period: PeriodIndex,
			metrics: Metrics,
		) -> DispatchResult {
			<T as Config>::GovernanceOrigin::ensure_origin(origin)?;
			let a = Self::active(agreement)?;
			ensure!(Disputes::<T>::contains_key(agreement, period), Error::<T>::NotDisputed);
			ensure!(metrics.is_valid(), Error::<T>::InvalidMetrics);
			Disputes::<T>::remove(agreement, period);
			let digest = Reports::<T>::get(agreement, period).map(|r| r.digest);
			Self::deposit_event(Event::DisputeResolved { agreement, period });
			Self::do_settle(agreement, &a, period, Basis::Governance, Some(metrics), digest)
		}

		/// Set the settlement period of agreements created from now on.
		///
		/// - `origin`: the governance origin.
		/// - `blocks`: at least 1.
		///
		/// Emits [`Event::PeriodSet`].
		#[pallet::call_index(6)]
		pub fn set_period(origin: OriginFor<T>, blocks: BlockNumberFor<T>) -> DispatchResult {
			<T as Config>::GovernanceOrigin::ensure_origin(origin)?;
			ensure!(!blocks.is_zero(), Error::<T>::InvalidPeriod);
			PeriodBlocks::<T>::put(blocks);
			Self::deposit_event(Event::PeriodSet { blocks });
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		fn active(id: AgreementId) -> Result<AgreementOf<T>, DispatchError> {
			let a = Agreements::<T>::get(id).ok_or(Error::<T>::UnknownAgreement)?;
			ensure!(a.state == AgreementState::Active, Error::<T>::AgreementNotActive);
			Ok(a)
		}

		/// Number of periods of an agreement (up to its current end).
		pub fn periods(a: &AgreementOf<T>) -> u32 {
			let len: u64 = a.end.saturating_sub(a.start).saturated_into();
			let p: u64 = a.period.saturated_into::<u64>().max(1);
			len.div_ceil(p).saturated_into()
		}

		/// First and last-plus-one block of period `p`, if the agreement has it.
		pub fn bounds(
			a: &AgreementOf<T>,
			p: PeriodIndex,
		) -> Option<(BlockNumberFor<T>, BlockNumberFor<T>)> {
			let offset = a.period.checked_mul(&p.into())?;
			let from = a.start.checked_add(&offset)?;
			if from >= a.end {
				return None;
			}
			Some((from, from.saturating_add(a.period).min(a.end)))
		}

		/// The escrow due for period `p`: the pro-rata escrow up to its end less that up to its
		/// start (over the agreed length, so the dues of all periods add up to the escrow, or
		/// to what was earned when ended early).
		pub fn due(a: &AgreementOf<T>, p: PeriodIndex) -> Option<BalanceOf<T>> {
			let (from, to) = Self::bounds(a, p)?;
			let earned = |b| pallet_agreement::Pallet::<T>::earned(a, b);
			earned(to)?.checked_sub(earned(from)?)
		}

		fn do_settle(
			id: AgreementId,
			a: &AgreementOf<T>,
			period: PeriodIndex,
			basis: Basis,
			metrics: Option<Metrics>,
			digest: Option<[u8; 32]>,
		) -> DispatchResult {
			let due = Self::due(a, period).ok_or(Error::<T>::UnknownPeriod)?;
			let levels: settlement::Levels = a.sla;
			// Unmetered: no evidence of service at all.
			let measured = match (basis, metrics) {
				(Basis::Waived, _) => None,
				(_, Some(m)) => Some(m),
				(_, None) => Some(Metrics::default()),
			};
			let (split, breaches) = match measured {
				None => (settlement::PeriodSettlement { to_provider: due, to_buyer: 0 }, 0u8),
				Some(m) => {
					let mm: settlement::Metrics = m.into();
					let b = settlement::check(&levels, &mm);
					let bits =
						b.availability as u8 | (b.latency as u8) << 1 | (b.throughput as u8) << 2;
					(settlement::settle_period(due, &levels, &mm, T::PenaltyPpm::get()), bits)
				},
			};
			pallet_agreement::Pallet::<T>::pay_provider(id, split.to_provider)?;
			pallet_agreement::Pallet::<T>::refund_buyer(id, split.to_buyer)?;
			let kind =
				<T as Config>::Identity::resource(a.resource).map_or(ResourceKind::Cpu, |r| r.kind);
			let lines = T::Commission::charge(&Earning {
				provider: a.provider.clone(),
				buyer: a.buyer.clone(),
				pay: split.to_provider,
				kind,
				quantity: a.quantity,
				availability_permille: measured.map_or(1000, |m| m.availability_permille),
				met: breaches == 0,
			})?;
			let bill = NextBillId::<T>::get();
			NextBillId::<T>::put(bill.saturating_add(1));
			let commission = split.to_provider.saturating_sub(lines.provider);
			Bills::<T>::insert(
				bill,
				Bill {
					agreement: id,
					period,
					provider: a.provider.clone(),
					buyer: a.buyer.clone(),
					due,
					to_provider: split.to_provider,
					to_buyer: split.to_buyer,
					lines,
					metrics,
					digest,
					breaches,
					basis,
					settled_at: frame_system::Pallet::<T>::block_number(),
				},
			);
			BillOfPeriod::<T>::insert(id, period, bill);
			Reports::<T>::remove(id, period);
			let progress = Settled::<T>::mutate(id, |p| {
				p.settled = p.settled.saturating_add(1);
				p.breached |= breaches != 0;
				*p
			});
			Self::deposit_event(Event::Billed {
				bill,
				agreement: id,
				period,
				to_provider: split.to_provider,
				to_buyer: split.to_buyer,
				commission,
				basis,
			});
			let now = frame_system::Pallet::<T>::block_number();
			if progress.settled >= Self::periods(a) && now >= a.end {
				let state = if a.ended_early.is_some() {
					AgreementState::Terminated
				} else if progress.breached {
					AgreementState::Breached
				} else {
					AgreementState::Completed
				};
				// Closing tells `Config::OnEnded` of the agreement pallet (this pallet among them),
				// which drops the progress and the appointment.
				pallet_agreement::Pallet::<T>::do_close(id, Zero::zero(), state)?;
				Self::deposit_event(Event::AgreementSettled { agreement: id, state });
			}
			Ok(())
		}

		/// Invariants: every bill adds up (due = provider + buyer; lines = pay) and is indexed
		/// by its period; settled counts match the bills of running agreements; reports and
		/// disputes belong to unsettled periods; no running agreement has paid out more than
		/// its settled dues, nor more than its escrow.
		#[cfg(any(feature = "try-runtime", feature = "std", test))]
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			use alloc::collections::btree_map::BTreeMap;
			let mut per: BTreeMap<AgreementId, (u32, u128)> = BTreeMap::new();
			for (id, b) in Bills::<T>::iter() {
				ensure!(id < NextBillId::<T>::get(), "bill id beyond the counter");
				ensure!(b.to_provider.saturating_add(b.to_buyer) == b.due, "bill does not add up");
				let l = &b.lines;
				let lines = [l.provider_hub.as_ref(), l.buyer_hub.as_ref(), l.reseller.as_ref()]
					.into_iter()
					.flatten()
					.fold(
						l.provider.saturating_add(l.platform).saturating_add(l.reward_pool),
						|s, (_, x)| s.saturating_add(*x),
					);
				ensure!(lines == b.to_provider, "commission lines do not add up to the pay");
				ensure!(
					BillOfPeriod::<T>::get(b.agreement, b.period) == Some(id),
					"bill not indexed by its period"
				);
				let e = per.entry(b.agreement).or_default();
				e.0 = e.0.saturating_add(1);
				e.1 = e.1.saturating_add(b.due);
			}
			ensure!(
				BillOfPeriod::<T>::iter().count() == Bills::<T>::iter().count(),
				"period index out of step with the bills"
			);
			for (id, p) in Settled::<T>::iter() {
				let a = Agreements::<T>::get(id).ok_or("progress of an unknown agreement")?;
				ensure!(a.state.holds_escrow(), "progress of a closed agreement");
				ensure!(per.get(&id).map(|x| x.0) == Some(p.settled), "settled count differs");
			}
			for (id, a) in Agreements::<T>::iter() {
				if a.state.holds_escrow() {
					let (n, dues) = per.get(&id).copied().unwrap_or_default();
					ensure!(n == Settled::<T>::get(id).settled, "bills of an agreement uncounted");
					// Billing moved exactly the settled dues (plus, when ended early, the refund of
					// the unserved part).
					let moved = a.paid.saturating_add(a.refunded);
					let unserved = if a.ended_early.is_some() {
						a.escrow.saturating_sub(
							pallet_agreement::Pallet::<T>::earned(&a, a.end).unwrap_or_default(),
						)
					} else {
						0
					};
					if a.state == AgreementState::Active {
						ensure!(
							moved == dues.saturating_add(unserved),
							"escrow moved differs from the bills"
						);
					}
				}
			}
			for (id, period, _) in Reports::<T>::iter() {
				ensure!(!BillOfPeriod::<T>::contains_key(id, period), "report of a settled period");
			}
			for (id, period, _) in Disputes::<T>::iter() {
				ensure!(
					!BillOfPeriod::<T>::contains_key(id, period),
					"dispute of a settled period"
				);
			}
			Ok(())
		}
	}

	/// Agreements ended outside billing (terminated at a period boundary, disputes resolved by
	/// governance) leave no settlement progress behind.
	impl<T: Config> computility_primitives::AgreementEnded<T::AccountId> for Pallet<T> {
		fn ended(id: AgreementId, _: &T::AccountId, _: bool, _: u64, _: u64) {
			Settled::<T>::remove(id);
			Monitors::<T>::remove(id);
		}
	}

	/// The settlement period new agreements take (for the agreement pallet's
	/// `Config::PeriodBlocks`).
	pub struct CurrentPeriod<T>(core::marker::PhantomData<T>);
	impl<T: Config> Get<BlockNumberFor<T>> for CurrentPeriod<T> {
		fn get() -> BlockNumberFor<T> {
			PeriodBlocks::<T>::get()
		}
	}
}
