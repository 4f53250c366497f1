"""Family accounts and the online registration of a child (一网通办)."""
