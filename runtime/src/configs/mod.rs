//! Every pallet's configuration.
use crate::{
	AccountId, Aura, Balance, Balances, Block, BlockNumber, Council, Hash, Nonce, PalletInfo,
	Runtime, RuntimeCall, RuntimeEvent, RuntimeFreezeReason, RuntimeHoldReason, RuntimeOrigin,
	RuntimeTask, Session, SessionKeys, System, ValidatorSet, EXISTENTIAL_DEPOSIT, MINUTES,
	SLOT_DURATION, VERSION,
};
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstBool, ConstU128, ConstU32, ConstU64, ConstU8, EitherOfDiverse, VariantCountOf},
	weights::{
		constants::{ParityDbWeight, WEIGHT_REF_TIME_PER_SECOND},
		IdentityFee, Weight,
	},
};
use frame_system::{
	limits::{BlockLength, BlockWeights},
	EnsureRoot,
};
use pallet_transaction_payment::{ConstFeeMultiplier, FungibleAdapter, Multiplier};
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_runtime::{
	traits::{ConvertInto, One, OpaqueKeys},
	Perbill,
};
use sp_version::RuntimeVersion;

const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);

parameter_types! {
	pub const BlockHashCount: BlockNumber = 2400;
	pub const Version: RuntimeVersion = VERSION;
	/// Two seconds of compute in a six-second block.
	pub RuntimeBlockWeights: BlockWeights = BlockWeights::with_sensible_defaults(
		Weight::from_parts(2u64 * WEIGHT_REF_TIME_PER_SECOND, u64::MAX),
		NORMAL_DISPATCH_RATIO,
	);
	/// 5 MiB blocks, of which normal transactions may fill 75 %.
	pub RuntimeBlockLength: BlockLength = BlockLength::builder()
		.max_length(5 * 1024 * 1024)
		.modify_max_length_for_class(frame_support::dispatch::DispatchClass::Normal, |m| {
			*m = NORMAL_DISPATCH_RATIO * *m
		})
		.build();
	pub const SS58Prefix: u8 = 42;
}

#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig)]
impl frame_system::Config for Runtime {
	type Block = Block;
	type BlockWeights = RuntimeBlockWeights;
	type BlockLength = RuntimeBlockLength;
	type AccountId = AccountId;
	type Nonce = Nonce;
	type Hash = Hash;
	type BlockHashCount = BlockHashCount;
	/// The node stores state in ParityDB.
	type DbWeight = ParityDbWeight;
	type Version = Version;
	type AccountData = pallet_balances::AccountData<Balance>;
	type SS58Prefix = SS58Prefix;
	type MaxConsumers = ConstU32<16>;
}

/// Most validators (and so Aura and GRANDPA authorities) the chain supports.
pub const MAX_VALIDATORS: u32 = 32;

impl pallet_timestamp::Config for Runtime {
	type Moment = u64;
	type OnTimestampSet = Aura;
	type MinimumPeriod = ConstU64<{ SLOT_DURATION / 2 }>;
	type WeightInfo = ();
}

impl pallet_balances::Config for Runtime {
	type MaxLocks = ConstU32<50>;
	type MaxReserves = ();
	type ReserveIdentifier = [u8; 8];
	type Balance = Balance;
	type RuntimeEvent = RuntimeEvent;
	type DustRemoval = ();
	type ExistentialDeposit = ConstU128<EXISTENTIAL_DEPOSIT>;
	type AccountStore = System;
	type WeightInfo = pallet_balances::weights::SubstrateWeight<Runtime>;
	type FreezeIdentifier = RuntimeFreezeReason;
	type MaxFreezes = VariantCountOf<RuntimeFreezeReason>;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type DoneSlashHandler = ();
}

parameter_types! {
	pub FeeMultiplier: Multiplier = Multiplier::one();
}

impl pallet_transaction_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type OnChargeTransaction = FungibleAdapter<Balances, ()>;
	type OperationalFeeMultiplier = ConstU8<5>;
	type WeightToFee = IdentityFee<Balance>;
	type LengthToFee = IdentityFee<Balance>;
	type FeeMultiplierUpdate = ConstFeeMultiplier<FeeMultiplier>;
	type WeightInfo = pallet_transaction_payment::weights::SubstrateWeight<Runtime>;
}

// ---- Governance ----------------------------------------------------------------------------

/// The consortium council.
pub type CouncilCollective = pallet_collective::Instance1;

/// The governance origin: two thirds of the council, or root (sudo on a `dev` chain).
pub type EnsureGovernance = EitherOfDiverse<
	EnsureRoot<AccountId>,
	pallet_collective::EnsureProportionAtLeast<AccountId, CouncilCollective, 2, 3>,
>;

parameter_types! {
	pub const CouncilMotionDuration: BlockNumber = 10 * MINUTES;
	pub const CouncilMaxProposals: u32 = 50;
	pub const CouncilMaxMembers: u32 = 32;
	pub MaxProposalWeight: Weight = Perbill::from_percent(50) * RuntimeBlockWeights::get().max_block;
}

impl pallet_collective::Config<CouncilCollective> for Runtime {
	type RuntimeOrigin = RuntimeOrigin;
	type Proposal = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type MotionDuration = CouncilMotionDuration;
	type MaxProposals = CouncilMaxProposals;
	type MaxMembers = CouncilMaxMembers;
	type DefaultVote = pallet_collective::PrimeDefaultVote;
	type WeightInfo = pallet_collective::weights::SubstrateWeight<Runtime>;
	type SetMembersOrigin = EnsureRoot<AccountId>;
	type MaxProposalWeight = MaxProposalWeight;
	type DisapproveOrigin = EnsureRoot<AccountId>;
	type KillOrigin = EnsureRoot<AccountId>;
	type Consideration = ();
}

impl pallet_membership::Config<pallet_membership::Instance1> for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type AddOrigin = EnsureGovernance;
	type RemoveOrigin = EnsureGovernance;
	type SwapOrigin = EnsureGovernance;
	type ResetOrigin = EnsureGovernance;
	type PrimeOrigin = EnsureGovernance;
	type MembershipInitialized = Council;
	type MembershipChanged = Council;
	type MaxMembers = CouncilMaxMembers;
	type WeightInfo = pallet_membership::weights::SubstrateWeight<Runtime>;
}

impl pallet_sudo::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = pallet_sudo::weights::SubstrateWeight<Runtime>;
}

// ---- Consensus: governed validators -> session -> Aura + GRANDPA ---------------------------

parameter_types! {
	/// Session length in blocks. A validator change is queued at the end of a session and takes
	/// effect at the start of the next one.
	pub const SessionPeriod: BlockNumber = 10;
	pub const SessionOffset: BlockNumber = 0;
}

impl pallet_validator_set::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type GovernanceOrigin = EnsureGovernance;
	type ValidatorRegistration = Session;
	type MinValidators = ConstU32<1>;
	type MaxValidators = ConstU32<MAX_VALIDATORS>;
	type WeightInfo = pallet_validator_set::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::benchmarks::SessionKeysHelper;
}

impl pallet_session::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type ValidatorId = AccountId;
	type ValidatorIdOf = ConvertInto;
	type ShouldEndSession = pallet_session::PeriodicSessions<SessionPeriod, SessionOffset>;
	type NextSessionRotation = pallet_session::PeriodicSessions<SessionPeriod, SessionOffset>;
	type SessionManager = ValidatorSet;
	type SessionHandler = <SessionKeys as OpaqueKeys>::KeyTypeIdProviders;
	type Keys = SessionKeys;
	type DisablingStrategy = ();
	type WeightInfo = pallet_session::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	type KeyDeposit = ConstU128<0>;
}

impl pallet_aura::Config for Runtime {
	type AuthorityId = AuraId;
	type DisabledValidators = ();
	type MaxAuthorities = ConstU32<MAX_VALIDATORS>;
	type AllowMultipleBlocksPerSlot = ConstBool<false>;
	type SlotDuration = pallet_aura::MinimumPeriodTimesTwo<Runtime>;
}

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = ConstU32<MAX_VALIDATORS>;
	type MaxNominators = ConstU32<0>;
	type MaxSetIdSessionEntries = ConstU64<0>;
	type KeyOwnerProof = sp_core::Void;
	type EquivocationReportSystem = ();
}

// ---- Computility market ----------------------------------------------------------------------

parameter_types! {
	/// Held from a participant while it is registered.
	pub const RegistrationDeposit: Balance = 10 * crate::UNIT;
}

/// Non-members may join (register, update or withdraw a registration); council members may make
/// their collective calls; the sudo key (a `dev` chain only) may use sudo.
pub struct MembershipExemptions;
impl pallet_consortium_identity::extension::Exemptions<AccountId, RuntimeCall>
	for MembershipExemptions
{
	fn exemption(
		who: &AccountId,
		call: &RuntimeCall,
	) -> Option<pallet_consortium_identity::extension::Exemption> {
		use pallet_consortium_identity::{extension::Exemption, Call as IdentityCall};
		match call {
			RuntimeCall::Identity(
				IdentityCall::register { .. }
				| IdentityCall::update_profile { .. }
				| IdentityCall::deregister {},
			) => Some(Exemption::Joining),
			RuntimeCall::Council(_) | RuntimeCall::CouncilMembership(_)
				if pallet_collective::Members::<Runtime, CouncilCollective>::get()
					.contains(who) =>
			{
				Some(Exemption::Governance)
			},
			RuntimeCall::Sudo(_) if pallet_sudo::Key::<Runtime>::get().as_ref() == Some(who) => {
				Some(Exemption::Governance)
			},
			_ => None,
		}
	}
}

impl pallet_consortium_identity::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type GovernanceOrigin = EnsureGovernance;
	type RegistrationDeposit = RegistrationDeposit;
	type MaxNameLen = ConstU32<64>;
	type MaxModelLen = ConstU32<64>;
	type MaxResourcesPerOwner = ConstU32<256>;
	type Exemptions = MembershipExemptions;
	type MaxJoiningTxs = ConstU32<2>;
	/// The order book: resources may not shrink below what is leased; their asks follow them.
	type Usage = crate::Order;
	type WeightInfo = pallet_consortium_identity::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	/// Lease lengths are in hours.
	pub const BlocksPerHour: BlockNumber = crate::HOURS;
	/// An order lives at most 30 days.
	pub const MaxOrderLife: BlockNumber = 30 * crate::DAYS;
}

impl pallet_agreement::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type GovernanceOrigin = EnsureGovernance;
	type BlocksPerHour = BlocksPerHour;
	type MaxAgreementsPerAccount = ConstU32<512>;
	/// Billing pays providers per settlement period (its length set by governance).
	type PeriodBlocks = pallet_bill::CurrentPeriod<Runtime>;
	type Metered = ConstBool<true>;
	/// Commission keeps the providers' task history; billing drops its progress.
	type OnEnded = (crate::Commission, crate::Bill);
	type WeightInfo = pallet_agreement::weights::SubstrateWeight<Runtime>;
}

impl pallet_order::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Identity = crate::Identity;
	type Agreements = crate::Agreement;
	/// Contribution scores (commission pallet) break ties between equal offers.
	type Scores = crate::Commission;
	/// A match keeps at most 64 orders that can trade, passes over at most 192 that cannot
	/// (charged), and makes at most 16 fills.
	type MaxScan = ConstU32<64>;
	type MaxSkip = ConstU32<192>;
	type MaxFills = ConstU32<16>;
	type MaxAsksPerAccount = ConstU32<256>;
	type MaxBidsPerAccount = ConstU32<64>;
	type MaxHours = ConstU32<{ 24 * 366 }>;
	type MaxOrderLife = MaxOrderLife;
	type WeightInfo = pallet_order::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::benchmarks::MarketHelper;
}

parameter_types! {
	/// The commission pot's account is derived from this id.
	pub const CommissionPalletId: frame_support::PalletId = frame_support::PalletId(*b"cty/comm");
	/// Ten minutes to report, confirm or dispute a period after it ends.
	pub const BillWindow: BlockNumber = 10 * MINUTES;
	/// Each broken promise refunds 10 % of the period's pay to the buyer.
	pub const PenaltyPpm: u32 = 100_000;
}

impl pallet_commission::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type Identity = crate::Identity;
	type GovernanceOrigin = EnsureGovernance;
	type PalletId = CommissionPalletId;
	type MaxEraProviders = ConstU32<256>;
	type WeightInfo = pallet_commission::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::benchmarks::MarketHelper;
}

impl pallet_bill::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Identity = crate::Identity;
	type Commission = crate::Commission;
	type GovernanceOrigin = EnsureGovernance;
	type Window = BillWindow;
	type PenaltyPpm = PenaltyPpm;
	type WeightInfo = pallet_bill::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::benchmarks::MarketHelper;
}

// ---- Hashing power: transactions from the off-chain worker -------------------------------------

impl frame_system::offchain::SigningTypes for Runtime {
	type Public = <crate::Signature as sp_runtime::traits::Verify>::Signer;
	type Signature = crate::Signature;
}

impl<C> frame_system::offchain::CreateTransactionBase<C> for Runtime
where
	RuntimeCall: From<C>,
{
	type Extrinsic = crate::UncheckedExtrinsic;
	type RuntimeCall = RuntimeCall;
}

impl<C> frame_system::offchain::CreateBare<C> for Runtime
where
	RuntimeCall: From<C>,
{
	fn create_bare(call: RuntimeCall) -> crate::UncheckedExtrinsic {
		crate::UncheckedExtrinsic::new_bare(call)
	}
}

impl pallet_hashpower::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Identity = crate::Identity;
	type Commission = crate::Commission;
	type AuthorityId = pallet_hashpower::crypto::SchedulerId;
	/// Sixteen shares a block per miner: at least 16 × 2^16 hashes a block, far more at the
	/// difficulties buyers set.
	type MaxShares = ConstU32<16>;
	type MaxMiners = ConstU32<16>;
	type MaxQueue = ConstU32<64>;
	/// A miner is judged over 10 blocks (a minute).
	type WindowBlocks = ConstU32<10>;
	type BlockMillis = ConstU64<{ crate::MILLISECS_PER_BLOCK }>;
	/// Below half its declared hashrate over a window, a miner is replaced by its standby.
	type MinDeliveryPercent = ConstU32<50>;
	type UnsignedPriority = ConstU64<{ 1 << 20 }>;
	type WeightInfo = pallet_hashpower::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::benchmarks::MarketHelper;
}

// ---- Network permission ------------------------------------------------------------------------

impl pallet_node_authorization::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type MaxWellKnownNodes = ConstU32<64>;
	type MaxPeerIdLength = ConstU32<128>;
	type AddOrigin = EnsureGovernance;
	type RemoveOrigin = EnsureGovernance;
	type SwapOrigin = EnsureGovernance;
	type ResetOrigin = EnsureGovernance;
	type WeightInfo = ();
}
