//! Records of the identity pallet: participants and the resource panorama table.
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
pub use computility_primitives::{Region, ResourceId, ResourceKind, Role};
use frame_support::{pallet_prelude::Get, BoundedVec};
use scale_info::TypeInfo;
use sp_core::H256;

/// An identifier code, e.g. `CUP-00000017-K` (see [`crate::code`]).
pub type Code = [u8; crate::code::CODE_LEN];

/// Where a participant stands with the consortium.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum Status {
	/// Registered, waiting for the governance origin.
	Pending,
	/// Approved: may trade.
	Approved,
	/// Temporarily barred by governance; may be reinstated.
	Suspended,
	/// Permanently barred by governance; may only deregister.
	Revoked,
}

/// A registered participant.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(skip_type_params(MaxName))]
pub struct Participant<AccountId, Balance, BlockNumber, MaxName: Get<u32>> {
	/// What the participant does.
	pub role: Role,
	/// Display name (UTF-8).
	pub name: BoundedVec<u8, MaxName>,
	/// Hash of the off-chain metadata document (licences, contacts, certificates).
	pub metadata: H256,
	/// The hub operator the participant sits under; `None` for a hub operator itself.
	pub hub: Option<AccountId>,
	/// Standing with the consortium.
	pub status: Status,
	/// The deposit held for the registration.
	pub deposit: Balance,
	/// Identifier code, assigned on first approval.
	pub code: Option<Code>,
	/// When the participant registered.
	pub registered_at: BlockNumber,
}

/// Whether a resource is on offer.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum ResourceStatus {
	/// On offer.
	Active,
	/// Withdrawn for good; kept for the record.
	Retired,
}

/// The figures of a resource that a provider declares (and may update).
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct ResourceSpec {
	/// Units offered (cores, cards, GiB, Mbit/s, GH/s). At least one.
	pub quantity: u32,
	/// Performance score per unit, kind-specific (e.g. GFLOPS per GPU), higher is better.
	pub performance: u32,
	/// Where the resource sits.
	pub region: Region,
	/// Share of green energy, in percent (0..=100).
	pub green_percent: u8,
	/// Security level, 0 (none) to 5 (highest certification).
	pub security_level: u8,
}

/// An entry of the resource panorama table.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(skip_type_params(MaxModel))]
pub struct Resource<AccountId, BlockNumber, MaxModel: Get<u32>> {
	/// The provider that registered it.
	pub owner: AccountId,
	/// Its kind.
	pub kind: ResourceKind,
	/// Model (e.g. `NVIDIA A100 80GB`).
	pub model: BoundedVec<u8, MaxModel>,
	/// Declared figures.
	pub spec: ResourceSpec,
	/// On offer or retired.
	pub status: ResourceStatus,
	/// Identifier code.
	pub code: Code,
	/// When it was registered.
	pub registered_at: BlockNumber,
}

/// A filter for listing resources (runtime API).
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo, Default)]
pub struct ResourceFilter {
	/// Only this kind (required for an indexed listing).
	pub kind: Option<ResourceKind>,
	/// Only resources at least this fast per unit.
	pub min_performance: u32,
	/// Only resources with at least this many units.
	pub min_quantity: u32,
	/// Only this region (exact match), if set.
	pub region: Option<Region>,
}

/// Whether `region` is well formed: ASCII upper-case letters, digits and '-', then zero padding,
/// at least one character.
pub fn region_is_valid(region: &Region) -> bool {
	let len = region.iter().position(|&b| b == 0).unwrap_or(region.len());
	len > 0
		&& region[..len].iter().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || *b == b'-')
		&& region[len..].iter().all(|&b| b == 0)
}

impl ResourceSpec {
	/// Whether the figures are acceptable.
	pub fn is_valid(&self) -> bool {
		self.quantity > 0
			&& self.green_percent <= 100
			&& self.security_level <= 5
			&& region_is_valid(&self.region)
	}
}
