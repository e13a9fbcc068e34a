"""Access: role scopes, users and sessions, the audit log, the SQL console, safe exports.

Shared by the CLI and the dashboard; nothing here imports either of them.
"""
