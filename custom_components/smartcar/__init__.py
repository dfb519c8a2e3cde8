"""The Smartcar integration: connected cars through the Smartcar v3 API."""
