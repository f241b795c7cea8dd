"""Organisation: the tenant tree (centers), departments stationed in a center, windows, staff."""
