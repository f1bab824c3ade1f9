//! `CheckMembership`: the transaction extension that keeps non-members out of the pool.
//!
//! A consortium chain lets only its members transact. This extension runs in pool validation
//! (before any block space is spent) and again when a block is built or imported, and rejects a
//! signed transaction whose signer is not an approved, active participant, with a custom
//! `InvalidTransaction` code that clients show:
//!
//! | code | constant | the signer |
//! | --- | --- | --- |
//! | 1 | [`NOT_REGISTERED`] | has no identity |
//! | 2 | [`PENDING_APPROVAL`] | registered, not yet approved |
//! | 3 | [`SUSPENDED`] | was suspended by governance |
//! | 4 | [`REVOKED`] | was revoked by governance |
//!
//! Exempt are only the calls that joining needs (registering an identity, which holds its
//! deposit; a pending or revoked participant may also update or withdraw its registration) and
//! those governance needs (the council members' own collective calls; the sudo key on a `dev`
//! chain). The runtime says which calls those are through [`Exemptions`].
//!
//! Flood control: a non-member's exempt transactions each provide one of
//! [`Config::MaxJoiningTxs`] pool tags `("cu/join", account, slot)`, the slot chosen by the
//! call's hash; two transactions on the same slot conflict, so the pool holds at most
//! `MaxJoiningTxs` of them per account.
//!
//! Suspension and revocation take effect from the next block: the pool revalidates its
//! transactions on every new block, and block authors and importers validate again.
use crate::{weights::WeightInfo, Config, Participants, Status};
use codec::{Decode, DecodeWithMemTracking, Encode};
use core::marker::PhantomData;
use frame_support::{
	dispatch::DispatchInfo,
	pallet_prelude::{InvalidTransaction, TransactionSource, ValidTransaction},
	traits::Get,
	weights::Weight,
};
use scale_info::TypeInfo;
use sp_runtime::traits::{
	AsSystemOriginSigner, DispatchInfoOf, Dispatchable, Implication, TransactionExtension,
	ValidateResult,
};

/// The signer has no identity.
pub const NOT_REGISTERED: u8 = 1;
/// The signer's registration awaits approval.
pub const PENDING_APPROVAL: u8 = 2;
/// The signer is suspended.
pub const SUSPENDED: u8 = 3;
/// The signer is revoked.
pub const REVOKED: u8 = 4;

/// Why a non-member's transaction may enter the pool.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exemption {
	/// Joining: registering (or updating, or withdrawing) an identity. Flood-limited.
	Joining,
	/// Governance: a council member's collective call, the sudo key's call.
	Governance,
}

/// Which calls a non-member may make; the runtime implements it.
pub trait Exemptions<AccountId, Call> {
	/// The exemption `who` has for `call`, if any.
	fn exemption(who: &AccountId, call: &Call) -> Option<Exemption>;
}

/// No call is exempt: every transaction needs an approved, active participant (test runtimes,
/// and chains that admit newcomers only through governance).
pub struct NoExemptions;
impl<AccountId, Call> Exemptions<AccountId, Call> for NoExemptions {
	fn exemption(_: &AccountId, _: &Call) -> Option<Exemption> {
		None
	}
}

/// Transaction extension: only approved, active participants transact (see the module docs).
#[derive(Encode, Decode, DecodeWithMemTracking, Clone, Eq, PartialEq, TypeInfo)]
#[scale_info(skip_type_params(T))]
pub struct CheckMembership<T>(PhantomData<T>);

impl<T> CheckMembership<T> {
	/// The extension (it carries no data).
	pub fn new() -> Self {
		Self(PhantomData)
	}
}

impl<T> Default for CheckMembership<T> {
	fn default() -> Self {
		Self::new()
	}
}

impl<T> core::fmt::Debug for CheckMembership<T> {
	fn fmt(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
		write!(f, "CheckMembership")
	}
}

/// The decision for `who` making `call`: `Ok(None)` for a member or a governance exemption,
/// `Ok(Some(slot))` for a flood-limited joining transaction, `Err(code)` otherwise.
pub fn check<T: Config>(
	who: &T::AccountId,
	call: &<T as frame_system::Config>::RuntimeCall,
) -> Result<Option<u32>, u8> {
	let status = Participants::<T>::get(who).map(|p| p.status);
	if status == Some(Status::Approved) {
		return Ok(None);
	}
	match T::Exemptions::exemption(who, call) {
		Some(Exemption::Governance) => Ok(None),
		Some(Exemption::Joining) => {
			let slots = T::MaxJoiningTxs::get().max(1);
			let hash = sp_io::hashing::blake2_256(&call.encode());
			let n = u32::from_le_bytes([hash[0], hash[1], hash[2], hash[3]]);
			Ok(Some(n % slots))
		},
		None => Err(match status {
			None => NOT_REGISTERED,
			Some(Status::Pending) => PENDING_APPROVAL,
			Some(Status::Suspended) => SUSPENDED,
			Some(Status::Revoked) | Some(Status::Approved) => REVOKED,
		}),
	}
}

impl<T: Config + Send + Sync> TransactionExtension<<T as frame_system::Config>::RuntimeCall>
	for CheckMembership<T>
where
	<T as frame_system::Config>::RuntimeCall: Dispatchable<Info = DispatchInfo>,
	<<T as frame_system::Config>::RuntimeCall as Dispatchable>::RuntimeOrigin:
		AsSystemOriginSigner<T::AccountId> + Clone,
{
	const IDENTIFIER: &'static str = "CheckMembership";
	type Implicit = ();
	type Val = ();
	type Pre = ();

	fn weight(&self, _call: &<T as frame_system::Config>::RuntimeCall) -> Weight {
		<T as Config>::WeightInfo::check_membership()
	}

	fn validate(
		&self,
		origin: <<T as frame_system::Config>::RuntimeCall as Dispatchable>::RuntimeOrigin,
		call: &<T as frame_system::Config>::RuntimeCall,
		_info: &DispatchInfoOf<<T as frame_system::Config>::RuntimeCall>,
		_len: usize,
		_self_implicit: Self::Implicit,
		_inherited_implication: &impl Implication,
		_source: TransactionSource,
	) -> ValidateResult<Self::Val, <T as frame_system::Config>::RuntimeCall> {
		let Some(who) = origin.as_system_origin_signer() else {
			// Unsigned and inherent transactions are validated by their own pallets.
			return Ok((ValidTransaction::default(), (), origin));
		};
		match check::<T>(who, call) {
			Ok(None) => Ok((ValidTransaction::default(), (), origin)),
			Ok(Some(slot)) => {
				let valid =
					ValidTransaction::with_tag_prefix("cu/join").and_provides((who, slot)).into();
				Ok((valid, (), origin))
			},
			Err(code) => Err(InvalidTransaction::Custom(code).into()),
		}
	}

	sp_runtime::impl_tx_ext_default!(<T as frame_system::Config>::RuntimeCall; prepare);
}
