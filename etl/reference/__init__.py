"""Reference data: the export contract, the programme's rules per year, geography, places."""
