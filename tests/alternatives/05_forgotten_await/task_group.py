"""Correct in another style: a TaskGroup runs both lookups and waits for both on exit."""

import asyncio


def render_page(user, posts):
    return f"== {user} ==\n{posts}"


async def profile_page(get_user, get_posts, user_id):
    async with asyncio.TaskGroup() as tg:
        user = tg.create_task(get_user(user_id))
        posts = tg.create_task(get_posts(user_id))
    return render_page(user.result(), posts.result())
