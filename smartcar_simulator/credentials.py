"""Credentials of the one Smartcar application the simulator knows."""

DEMO_APPLICATION_ID = "5f3c1a2e-8d4b-4c6f-9a7e-1b2c3d4e5f60"
"""Application ID: the `client_id` query parameter of Connect."""

DEMO_CLIENT_ID = "client_7d1e4b2a9c3f4e8a8b6d5c4b3a291807"
"""API client id for the `client_credentials` grant."""

DEMO_CLIENT_SECRET = "secret_3e9a7c1d5b2f4a6e8c0d2b4f6a8c0e1f"
"""API client secret for the `client_credentials` grant."""

DEMO_MANAGEMENT_TOKEN = "amt_9b8a7c6d5e4f3a2b1c0d9e8f7a6b5c4d"
"""Application Management Token (HMAC key for webhook signatures)."""
