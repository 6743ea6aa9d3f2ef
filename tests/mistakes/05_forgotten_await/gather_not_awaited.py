"""Uses gather but forgets to await it; unpacking the future raises a puzzling RuntimeError.

expect: not-awaited
"""

import asyncio


def render_page(user, posts):
    return f"== {user} ==\n{posts}"


async def profile_page(get_user, get_posts, user_id):
    user, posts = asyncio.gather(get_user(user_id), get_posts(user_id))
    return render_page(user, posts)
