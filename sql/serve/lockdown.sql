-- after this no client (and not the server either) can read or write other files or change settings
set global enable_external_access = false;
set global lock_configuration = true;
