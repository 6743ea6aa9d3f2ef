"""Awaits each lookup inside the gather call: gather gets two strings and raises TypeError.

expect: raised
"""

import asyncio


def render_page(user, posts):
    return f"== {user} ==\n{posts}"


async def profile_page(get_user, get_posts, user_id):
    user, posts = await asyncio.gather(await get_user(user_id), await get_posts(user_id))
    return render_page(user, posts)
