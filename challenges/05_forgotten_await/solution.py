"""Challenge 05: the forgotten await.

A profile page is built from two services: `get_user(user_id)` gives the user's name and
`get_posts(user_id)` gives their latest posts; each answers after about one second. This version
runs without an error, yet the page it returns says `<coroutine object ...>` where the name and the
posts should be. Run `python solution.py` to see it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

Lookup = Callable[[int], Awaitable[str]]


def render_page(user: str, posts: str) -> str:
    """The text of the page. It is already right: leave it as it is."""
    return f"== {user} ==\n{posts}"


async def profile_page(get_user: Lookup, get_posts: Lookup, user_id: int) -> str:
    """The profile page of user_id: their name, then their latest posts."""
    # TODO: these two lines get coroutine objects, not the name and the posts. Await them, and
    # since neither lookup needs the other's answer, let the two waits overlap.
    user = get_user(user_id)
    posts = get_posts(user_id)
    return render_page(user, posts)


if __name__ == "__main__":
    async def demo_user(user_id: int) -> str:
        await asyncio.sleep(1)
        return f"Ada Lovelace (#{user_id})"

    async def demo_posts(user_id: int) -> str:
        await asyncio.sleep(1)
        return "- Notes on the Analytical Engine\n- On Bernoulli numbers"

    print(asyncio.run(profile_page(demo_user, demo_posts, 42)))
