"""The contract: the gate before the portal opens, acceptance with its evidence, versions and certificates."""
