"""Reference solution for challenge 05 (one correct way among several; two tasks or a TaskGroup work too)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

Lookup = Callable[[int], Awaitable[str]]


def render_page(user: str, posts: str) -> str:
    """The text of the page. It is already right: leave it as it is."""
    return f"== {user} ==\n{posts}"


async def profile_page(get_user: Lookup, get_posts: Lookup, user_id: int) -> str:
    """The profile page of user_id: their name, then their latest posts."""
    # get_user(user_id) and get_posts(user_id) only build coroutine objects; nothing has been
    # looked up yet. Awaiting gather runs both on the loop at once and gives back their results in
    # argument order, so the page waits about one second (the slower lookup), not the sum. Writing
    # `await` in front of each call would give the right page too, but one lookup after the other.
    user, posts = await asyncio.gather(get_user(user_id), get_posts(user_id))
    return render_page(user, posts)
