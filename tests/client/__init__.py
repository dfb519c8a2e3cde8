"""Tests of the Smartcar v3 client against the simulator."""
