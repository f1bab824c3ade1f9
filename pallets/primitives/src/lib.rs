//! Types and traits the Computility pallets share.
//!
//! Pallets never read each other's storage; they ask through the traits here
//! ("is this account an approved provider in good standing?", "what is this resource?").
#![cfg_attr(not(feature = "std"), no_std)]

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// What a participant does in the market.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	serde::Serialize,
	serde::Deserialize,
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
			Role::Provider
				| Role::Reseller
				| Role::ApplicationProvider
				| Role::DedicatedLineProvider
		)
	}
}

/// The kind of a computing resource.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	serde::Serialize,
	serde::Deserialize,
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

/// Region code: up to 8 ASCII upper-case letters, digits or '-', zero-padded (e.g. `CN-GD`).
pub type Region = [u8; 8];

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
	/// Region code (e.g. `CN-GD`).
	pub region: Region,
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

/// Service levels: what an ask guarantees, what a bid requires, what an agreement promises
/// (the market crate's type, stored as is; availability at most 1000 per mille).
pub use computility_market::settlement::Levels as SlaTerms;

/// Agreement identifier.
pub type AgreementId = u64;
/// Order (ask or bid) identifier.
pub type OrderId = u64;

/// What a match hands to the agreement pallet.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct NewAgreement<AccountId, Balance> {
	/// Who pays.
	pub buyer: AccountId,
	/// Who serves.
	pub provider: AccountId,
	/// The ask filled.
	pub ask: OrderId,
	/// The bid filled.
	pub bid: OrderId,
	/// The resource leased.
	pub resource: ResourceId,
	/// Units leased.
	pub quantity: u32,
	/// Unit price per hour.
	pub unit_price: Balance,
	/// Lease length in hours.
	pub hours: u32,
	/// Promised service levels.
	pub sla: SlaTerms,
	/// Hash of the task description.
	pub task_hash: [u8; 32],
	/// What the buyer escrows: unit price × quantity × hours (already free on the buyer's
	/// account when `create` is called; `create` holds it).
	pub escrow: Balance,
}

/// The agreement pallet as the order pallet sees it.
pub trait AgreementFactory<AccountId, Balance> {
	/// Create an active agreement and hold its escrow from the buyer.
	fn create(
		terms: NewAgreement<AccountId, Balance>,
	) -> Result<AgreementId, sp_runtime::DispatchError>;
	/// Units of `resource` under running agreements.
	fn leased(resource: ResourceId) -> u32;
	/// Whether `who` may take part in one more running agreement.
	fn has_room(who: &AccountId) -> bool;
}

/// What the identity pallet asks the market about a provider's resource before and after the
/// provider changes or retires it (implemented by the order pallet).
pub trait ResourceUsage<AccountId> {
	/// Units of `resource` under running agreements: the resource may not shrink below them.
	fn leased(resource: ResourceId) -> u32;
	/// `resource` changed to `view` (retired when `view.active` is false): open asks follow
	/// (retired: withdrawn; shrunk: trimmed to what is free; performance and region: updated).
	fn changed(resource: ResourceId, view: &ResourceView<AccountId>);
	/// The most [`ResourceUsage::changed`] can weigh.
	fn changed_weight() -> sp_runtime::Weight;
}

/// No market: nothing is leased and no ask follows.
impl<AccountId> ResourceUsage<AccountId> for () {
	fn leased(_: ResourceId) -> u32 {
		0
	}
	fn changed(_: ResourceId, _: &ResourceView<AccountId>) {}
	fn changed_weight() -> sp_runtime::Weight {
		sp_runtime::Weight::zero()
	}
}

/// Contribution scores (commission pallet) as matching sees them: higher is better.
pub trait ContributionScores<AccountId> {
	/// The provider's current score (fixed point; only the order matters).
	fn score(provider: &AccountId) -> i64;
}

impl<AccountId> ContributionScores<AccountId> for () {
	fn score(_provider: &AccountId) -> i64 {
		0
	}
}

/// A provider's pay for a settled period, as billing hands it to commission.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct Earning<AccountId, Balance> {
	/// Who was paid (the payer of the commission lines).
	pub provider: AccountId,
	/// Who bought the service (whose hub and reseller share).
	pub buyer: AccountId,
	/// Paid to the provider for the period, before commission.
	pub pay: Balance,
	/// The kind of resource delivered.
	pub kind: ResourceKind,
	/// Units delivered.
	pub quantity: u32,
	/// Measured availability, per mille (1000 when the period was not metered).
	pub availability_permille: u16,
	/// Whether the period met every promised level.
	pub met: bool,
}

/// The commission lines of one bill: who received what of the provider's pay.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct CommissionLines<AccountId, Balance> {
	/// The provider keeps.
	pub provider: Balance,
	/// The platform (consortium treasury).
	pub platform: Balance,
	/// The provider's hub and its line.
	pub provider_hub: Option<(AccountId, Balance)>,
	/// The buyer's hub and its line.
	pub buyer_hub: Option<(AccountId, Balance)>,
	/// The reseller that brought the buyer, and its line.
	pub reseller: Option<(AccountId, Balance)>,
	/// Into the contribution reward pool.
	pub reward_pool: Balance,
}

/// The commission pallet as billing sees it.
pub trait Commission<AccountId, Balance> {
	/// Charge the commission on a provider's pay (already on the provider's free balance):
	/// move the lines away from the provider and record them. Returns the lines.
	fn charge(
		earning: &Earning<AccountId, Balance>,
	) -> Result<CommissionLines<AccountId, Balance>, sp_runtime::DispatchError>;
}

/// No commission: the provider keeps everything.
impl<AccountId, Balance: Clone + Default> Commission<AccountId, Balance> for () {
	fn charge(
		earning: &Earning<AccountId, Balance>,
	) -> Result<CommissionLines<AccountId, Balance>, sp_runtime::DispatchError> {
		Ok(CommissionLines {
			provider: earning.pay.clone(),
			platform: Balance::default(),
			provider_hub: None,
			buyer_hub: None,
			reseller: None,
			reward_pool: Balance::default(),
		})
	}
}

/// Told when an agreement ends (the commission pallet keeps each provider's task history).
pub trait AgreementEnded<AccountId> {
	/// Agreement `id` of `provider` ended: `completed` unless it ended early or was breached;
	/// it ran `served` of its `planned` blocks.
	fn ended(id: AgreementId, provider: &AccountId, completed: bool, served: u64, planned: u64);
}

impl<AccountId> AgreementEnded<AccountId> for () {
	fn ended(_: AgreementId, _: &AccountId, _: bool, _: u64, _: u64) {}
}

impl<AccountId, A: AgreementEnded<AccountId>, B: AgreementEnded<AccountId>>
	AgreementEnded<AccountId> for (A, B)
{
	fn ended(id: AgreementId, provider: &AccountId, completed: bool, served: u64, planned: u64) {
		A::ended(id, provider, completed, served, planned);
		B::ended(id, provider, completed, served, planned);
	}
}
