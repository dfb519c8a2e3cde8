"""Tests of the Smartcar integration, its client and the simulator."""
