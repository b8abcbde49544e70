"""The decisions of the platform: validation, money rules, state changes. Views and the CLI
call these; nothing else writes registry or money rows."""
