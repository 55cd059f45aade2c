select value from kith_settings where key = 'suppression_salt';
