//! `computility-node`: the Computility consortium chain's node.
#![warn(missing_docs)]

mod chain_spec;
mod cli;
mod command;
mod permission;
mod rpc;
mod service;

fn main() -> sc_cli::Result<()> {
	command::run()
}
