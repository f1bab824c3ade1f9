//! # Consortium identity: trusted subject identity and the resource panorama table
//!
//! The first of the five trusts. Participants register with a role, a display name, a hash of
//! their off-chain metadata and the hub they sit under, and a deposit is held from their
//! balance. The governance origin approves, suspends, reinstates and revokes. An approved
//! participant gets a unified identifier code (see [`code`]); so does every resource a provider
//! registers. Resources (kind, model, quantity, performance, region, green-energy share and
//! security level) form the resource panorama table that every node replicates.
//!
//! Other pallets ask "is this account an approved X in good standing?" through
//! [`computility_primitives::IdentityRegistry`], which this pallet implements; they never read
//! its storage.
//!
//! ## Calls
//! Participants: [`Pallet::register`], [`Pallet::update_profile`], [`Pallet::deregister`].
//! Governance: [`Pallet::approve`], [`Pallet::suspend`], [`Pallet::reinstate`],
//! [`Pallet::revoke`]. Providers: [`Pallet::register_resource`], [`Pallet::update_resource`],
//! [`Pallet::retire_resource`].
//!
//! ## Limitations
//! - A participant has one role; an organisation that both buys and sells registers two accounts.
//! - Listing by filter (runtime API) scans at most [`MAX_SCAN`] index entries per call and
//!   returns a cursor to continue; it is a query for clients, never used inside a block.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

pub mod code;
pub mod extension;
pub mod runtime_api;
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

/// Most index entries one listing query looks at.
pub const MAX_SCAN: u32 = 2_000;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{Inspect, InspectHold, Mutate, MutateHold},
			tokens::Precision,
		},
	};
	use frame_system::pallet_prelude::*;
	use sp_core::H256;

	/// Balance type of the configured currency.
	pub type BalanceOf<T> =
		<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;
	/// A participant record of this runtime.
	pub type ParticipantOf<T> = Participant<
		<T as frame_system::Config>::AccountId,
		BalanceOf<T>,
		BlockNumberFor<T>,
		<T as Config>::MaxNameLen,
	>;
	/// A resource record of this runtime.
	pub type ResourceOf<T> = Resource<
		<T as frame_system::Config>::AccountId,
		BlockNumberFor<T>,
		<T as Config>::MaxModelLen,
	>;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The deposit of a registered participant.
		Registration,
	}

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;
		/// The currency deposits are held in.
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ InspectHold<Self::AccountId>
			+ Mutate<Self::AccountId>;
		/// The runtime's hold reasons.
		type RuntimeHoldReason: From<HoldReason>;
		/// Approves, suspends, reinstates and revokes participants.
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// The deposit held while registered.
		#[pallet::constant]
		type RegistrationDeposit: Get<BalanceOf<Self>>;
		/// Longest display name, in bytes.
		#[pallet::constant]
		type MaxNameLen: Get<u32>;
		/// Longest resource model, in bytes.
		#[pallet::constant]
		type MaxModelLen: Get<u32>;
		/// Most active resources one provider may have.
		#[pallet::constant]
		type MaxResourcesPerOwner: Get<u32>;
		/// Which calls non-members may make: joining and governance (see [`extension`]).
		type Exemptions: extension::Exemptions<
			Self::AccountId,
			<Self as frame_system::Config>::RuntimeCall,
		>;
		/// Most joining transactions one non-member may have in the transaction pool.
		#[pallet::constant]
		type MaxJoiningTxs: Get<u32>;
		/// The market's use of resources: what is leased (a resource may not shrink below it)
		/// and the open asks that follow a resource when it changes or is retired.
		type Usage: computility_primitives::ResourceUsage<Self::AccountId>;
		/// Weights of this pallet's calls and of the membership check.
		type WeightInfo: WeightInfo;
	}

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The founding members, approved at genesis: account, role, display name and hub
		/// (`None` for hub operators). Hubs must precede their members. Deposits are held.
		pub members:
			alloc::vec::Vec<(T::AccountId, Role, alloc::vec::Vec<u8>, Option<T::AccountId>)>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			for (who, role, name, hub) in &self.members {
				let name: BoundedVec<u8, T::MaxNameLen> =
					name.clone().try_into().expect("genesis member name too long");
				Pallet::<T>::do_register(who.clone(), *role, name, H256::zero(), hub.clone())
					.expect("genesis member registers (funded, hub listed first)");
				Pallet::<T>::do_approve(who.clone()).expect("genesis member is approved");
			}
		}
	}

	/// Registered participants.
	#[pallet::storage]
	pub type Participants<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, ParticipantOf<T>, OptionQuery>;

	/// Participant codes to accounts.
	#[pallet::storage]
	pub type ParticipantByCode<T: Config> =
		StorageMap<_, Blake2_128Concat, Code, T::AccountId, OptionQuery>;

	/// The next participant sequence number (codes are never reused).
	#[pallet::storage]
	pub type NextParticipantSeq<T> = StorageValue<_, u32, ValueQuery>;

	/// How many registered participants name each hub.
	#[pallet::storage]
	pub type HubMembers<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// The resource panorama table.
	#[pallet::storage]
	pub type Resources<T: Config> =
		StorageMap<_, Twox64Concat, ResourceId, ResourceOf<T>, OptionQuery>;

	/// Resource codes to ids.
	#[pallet::storage]
	pub type ResourceByCode<T: Config> =
		StorageMap<_, Blake2_128Concat, Code, ResourceId, OptionQuery>;

	/// The next resource id (also its code's sequence number).
	#[pallet::storage]
	pub type NextResourceId<T> = StorageValue<_, ResourceId, ValueQuery>;

	/// Each provider's active resources.
	#[pallet::storage]
	pub type ResourcesOf<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<ResourceId, T::MaxResourcesPerOwner>,
		ValueQuery,
	>;

	/// Active resources by kind, for listing.
	#[pallet::storage]
	pub type ResourcesByKind<T: Config> =
		StorageDoubleMap<_, Twox64Concat, ResourceKind, Twox64Concat, ResourceId, (), OptionQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A participant registered and its deposit was held.
		Registered {
			/// The participant.
			who: T::AccountId,
			/// Its role.
			role: Role,
			/// Its hub, if not a hub itself.
			hub: Option<T::AccountId>,
			/// The deposit held.
			deposit: BalanceOf<T>,
		},
		/// A participant changed its name or metadata.
		ProfileUpdated {
			/// The participant.
			who: T::AccountId,
			/// The new metadata hash.
			metadata: H256,
		},
		/// Governance approved a participant, which now has an identifier code.
		Approved {
			/// The participant.
			who: T::AccountId,
			/// Its identifier code.
			code: Code,
		},
		/// Governance suspended a participant.
		Suspended {
			/// The participant.
			who: T::AccountId,
		},
		/// Governance reinstated a suspended participant.
		Reinstated {
			/// The participant.
			who: T::AccountId,
		},
		/// Governance revoked a participant.
		Revoked {
			/// The participant.
			who: T::AccountId,
		},
		/// A participant left and its deposit was released.
		Deregistered {
			/// The former participant.
			who: T::AccountId,
			/// The deposit released.
			deposit: BalanceOf<T>,
		},
		/// A provider registered a resource.
		ResourceRegistered {
			/// The resource.
			id: ResourceId,
			/// Its identifier code.
			code: Code,
			/// Its provider.
			owner: T::AccountId,
			/// Its kind.
			kind: ResourceKind,
		},
		/// A provider updated a resource's figures.
		ResourceUpdated {
			/// The resource.
			id: ResourceId,
			/// The new figures.
			spec: ResourceSpec,
		},
		/// A provider retired a resource.
		ResourceRetired {
			/// The resource.
			id: ResourceId,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The account is already registered.
		AlreadyRegistered,
		/// The account is not registered.
		UnknownParticipant,
		/// The display name is empty.
		EmptyName,
		/// A hub operator cannot sit under another hub.
		HubCannotHaveHub,
		/// Every role but hub operator must name a hub.
		HubRequired,
		/// The named hub is not an approved, active hub operator.
		NotAHub,
		/// The participant is not pending approval.
		NotPending,
		/// The participant is not approved (still pending, or barred).
		NotApproved,
		/// The participant is not suspended.
		NotSuspended,
		/// The participant is already revoked.
		AlreadyRevoked,
		/// The participant is suspended.
		ParticipantSuspended,
		/// The participant is revoked.
		ParticipantRevoked,
		/// The participant's role may not do this.
		WrongRole,
		/// A hub cannot leave while participants name it.
		HubHasMembers,
		/// Retire all resources before deregistering.
		HasActiveResources,
		/// The provider has the most active resources allowed.
		TooManyResources,
		/// The resource figures are out of range (quantity 0, green share above 100, security
		/// level above 5, or a malformed region).
		InvalidSpec,
		/// The model is empty.
		EmptyModel,
		/// No resource has this id.
		UnknownResource,
		/// Only the resource's provider may do this.
		NotOwner,
		/// The resource is retired.
		ResourceRetired,
		/// No identifier codes are left.
		CodesExhausted,
		/// The deposit cannot be held: the free balance is too low.
		InsufficientBalance,
		/// The resource would have fewer units than its running agreements lease.
		ResourceLeased,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MaxNameLen::get() > 0 && T::MaxModelLen::get() > 0);
			assert!(T::MaxResourcesPerOwner::get() > 0);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Register as a participant; the deposit is held until deregistration.
		///
		/// - `origin`: the participant's account.
		/// - `role`: what it does in the market.
		/// - `name`: display name (UTF-8, not empty).
		/// - `metadata`: hash of the off-chain metadata document.
		/// - `hub`: the approved hub operator it sits under; `None` only for a hub operator.
		///
		/// Emits [`Event::Registered`]. The participant is pending until governance approves.
		#[pallet::call_index(0)]
		pub fn register(
			origin: OriginFor<T>,
			role: Role,
			name: BoundedVec<u8, T::MaxNameLen>,
			metadata: H256,
			hub: Option<T::AccountId>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_register(who, role, name, metadata, hub)
		}

		/// Change the display name and the metadata hash.
		///
		/// - `origin`: a registered participant that is not revoked.
		///
		/// Emits [`Event::ProfileUpdated`].
		#[pallet::call_index(1)]
		pub fn update_profile(
			origin: OriginFor<T>,
			name: BoundedVec<u8, T::MaxNameLen>,
			metadata: H256,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(!name.is_empty(), Error::<T>::EmptyName);
			Participants::<T>::try_mutate(&who, |p| {
				let p = p.as_mut().ok_or(Error::<T>::UnknownParticipant)?;
				ensure!(p.status != Status::Revoked, Error::<T>::ParticipantRevoked);
				p.name = name;
				p.metadata = metadata;
				Ok::<_, DispatchError>(())
			})?;
			Self::deposit_event(Event::ProfileUpdated { who, metadata });
			Ok(())
		}

		/// Approve a pending participant and give it an identifier code.
		///
		/// - `origin`: the governance origin.
		/// - `who`: a pending participant.
		///
		/// Emits [`Event::Approved`].
		#[pallet::call_index(2)]
		pub fn approve(origin: OriginFor<T>, who: T::AccountId) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_approve(who)
		}

		/// Suspend an approved participant: it can no longer trade or register resources.
		///
		/// - `origin`: the governance origin.
		/// - `who`: an approved participant.
		///
		/// Emits [`Event::Suspended`].
		#[pallet::call_index(3)]
		pub fn suspend(origin: OriginFor<T>, who: T::AccountId) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::set_status(&who, Status::Approved, Status::Suspended, Error::<T>::NotApproved)?;
			Self::deposit_event(Event::Suspended { who });
			Ok(())
		}

		/// Reinstate a suspended participant.
		///
		/// - `origin`: the governance origin.
		/// - `who`: a suspended participant.
		///
		/// Emits [`Event::Reinstated`].
		#[pallet::call_index(4)]
		pub fn reinstate(origin: OriginFor<T>, who: T::AccountId) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::set_status(&who, Status::Suspended, Status::Approved, Error::<T>::NotSuspended)?;
			Self::deposit_event(Event::Reinstated { who });
			Ok(())
		}

		/// Revoke a participant for good. It keeps its record (and deposit) until it
		/// deregisters; it can never trade again.
		///
		/// - `origin`: the governance origin.
		/// - `who`: a participant that is not already revoked.
		///
		/// Emits [`Event::Revoked`].
		#[pallet::call_index(5)]
		pub fn revoke(origin: OriginFor<T>, who: T::AccountId) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Participants::<T>::try_mutate(&who, |p| {
				let p = p.as_mut().ok_or(Error::<T>::UnknownParticipant)?;
				ensure!(p.status != Status::Revoked, Error::<T>::AlreadyRevoked);
				p.status = Status::Revoked;
				Ok::<_, DispatchError>(())
			})?;
			Self::deposit_event(Event::Revoked { who });
			Ok(())
		}

		/// Leave: the record is removed and the deposit released.
		///
		/// - `origin`: a registered participant that is not suspended, has no active resources
		///   and, if a hub, no participants under it.
		///
		/// Emits [`Event::Deregistered`].
		#[pallet::call_index(6)]
		pub fn deregister(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_deregister(who)
		}

		/// Register a resource in the panorama table.
		///
		/// - `origin`: an approved, active participant whose role sells (provider, reseller,
		///   application or dedicated-line provider).
		/// - `kind`, `model`, `spec`: what it is and its figures.
		///
		/// Emits [`Event::ResourceRegistered`] with the resource's identifier code.
		#[pallet::call_index(7)]
		pub fn register_resource(
			origin: OriginFor<T>,
			kind: ResourceKind,
			model: BoundedVec<u8, T::MaxModelLen>,
			spec: ResourceSpec,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_register_resource(who, kind, model, spec)
		}

		/// Update a resource's figures. Its open asks follow: trimmed (newest first) to the units
		/// not leased, their performance and region updated.
		///
		/// - `origin`: the resource's provider, approved and active.
		/// - `id`: an active resource.
		/// - `spec`: the new figures; `quantity` at least the units its running agreements lease.
		///
		/// Emits [`Event::ResourceUpdated`] (and the order book's events for its asks).
		#[pallet::call_index(8)]
		#[pallet::weight(<T as Config>::WeightInfo::update_resource().saturating_add(
			<T::Usage as computility_primitives::ResourceUsage<T::AccountId>>::changed_weight()))]
		pub fn update_resource(
			origin: OriginFor<T>,
			id: ResourceId,
			spec: ResourceSpec,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(spec.is_valid(), Error::<T>::InvalidSpec);
			Self::ensure_active(&who)?;
			Resources::<T>::try_mutate(id, |r| {
				let r = r.as_mut().ok_or(Error::<T>::UnknownResource)?;
				ensure!(r.owner == who, Error::<T>::NotOwner);
				ensure!(r.status == ResourceStatus::Active, Error::<T>::ResourceRetired);
				ensure!(
					spec.quantity >=
						<T::Usage as computility_primitives::ResourceUsage<T::AccountId>>::leased(id),
					Error::<T>::ResourceLeased
				);
				r.spec = spec;
				Ok::<_, DispatchError>(())
			})?;
			Self::notify_usage(id);
			Self::deposit_event(Event::ResourceUpdated { id, spec });
			Ok(())
		}

		/// Retire a resource for good; its record and code stay.
		///
		/// - `origin`: the resource's provider (in any standing but revoked-and-gone).
		/// - `id`: an active resource.
		///
		/// Emits [`Event::ResourceRetired`] (and the order book's events for its withdrawn asks).
		#[pallet::call_index(9)]
		#[pallet::weight(<T as Config>::WeightInfo::retire_resource().saturating_add(
			<T::Usage as computility_primitives::ResourceUsage<T::AccountId>>::changed_weight()))]
		pub fn retire_resource(origin: OriginFor<T>, id: ResourceId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_retire_resource(who, id)
		}
	}

	impl<T: Config> Pallet<T> {
		pub(crate) fn do_register(
			who: T::AccountId,
			role: Role,
			name: BoundedVec<u8, T::MaxNameLen>,
			metadata: H256,
			hub: Option<T::AccountId>,
		) -> DispatchResult {
			ensure!(!Participants::<T>::contains_key(&who), Error::<T>::AlreadyRegistered);
			ensure!(!name.is_empty(), Error::<T>::EmptyName);
			match (&role, &hub) {
				(Role::HubOperator, Some(_)) => return Err(Error::<T>::HubCannotHaveHub.into()),
				(Role::HubOperator, None) => {},
				(_, None) => return Err(Error::<T>::HubRequired.into()),
				(_, Some(h)) => ensure!(
					Participants::<T>::get(h).is_some_and(
						|p| p.role == Role::HubOperator && p.status == Status::Approved
					),
					Error::<T>::NotAHub
				),
			}
			let deposit = T::RegistrationDeposit::get();
			T::Currency::hold(&HoldReason::Registration.into(), &who, deposit)
				.map_err(|_| Error::<T>::InsufficientBalance)?;
			if let Some(h) = &hub {
				HubMembers::<T>::mutate(h, |n| *n = n.saturating_add(1));
			}
			Participants::<T>::insert(
				&who,
				Participant {
					role,
					name,
					metadata,
					hub: hub.clone(),
					status: Status::Pending,
					deposit,
					code: None,
					registered_at: frame_system::Pallet::<T>::block_number(),
				},
			);
			Self::deposit_event(Event::Registered { who, role, hub, deposit });
			Ok(())
		}

		pub(crate) fn do_approve(who: T::AccountId) -> DispatchResult {
			let mut p = Participants::<T>::get(&who).ok_or(Error::<T>::UnknownParticipant)?;
			ensure!(p.status == Status::Pending, Error::<T>::NotPending);
			let seq = NextParticipantSeq::<T>::get();
			let code =
				code::make(*b"CU", p.role.letter(), seq).ok_or(Error::<T>::CodesExhausted)?;
			NextParticipantSeq::<T>::put(seq.saturating_add(1));
			p.status = Status::Approved;
			p.code = Some(code);
			Participants::<T>::insert(&who, p);
			ParticipantByCode::<T>::insert(code, &who);
			Self::deposit_event(Event::Approved { who, code });
			Ok(())
		}

		fn set_status(
			who: &T::AccountId,
			from: Status,
			to: Status,
			err: Error<T>,
		) -> DispatchResult {
			Participants::<T>::try_mutate(who, |p| {
				let p = p.as_mut().ok_or(Error::<T>::UnknownParticipant)?;
				ensure!(p.status == from, err);
				p.status = to;
				Ok(())
			})
		}

		pub(crate) fn do_deregister(who: T::AccountId) -> DispatchResult {
			let p = Participants::<T>::get(&who).ok_or(Error::<T>::UnknownParticipant)?;
			ensure!(p.status != Status::Suspended, Error::<T>::ParticipantSuspended);
			ensure!(ResourcesOf::<T>::get(&who).is_empty(), Error::<T>::HasActiveResources);
			ensure!(HubMembers::<T>::get(&who) == 0, Error::<T>::HubHasMembers);
			let released = T::Currency::release(
				&HoldReason::Registration.into(),
				&who,
				p.deposit,
				Precision::BestEffort,
			)?;
			if let Some(h) = &p.hub {
				HubMembers::<T>::mutate_exists(h, |n| {
					*n = n.and_then(|n| n.checked_sub(1)).filter(|n| *n > 0)
				});
			}
			if let Some(code) = p.code {
				ParticipantByCode::<T>::remove(code);
			}
			Participants::<T>::remove(&who);
			Self::deposit_event(Event::Deregistered { who, deposit: released });
			Ok(())
		}

		/// `who` is approved and in good standing, or the matching error.
		pub(crate) fn ensure_active(who: &T::AccountId) -> Result<ParticipantOf<T>, DispatchError> {
			let p = Participants::<T>::get(who).ok_or(Error::<T>::UnknownParticipant)?;
			match p.status {
				Status::Approved => Ok(p),
				Status::Pending => Err(Error::<T>::NotApproved.into()),
				Status::Suspended => Err(Error::<T>::ParticipantSuspended.into()),
				Status::Revoked => Err(Error::<T>::ParticipantRevoked.into()),
			}
		}

		pub(crate) fn do_register_resource(
			who: T::AccountId,
			kind: ResourceKind,
			model: BoundedVec<u8, T::MaxModelLen>,
			spec: ResourceSpec,
		) -> DispatchResult {
			let p = Self::ensure_active(&who)?;
			ensure!(p.role.sells(), Error::<T>::WrongRole);
			ensure!(!model.is_empty(), Error::<T>::EmptyModel);
			ensure!(spec.is_valid(), Error::<T>::InvalidSpec);
			let mut mine = ResourcesOf::<T>::get(&who);
			let id = NextResourceId::<T>::get();
			let seq = u32::try_from(id).map_err(|_| Error::<T>::CodesExhausted)?;
			let code = code::make(*b"CR", kind.letter(), seq).ok_or(Error::<T>::CodesExhausted)?;
			mine.try_push(id).map_err(|_| Error::<T>::TooManyResources)?;
			NextResourceId::<T>::put(id.saturating_add(1));
			ResourcesOf::<T>::insert(&who, mine);
			ResourcesByKind::<T>::insert(kind, id, ());
			ResourceByCode::<T>::insert(code, id);
			Resources::<T>::insert(
				id,
				Resource {
					owner: who.clone(),
					kind,
					model,
					spec,
					status: ResourceStatus::Active,
					code,
					registered_at: frame_system::Pallet::<T>::block_number(),
				},
			);
			Self::deposit_event(Event::ResourceRegistered { id, code, owner: who, kind });
			Ok(())
		}

		pub(crate) fn do_retire_resource(who: T::AccountId, id: ResourceId) -> DispatchResult {
			let mut r = Resources::<T>::get(id).ok_or(Error::<T>::UnknownResource)?;
			ensure!(r.owner == who, Error::<T>::NotOwner);
			ensure!(r.status == ResourceStatus::Active, Error::<T>::ResourceRetired);
			r.status = ResourceStatus::Retired;
			ResourcesOf::<T>::mutate(&who, |v| v.retain(|x| *x != id));
			ResourcesByKind::<T>::remove(r.kind, id);
			Resources::<T>::insert(id, r);
			Self::notify_usage(id);
			Self::deposit_event(Event::ResourceRetired { id });
			Ok(())
		}

		/// Tell the market that resource `id` changed (its asks follow).
		fn notify_usage(id: ResourceId) {
			use computility_primitives::{IdentityRegistry, ResourceUsage};
			if let Some(view) = <Self as IdentityRegistry<T::AccountId>>::resource(id) {
				T::Usage::changed(id, &view);
			}
		}

		/// Invariants: deposits are held exactly; the code and kind indexes, the per-owner
		/// lists and the hub member counts agree with the records.
		#[cfg(any(feature = "try-runtime", feature = "std", test))]
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			use alloc::collections::btree_map::BTreeMap;
			let mut held: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
			let mut hubs: BTreeMap<T::AccountId, u32> = BTreeMap::new();
			for (who, p) in Participants::<T>::iter() {
				held.insert(who.clone(), p.deposit);
				if let Some(h) = &p.hub {
					*hubs.entry(h.clone()).or_default() += 1;
				}
				match p.code {
					Some(c) => ensure!(
						ParticipantByCode::<T>::get(c).as_ref() == Some(&who),
						"participant code index out of date"
					),
					None => ensure!(
						matches!(p.status, Status::Pending | Status::Revoked),
						"approved participant without code"
					),
				}
			}
			for (who, amount) in &held {
				ensure!(
					T::Currency::balance_on_hold(&HoldReason::Registration.into(), who) == *amount,
					"held deposit differs from the recorded deposit"
				);
			}
			ensure!(
				ParticipantByCode::<T>::iter()
					.all(|(c, who)| Participants::<T>::get(&who).is_some_and(|p| p.code == Some(c))),
				"stale participant code"
			);
			for (hub, n) in HubMembers::<T>::iter() {
				ensure!(hubs.get(&hub) == Some(&n), "hub member count out of date");
			}
			ensure!(hubs.len() == HubMembers::<T>::iter().count(), "hub member count missing");
			let mut active = 0usize;
			for (id, r) in Resources::<T>::iter() {
				ensure!(id < NextResourceId::<T>::get(), "resource id beyond the counter");
				ensure!(
					ResourceByCode::<T>::get(r.code) == Some(id),
					"resource code index out of date"
				);
				let listed = ResourcesOf::<T>::get(&r.owner).contains(&id);
				let indexed = ResourcesByKind::<T>::contains_key(r.kind, id);
				let is_active = r.status == ResourceStatus::Active;
				ensure!(
					listed == is_active && indexed == is_active,
					"resource indexes out of date"
				);
				if is_active {
					active += 1;
				}
			}
			ensure!(ResourcesByKind::<T>::iter().count() == active, "stale kind index entry");
			ensure!(
				ResourcesOf::<T>::iter().map(|(_, v)| v.len()).sum::<usize>() == active,
				"stale per-owner entry"
			);
			Ok(())
		}
	}
}

impl<T: Config> computility_primitives::IdentityRegistry<T::AccountId> for Pallet<T> {
	fn is_active(who: &T::AccountId) -> bool {
		Participants::<T>::get(who).is_some_and(|p| p.status == Status::Approved)
	}

	fn role_of(who: &T::AccountId) -> Option<Role> {
		Participants::<T>::get(who).map(|p| p.role)
	}

	fn hub_of(who: &T::AccountId) -> Option<T::AccountId> {
		Participants::<T>::get(who)
			.map(|p| if p.role == Role::HubOperator { Some(who.clone()) } else { p.hub })
			.flatten()
	}

	fn resource(id: ResourceId) -> Option<computility_primitives::ResourceView<T::AccountId>> {
		Resources::<T>::get(id).map(|r| computility_primitives::ResourceView {
			owner: r.owner,
			kind: r.kind,
			quantity: r.spec.quantity,
			performance: r.spec.performance,
			region: r.spec.region,
			active: r.status == ResourceStatus::Active,
		})
	}
}
