set global quack_authorization_function = 'kith_read_only';
