//! Types and traits the Computility pallets share.
//!
//! Pallets never read each other's storage; they ask through the traits here
//! ("is this account an approved provider in good standing?", "what is this resource?").
#![cfg_attr(not(feature = "std"), no_std)]

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// What a participant does in the market.
#[derive(
	Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Encode, Decode, DecodeWithMemTracking,
	MaxEncodedLen, TypeInfo,
)]
pub enum Role {
	/// Sells computing power it owns.
	Provider,
	/// Buys computing power or hashing power.
	Buyer,
	/// Resells or schedules others' computing power.
	Reseller,
	/// Offers applications that run on leased power.
	ApplicationProvider,
	/// Sells dedicated network lines between sites.
	DedicatedLineProvider,
	/// Measures delivered service independently of provider and buyer.
	Monitor,
	/// Runs a hub (an interconnection node that participants sit under).
	HubOperator,
}

impl Role {
	/// The letter that stands for the role in identifier codes.
	pub fn letter(self) -> u8 {
		match self {
			Role::Provider => b'P',
			Role::Buyer => b'B',
			Role::Reseller => b'R',
			Role::ApplicationProvider => b'A',
			Role::DedicatedLineProvider => b'D',
			Role::Monitor => b'M',
			Role::HubOperator => b'H',
		}
	}

	/// Whether the role may register resources and post asks.
	pub fn sells(self) -> bool {
		matches!(
			self,
			Role::Provider | Role::Reseller | Role::ApplicationProvider | Role::DedicatedLineProvider
		)
	}
}

/// The kind of a computing resource.
#[derive(
	Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Encode, Decode, DecodeWithMemTracking,
	MaxEncodedLen, TypeInfo,
)]
pub enum ResourceKind {
	/// CPU cores.
	Cpu,
	/// GPU cards.
	Gpu,
	/// Memory (GiB).
	Memory,
	/// Storage (GiB).
	Storage,
	/// Network bandwidth (Mbit/s).
	Bandwidth,
	/// PoW hashing power (GH/s).
	Hashrate,
}

impl ResourceKind {
	/// The letter that stands for the kind in identifier codes.
	pub fn letter(self) -> u8 {
		match self {
			ResourceKind::Cpu => b'C',
			ResourceKind::Gpu => b'G',
			ResourceKind::Memory => b'M',
			ResourceKind::Storage => b'S',
			ResourceKind::Bandwidth => b'B',
			ResourceKind::Hashrate => b'H',
		}
	}
}

/// Resource identifier (sequence number).
pub type ResourceId = u64;

/// What other pallets may know about a resource.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct ResourceView<AccountId> {
	/// The provider that registered it.
	pub owner: AccountId,
	/// Its kind.
	pub kind: ResourceKind,
	/// Units available (cores, cards, GiB, Mbit/s, GH/s).
	pub quantity: u32,
	/// Performance score per unit (kind-specific, higher is better).
	pub performance: u32,
	/// Region code bytes (e.g. `CN-GD`).
	pub region: [u8; 8],
	/// Still offered (not retired).
	pub active: bool,
}

/// The identity registry as other pallets see it.
pub trait IdentityRegistry<AccountId> {
	/// Approved and neither suspended nor revoked.
	fn is_active(who: &AccountId) -> bool;
	/// The participant's role, whatever its status.
	fn role_of(who: &AccountId) -> Option<Role>;
	/// Active and holding `role`.
	fn is_active_with_role(who: &AccountId, role: Role) -> bool {
		Self::is_active(who) && Self::role_of(who) == Some(role)
	}
	/// The hub operator the participant sits under (a hub operator is its own hub).
	fn hub_of(who: &AccountId) -> Option<AccountId>;
	/// A registered resource.
	fn resource(id: ResourceId) -> Option<ResourceView<AccountId>>;
}
