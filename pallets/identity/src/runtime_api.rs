//! The identity runtime API: resolve an identifier code, read a participant, list resources
//! by filter. Reachable from polkadot-js as `api.call.identityApi.*` (or RPC `state_call`).
use crate::{
	types::{Code, ResourceFilter, ResourceKind, ResourceSpec, ResourceStatus, Role, Status},
	Config, ParticipantByCode, Participants, ResourceByCode, Resources, ResourcesByKind, MAX_SCAN,
};
use alloc::vec::Vec;
use codec::{Decode, Encode};
use computility_primitives::ResourceId;
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;
use sp_core::H256;

/// A participant, as clients see it.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct ParticipantInfo<AccountId, Balance, BlockNumber> {
	/// The account.
	pub account: AccountId,
	/// Its role.
	pub role: Role,
	/// Display name.
	pub name: Vec<u8>,
	/// Metadata hash.
	pub metadata: H256,
	/// Its hub.
	pub hub: Option<AccountId>,
	/// Its standing.
	pub status: Status,
	/// Deposit held.
	pub deposit: Balance,
	/// Identifier code, once approved.
	pub code: Option<Code>,
	/// When it registered.
	pub registered_at: BlockNumber,
}

/// A resource, as clients see it.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct ResourceInfo<AccountId, BlockNumber> {
	/// The resource id.
	pub id: ResourceId,
	/// Its provider.
	pub owner: AccountId,
	/// Its kind.
	pub kind: ResourceKind,
	/// Its model.
	pub model: Vec<u8>,
	/// Its figures.
	pub spec: ResourceSpec,
	/// On offer or retired.
	pub status: ResourceStatus,
	/// Identifier code.
	pub code: Code,
	/// When it was registered.
	pub registered_at: BlockNumber,
}

/// What an identifier code names.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub enum Resolved<AccountId, Balance, BlockNumber> {
	/// A participant.
	Participant(ParticipantInfo<AccountId, Balance, BlockNumber>),
	/// A resource.
	Resource(ResourceInfo<AccountId, BlockNumber>),
}

/// One page of a resource listing.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct ResourcePage<AccountId, BlockNumber> {
	/// Matching resources.
	pub items: Vec<ResourceInfo<AccountId, BlockNumber>>,
	/// Pass as `after` to continue; `None` when the listing is complete.
	pub next: Option<ResourceId>,
}

sp_api::decl_runtime_apis! {
	/// Queries of the identity registry and resource panorama table.
	pub trait IdentityApi<AccountId, Balance, BlockNumber>
	where
		AccountId: codec::Codec,
		Balance: codec::Codec,
		BlockNumber: codec::Codec,
	{
		/// The participant or resource an identifier code names (case-insensitive);
		/// `None` for a malformed, mistyped or unknown code.
		fn resolve(code: Vec<u8>) -> Option<Resolved<AccountId, Balance, BlockNumber>>;
		/// A participant's record.
		fn participant(who: AccountId) -> Option<ParticipantInfo<AccountId, Balance, BlockNumber>>;
		/// Active resources that match `filter`, at most `limit` (capped at 100), continuing
		/// after resource `after` when given.
		fn resources(filter: ResourceFilter, after: Option<ResourceId>, limit: u32) -> ResourcePage<AccountId, BlockNumber>;
	}
}

/// Balance type of a runtime.
type BalanceOf<T> = crate::pallet::BalanceOf<T>;

impl<T: Config> crate::Pallet<T> {
	/// Runtime API: a participant's record.
	pub fn participant_info(
		who: T::AccountId,
	) -> Option<ParticipantInfo<T::AccountId, BalanceOf<T>, BlockNumberFor<T>>> {
		Participants::<T>::get(&who).map(|p| ParticipantInfo {
			account: who,
			role: p.role,
			name: p.name.into_inner(),
			metadata: p.metadata,
			hub: p.hub,
			status: p.status,
			deposit: p.deposit,
			code: p.code,
			registered_at: p.registered_at,
		})
	}

	/// Runtime API: a resource's record.
	pub fn resource_info(id: ResourceId) -> Option<ResourceInfo<T::AccountId, BlockNumberFor<T>>> {
		Resources::<T>::get(id).map(|r| ResourceInfo {
			id,
			owner: r.owner,
			kind: r.kind,
			model: r.model.into_inner(),
			spec: r.spec,
			status: r.status,
			code: r.code,
			registered_at: r.registered_at,
		})
	}

	/// Runtime API: resolve an identifier code.
	pub fn resolve(
		code: Vec<u8>,
	) -> Option<Resolved<T::AccountId, BalanceOf<T>, BlockNumberFor<T>>> {
		let parsed = crate::code::parse(&code)?;
		match &parsed.prefix {
			b"CU" => ParticipantByCode::<T>::get(parsed.code)
				.and_then(Self::participant_info)
				.map(Resolved::Participant),
			b"CR" => ResourceByCode::<T>::get(parsed.code)
				.and_then(Self::resource_info)
				.map(Resolved::Resource),
			_ => None,
		}
	}

	/// Runtime API: list active resources matching `filter`. Looks at no more than
	/// [`MAX_SCAN`] index entries; `next` says where to continue.
	pub fn list_resources(
		filter: ResourceFilter,
		after: Option<ResourceId>,
		limit: u32,
	) -> ResourcePage<T::AccountId, BlockNumberFor<T>> {
		let limit = limit.min(100) as usize;
		let kinds: Vec<ResourceKind> = match filter.kind {
			Some(k) => alloc::vec![k],
			None => alloc::vec![
				ResourceKind::Cpu,
				ResourceKind::Gpu,
				ResourceKind::Memory,
				ResourceKind::Storage,
				ResourceKind::Bandwidth,
				ResourceKind::Hashrate,
			],
		};
		// Continue in the kind of the cursor's resource, right after it.
		let start_kind = after.and_then(|id| Resources::<T>::get(id)).map(|r| r.kind);
		let mut items = Vec::new();
		let mut scanned: u32 = 0;
		let mut last: Option<ResourceId> = None;
		let mut started = start_kind.is_none();
		for kind in kinds {
			let iter: alloc::boxed::Box<dyn Iterator<Item = (ResourceId, ())>> = if !started {
				if Some(kind) != start_kind {
					continue;
				}
				started = true;
				let key = ResourcesByKind::<T>::hashed_key_for(kind, after.unwrap_or_default());
				alloc::boxed::Box::new(ResourcesByKind::<T>::iter_prefix_from(kind, key))
			} else {
				alloc::boxed::Box::new(ResourcesByKind::<T>::iter_prefix(kind))
			};
			for (id, ()) in iter {
				if items.len() >= limit || scanned >= MAX_SCAN {
					return ResourcePage { items, next: last };
				}
				scanned = scanned.saturating_add(1);
				last = Some(id);
				let Some(r) = Self::resource_info(id) else { continue };
				let s = &r.spec;
				if s.performance >= filter.min_performance
					&& s.quantity >= filter.min_quantity
					&& filter.region.map_or(true, |reg| reg == s.region)
				{
					items.push(r);
				}
			}
		}
		ResourcePage { items, next: None }
	}
}
