"""The typed views of the record lists, now in `bodies` (import them from `signals`)."""

from .bodies import *  # noqa: F403  (until every import names `signals`)
