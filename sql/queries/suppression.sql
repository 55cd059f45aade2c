select kind, key_hash from suppressed_identifiers;
