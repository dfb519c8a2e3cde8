"""JSON:API listings: follow `links.next` page by page, on the API's own origin only."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import Any
from urllib.parse import urljoin, urlsplit

from .errors import SmartcarResponseError
from .parsing import as_mapping, as_str


class ForeignLinkError(SmartcarResponseError):
    """A paging link points to another host: not followed, the token never leaves the API."""


def resolve_next_link(root_url: str, current: str, link: str) -> str:
    """Resolve a `links.next` against an API root, refusing any other origin.

    Smartcar's docs show links relative to the root (`/vehicles/{id}/signals?page=2`); live
    ones may carry the root's path (`/v3/...`) or be absolute. The bearer token never leaves
    the API's origin, so a link to another host raises `ForeignLinkError`.
    """
    root = urlsplit(root_url)
    root_path = root.path.rstrip("/")
    if link.startswith("/") and not link.startswith("//"):
        within_root = link == root_path or link.startswith(f"{root_path}/")
        resolved = (
            f"{root.scheme}://{root.netloc}{'' if within_root else root_path}{link}"
        )
    else:
        resolved = urljoin(current, link)
    target = urlsplit(resolved)
    if (target.scheme, target.netloc) != (root.scheme, root.netloc):
        raise ForeignLinkError(
            f"A paging link points outside the Smartcar API, to {target.hostname}"
        )
    return resolved


async def iterate_pages(
    name: str,
    fetch: Callable[[str, Mapping[str, str] | None], Awaitable[Any]],
    *,
    root_url: str,
    first_url: str,
    params: Mapping[str, str] | None,
    max_pages: int,
) -> AsyncIterator[Mapping[str, Any]]:
    """Yield each page of a listing; a loop, a foreign link or too many pages is an error."""
    url, query = first_url, params
    seen: set[str] = set()
    for _ in range(max_pages):
        page = await fetch(url, query)
        if not isinstance(page, Mapping):
            raise SmartcarResponseError(f"{name} answered with a non-object")
        yield page
        next_link = as_str(as_mapping(page.get("links")).get("next"))
        if not next_link:
            return
        url, query = resolve_next_link(root_url, url, next_link), None
        if url in seen:
            raise SmartcarResponseError(f"{name} paging loops back on itself")
        seen.add(url)
    raise SmartcarResponseError(f"{name} has more than {max_pages} pages")
