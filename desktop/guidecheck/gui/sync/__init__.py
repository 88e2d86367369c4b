"""The sync-bundle dialogs: export for the district and import at the hub."""
