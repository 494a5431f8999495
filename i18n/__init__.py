"""Translation catalogs, languages and locale formatting; imports nothing of ours."""
