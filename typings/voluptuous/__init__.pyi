# Home Assistant >= 2026.10 aliases `voluptuous` to probatio at start-up
# (probatio.compat.install_as_voluptuous), so type-check `import voluptuous as vol` as probatio.
from probatio import *  # noqa: F403
